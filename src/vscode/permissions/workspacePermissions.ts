import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/disposable';
import { Emitter, type Event } from '../../core/events';
import { Commands, SETTINGS_SECTION, settingKey, Settings } from '../../core/ids';
import type { Grant, GrantSealer, GrantStatus, WorkspaceGrant } from '../../core/permissions/permission';
import type { PermissionGate } from '../../core/permissions/permissionGate';
import { errorMessage, type Logger } from '../../core/ports';
import { parseGrants } from '../../node/permissions/grantsSetting';
import { readWorkspaceSetting, workspaceSettingsFile } from '../workspaceSettingsFile';
import { ApprovedDefinitions } from './approvedDefinitions';
import { revealGrant, settingsFileLabel, WorkspaceGrantsFile } from './grantsFile';
import { NotificationPrompter } from './permissionPrompter';
import { gateOptions } from './permissionSettings';
import { grantLabel, shown } from './questionText';

/** The sealer of src/node/permissions/grantSealer.ts (`HmacGrantSealer`): also gives the confirmation of a proposed grant. */
export interface MachineGrantSealer extends GrantSealer {
  /** This machine's MAC of a grant: kept in workspace state when the user confirms a proposed grant. */
  confirmation(grant: Grant): string;
}

export interface WorkspacePermissionsOptions {
  /** e.g. `(key, workspaceId) => new HmacGrantSealer(key, workspaceId)`. */
  readonly makeSealer: (key: Uint8Array, workspaceId: string) => MachineGrantSealer;
}

/** SecretStorage name of this machine's seal key (one per profile; the workspace id is part of every seal). */
const SEAL_KEY_SECRET = 'mcpWarden.permissions.sealKey';
const CONFIRMATIONS_KEY = 'mcpWarden.grantConfirmations';
const MAX_CONFIRMATIONS = 2000;

/**
 * Everything the broker needs from this window: the gate fed with the workspace's grants (read from the workspace
 * settings file, never user settings, classified by this machine's seal and confirmations, re-read on every
 * change; honoured only in a trusted workspace), the prompter, the grant store and the sealer. Reports hand-edited
 * grants and offers to confirm grants proposed by someone else.
 */
export class WorkspacePermissions implements vscode.Disposable {
  readonly prompter: NotificationPrompter;
  /** `mcpWarden.grants` in the workspace settings file; the gate has the new grants when a change resolves. */
  readonly store: Pick<WorkspaceGrantsFile, 'add' | 'remove'>;
  readonly approved: ApprovedDefinitions;
  /** Seals with this machine's key once it is loaded (`ready`); before, `seal` throws and `status` says proposed. */
  readonly sealer: GrantSealer;
  /** Resolves when the key is loaded and the workspace grants were read once. */
  readonly ready: Promise<void>;
  private readonly disposables = new DisposableStore();
  private readonly tamperedEmitter = this.disposables.add(new Emitter<Grant>());
  /** A sealed grant was changed by hand (fires once per distinct grant): for the audit log. */
  readonly onDidFindTampered: Event<Grant> = this.tamperedEmitter.event;
  private readonly confirmedEmitter = this.disposables.add(new Emitter<readonly Grant[]>());
  /** Proposed grants the user confirmed on this machine: for the audit log. */
  readonly onDidConfirm: Event<readonly Grant[]> = this.confirmedEmitter.event;
  private machineSealer: MachineGrantSealer | undefined;
  private reading: Promise<void> = Promise.resolve();
  private readonly reportedTampered = new Set<string>();
  private readonly reportedProposed = new Set<string>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly gate: PermissionGate,
    private readonly logger: Logger,
    private readonly options: WorkspacePermissionsOptions,
  ) {
    this.approved = this.disposables.add(new ApprovedDefinitions(context.workspaceState));
    const file = new WorkspaceGrantsFile(context.globalStorageUri.fsPath);
    // Re-read at once, not when VS Code reports the changed setting (a moment later): a revoked workspace grant must
    // not decide the very next request.
    this.store = {
      add: (grants) => file.add(grants).then(() => this.reload()),
      remove: (grants) => file.remove(grants).then(() => this.reload()),
    };
    this.prompter = this.disposables.add(
      new NotificationPrompter({
        approved: this.approved,
        revealDefinition: async (server) => {
          await vscode.commands.executeCommand(Commands.openServerSettings, server);
        },
        logger,
      }),
    );
    this.sealer = {
      seal: (grant) => {
        if (!this.machineSealer) throw new Error("MCP Warden's seal key is not loaded yet: try again in a moment");
        return this.machineSealer.seal(grant);
      },
      status: (grant) => this.classify(grant),
    };
    gate.setTrusted(vscode.workspace.isTrusted);
    this.disposables.add(
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        gate.setTrusted(true);
        void this.reload();
      }),
    );
    this.disposables.add(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(settingKey(Settings.grants))) void this.reload();
        if (e.affectsConfiguration(`${SETTINGS_SECTION}.permissions`)) gate.setOptions(gateOptions());
      }),
    );
    this.disposables.add(vscode.workspace.onDidChangeWorkspaceFolders(() => gate.setOptions(gateOptions())));
    this.ready = this.start();
  }

  /** Re-reads `mcpWarden.grants` from the workspace settings file and hands the classified grants to the gate. */
  reload(): Promise<void> {
    const next = this.reading.then(async () => {
      try {
        const grants = parseGrants(await readWorkspaceSetting([settingKey(Settings.grants)]), (problem) => this.logger.warn(`${settingKey(Settings.grants)}: ${problem}`));
        const classified: WorkspaceGrant[] = grants.map((grant) => ({ grant, status: this.classify(grant) }));
        this.gate.setWorkspaceGrants(classified);
        if (vscode.workspace.isTrusted) this.report(classified);
      } catch (error) {
        this.logger.error(`cannot read the workspace grants: ${errorMessage(error)}`);
      }
    });
    this.reading = next;
    return next;
  }

  /** Confirms grants someone else proposed: kept in this workspace's state on this machine, then honoured. */
  async confirm(grants: readonly Grant[]): Promise<void> {
    const sealer = this.machineSealer;
    if (!sealer) throw new Error("MCP Warden's seal key is not loaded yet: try again in a moment");
    const confirmations = this.confirmations().filter((c) => !grants.some((g) => sealer.confirmation(g) === c));
    confirmations.push(...grants.map((g) => sealer.confirmation(g)));
    await this.context.workspaceState.update(CONFIRMATIONS_KEY, confirmations.slice(-MAX_CONFIRMATIONS));
    this.confirmedEmitter.fire(grants);
    await this.reload();
  }

  /** Review…: a multi-select pick of the proposed grants; those selected are confirmed. Returns false when there are none. */
  async reviewProposed(): Promise<boolean> {
    await this.ready;
    const proposed = this.gate.workspaceGrants.filter((g) => g.status === 'proposed').map((g) => g.grant);
    if (proposed.length === 0) return false;
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showInformationMessage('MCP Warden: this workspace is not trusted, so none of its grants is honoured; trust it first.');
      return true;
    }
    const picks = await vscode.window.showQuickPick(
      proposed.map((grant) => ({ label: grantLabel(grant), description: `${grant.decision} · proposed on ${grant.grantedAt.slice(0, 10)}`, detail: grant.pin ? `pinned to ${grant.pin.slice(0, 12)}…` : undefined, grant })),
      { canPickMany: true, title: `MCP Warden: grants proposed by ${settingsFileLabel()}`, placeHolder: 'Select the grants to confirm on this machine' },
    );
    if (picks && picks.length > 0) await this.confirm(picks.map((p) => p.grant));
    return true;
  }

  dispose(): void {
    this.disposables.dispose();
  }

  private async start(): Promise<void> {
    const workspaceId = workspaceIdentity();
    if (workspaceId) {
      try {
        this.machineSealer = this.options.makeSealer(await this.loadKey(), workspaceId);
      } catch (error) {
        this.logger.error(`cannot load the seal key: ${errorMessage(error)}; grants can be neither made nor honoured for this workspace`);
      }
    }
    await this.reload();
  }

  /** Where a grant stands on this machine; `proposed` until the key is loaded. */
  private classify(grant: Grant): GrantStatus {
    const sealer = this.machineSealer;
    if (!sealer) return 'proposed';
    const status = sealer.status(grant);
    return status === 'proposed' && this.confirmations().includes(sealer.confirmation(grant)) ? 'confirmed' : status;
  }

  private confirmations(): string[] {
    const stored = this.context.workspaceState.get<unknown>(CONFIRMATIONS_KEY);
    return Array.isArray(stored) ? stored.filter((c): c is string => typeof c === 'string') : [];
  }

  /** The seal key from SecretStorage, made on first use. Never logged. */
  private async loadKey(): Promise<Uint8Array> {
    const stored = await this.context.secrets.get(SEAL_KEY_SECRET);
    if (stored !== undefined) {
      const key = Buffer.from(stored, 'base64');
      if (key.length === 32) return new Uint8Array(key);
      this.logger.error('the seal key in SecretStorage is damaged: a new one is made, and grants sealed with the old one become proposed');
    }
    const key = randomBytes(32);
    try {
      await this.context.secrets.store(SEAL_KEY_SECRET, key.toString('base64'));
    } catch (error) {
      this.logger.error(`cannot keep the seal key in SecretStorage (${errorMessage(error)}): grants sealed in this session will show as proposed later`);
    }
    return new Uint8Array(key);
  }

  /** One warning per hand-edited grant, and one notification for grants proposed since the last. */
  private report(grants: readonly WorkspaceGrant[]): void {
    for (const { grant, status } of grants) {
      const id = JSON.stringify(grant);
      if (status !== 'tampered' || this.reportedTampered.has(id)) continue;
      this.reportedTampered.add(id);
      this.tamperedEmitter.fire(grant);
      this.logger.warn(`a grant for server '${shown(grant.server)}' (${grant.kind}) was changed by hand after it was sealed: ignored`);
      void vscode.window
        .showWarningMessage(`MCP Warden: a grant for server '${shown(grant.server)}' in ${settingsFileLabel()} was changed by hand after it was sealed; MCP Warden ignores it.`, 'Show Grant', 'Remove It')
        .then(async (choice) => {
          if (choice === 'Show Grant') await revealGrant(grant);
          if (choice === 'Remove It') await this.store.remove([grant]);
        })
        .then(undefined, (error: unknown) => this.logger.error(`cannot handle the changed grant: ${errorMessage(error)}`));
    }
    const fresh = grants.filter((g) => g.status === 'proposed' && !this.reportedProposed.has(JSON.stringify(g.grant)));
    if (fresh.length === 0 || !this.machineSealer) return;
    for (const { grant } of fresh) this.reportedProposed.add(JSON.stringify(grant));
    const count = grants.filter((g) => g.status === 'proposed').length;
    void vscode.window
      .showInformationMessage(`MCP Warden: this workspace proposes ${count} grant${count === 1 ? '' : 's'} that ${count === 1 ? 'was' : 'were'} not made on this machine.`, 'Review…')
      .then((choice) => (choice === 'Review…' ? this.reviewProposed() : false))
      .then(undefined, (error: unknown) => this.logger.error(`cannot review the proposed grants: ${errorMessage(error)}`));
  }
}

/** The workspace a seal is bound to: the `.code-workspace` file, else the first folder. */
function workspaceIdentity(): string | undefined {
  const target = workspaceSettingsFile();
  if (!target) return undefined;
  return target.inWorkspaceFile ? target.uri.toString() : vscode.workspace.workspaceFolders?.[0]?.uri.toString();
}
