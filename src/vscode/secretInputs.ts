import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { InputDefinition } from '../core/config/serverDefinition';

const PREFIX = 'mcpWarden.input';

/**
 * Answers `${input:id}`: asks once, keeps the answer in VS Code's secret storage, never in settings. Answers
 * are kept per workspace, so a cloned repository cannot reuse a token typed for another one by naming the same id.
 */
export class SecretInputs {
  private readonly pending = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly definitions: () => readonly InputDefinition[],
  ) {}

  ask(id: string, serverName: string): Promise<string | undefined> {
    // Two servers starting together that need the same input ask the user once.
    let answer = this.pending.get(id);
    if (!answer) {
      answer = this.lookUpOrAsk(id, serverName).finally(() => this.pending.delete(id));
      this.pending.set(id, answer);
    }
    return answer;
  }

  /** Forgets every stored answer of this workspace; the next start asks again. Returns how many were forgotten. */
  async forgetAll(): Promise<number> {
    const ids = await this.storedIds();
    await Promise.all(ids.map((id) => this.secrets.delete(this.key(id))));
    await this.secrets.delete(this.indexKey());
    return ids.length;
  }

  private async lookUpOrAsk(id: string, serverName: string): Promise<string | undefined> {
    const stored = await this.secrets.get(this.key(id));
    if (stored !== undefined) return stored;
    const definition = this.definitions().find((d) => d.id === id);
    const value = await vscode.window.showInputBox({
      title: `MCP Warden: server '${serverName}' needs \${input:${id}}`,
      prompt: `${definition?.description ?? `Value for \${input:${id}}`} — kept in VS Code's secret storage`,
      // An input nobody described may well be a token: hide it unless told otherwise.
      password: definition?.password ?? true,
      ...(definition?.default !== undefined && { value: definition.default }),
      ignoreFocusOut: true,
    });
    if (value === undefined) return undefined;
    await this.secrets.store(this.key(id), value);
    const ids = await this.storedIds();
    if (!ids.includes(id)) await this.secrets.store(this.indexKey(), JSON.stringify([...ids, id]));
    return value;
  }

  private async storedIds(): Promise<string[]> {
    try {
      const ids: unknown = JSON.parse((await this.secrets.get(this.indexKey())) ?? '[]');
      return Array.isArray(ids) ? ids.filter((i): i is string => typeof i === 'string') : [];
    } catch {
      return [];
    }
  }

  private key(id: string): string {
    return `${PREFIX}.${workspaceKey()}.${id}`;
  }

  private indexKey(): string {
    return `${PREFIX}.${workspaceKey()}`;
  }
}

/** A stable, short name for the open workspace (its file, or its folders). */
function workspaceKey(): string {
  const identity = vscode.workspace.workspaceFile?.toString() ?? (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString()).join('\n');
  return createHash('sha256').update(identity).digest('hex').slice(0, 16);
}
