import * as vscode from 'vscode';
import type { Grant, Permission, PermissionKind } from '../../core/permissions/permission';
import type { PermissionQuestion } from './brokerApi';

/** What a server asks to do, as the end of "Server 'files' asks to …". */
export function verbPhrase(permission: Permission): string {
  const { kind, target } = permission;
  switch (kind) {
    case 'launch':
      return 'start';
    case 'fs.read':
      return `read ${showPath(target)}`;
    case 'fs.write':
      return `write to ${showPath(target)}`;
    case 'net':
      return target === '*' ? 'connect to any host' : `connect to ${target}`;
    case 'process.exec':
      return `run the program ${target}`;
    case 'tool':
      return `call its tool '${target}'`;
    case 'prompt':
      return `use its prompt '${target}'`;
    case 'resource':
      return `read the resource ${target}`;
    case 'sampling':
      return 'use your language model (sampling)';
    case 'elicitation':
      return 'ask you for information (elicitation)';
    case 'roots':
      return 'see your workspace folders (roots)';
  }
}

/** A path inside the workspace as `./docs`, any other as it is. */
export function showPath(path: string): string {
  const relative = vscode.workspace.asRelativePath(path, false);
  return relative === path ? path : `./${relative}`;
}

/** "Tool", "Prompt"… for "Tool 'x' of server 'y' changed". */
export function kindNoun(kind: PermissionKind): string {
  return kind === 'prompt' ? 'Prompt' : kind === 'launch' ? 'The launch' : kind === 'tool' ? 'Tool' : 'Permission';
}

/** The one-line text of a question, as the single notification or a modal shows it. */
export function questionMessage(question: PermissionQuestion): string {
  const { request, decision, launch } = question;
  const server = request.server;
  if (request.permission.kind === 'launch') {
    const changed = decision.suspended ? ' Its launch changed since you approved it.' : '';
    const proposed = decision.proposed ? ' This workspace proposes to allow it (a grant not made on this machine).' : '';
    const what = launch ? ` It ${launch.summary}${launch.notes.length > 0 ? `, ${launch.notes.join(', ')}` : ''}.` : '';
    return `Start server '${server}'?${changed}${proposed}${what}`;
  }
  if (decision.proposed) return `This workspace proposes to ${decision.proposed.decision} server '${server}' to ${verbPhrase(request.permission)} (a grant not made on this machine).`;
  if (decision.suspended) {
    const noun = kindNoun(request.permission.kind);
    return `${noun} '${request.permission.target}' of server '${server}' changed since you allowed it.`;
  }
  return `Server '${server}' asks to ${verbPhrase(request.permission)}${request.reason ? ` — ${request.reason}` : ''}`;
}

/** A grant in one line for pick lists: "files: tool:search". */
export function grantLabel(grant: Grant): string {
  return `${grant.server}: ${grant.target === '' ? grant.kind : `${grant.kind} ${grant.target}`}`;
}
