import * as vscode from 'vscode';
import { displayText } from '../../core/permissions/declarations';
import type { Grant, Permission, PermissionKind } from '../../core/permissions/permission';
import type { PermissionQuestion } from './brokerApi';

/** Names and targets come from servers and repositories: one line, no link, at most this long in a question. */
const MAX_NAME_CHARS = 120;
/** The launch summary (a command line a repository wrote) and each note. */
const MAX_LAUNCH_CHARS = 400;

/** Untrusted text as a question shows it (see displayText). */
export function shown(text: string, maxChars = MAX_NAME_CHARS): string {
  return displayText(text, maxChars);
}

/** What a server asks to do, as the end of "Server 'files' asks to …". */
export function verbPhrase(permission: Permission): string {
  const kind = permission.kind;
  const target = shown(permission.target);
  switch (kind) {
    case 'launch':
      return 'start';
    case 'fs.read':
      return `read ${showPath(permission.target)}`;
    case 'fs.write':
      return `write to ${showPath(permission.target)}`;
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
  return shown(relative === path ? path : `./${relative}`);
}

/** "Tool", "Prompt"… for "Tool 'x' of server 'y' changed". */
export function kindNoun(kind: PermissionKind): string {
  return kind === 'prompt' ? 'Prompt' : kind === 'launch' ? 'The launch' : kind === 'tool' ? 'Tool' : 'Permission';
}

/** The one-line text of a question, as the single notification or a modal shows it. */
export function questionMessage(question: PermissionQuestion): string {
  const { request } = question;
  const message = serverQuestion(question);
  if (request.agent === undefined) return message;
  const chain = [...(request.chain ?? []), request.agent].map((a) => `'${shown(a)}'`).join(' → ');
  return `${message} (for agent ${chain}, through the MCP Warden gateway)`;
}

function serverQuestion(question: PermissionQuestion): string {
  const { request, decision, launch } = question;
  const server = shown(request.server);
  if (request.permission.kind === 'launch') {
    const changed = decision.suspended ? ' Its launch changed since you approved it.' : '';
    const proposed = decision.proposed ? ' This workspace proposes to allow it (a grant not made on this machine).' : '';
    const notes = launch ? launch.notes.map((note) => shown(note, MAX_LAUNCH_CHARS)) : [];
    const what = launch ? ` It ${shown(launch.summary, MAX_LAUNCH_CHARS)}${notes.length > 0 ? `, ${notes.join(', ')}` : ''}.` : '';
    return `Start server '${server}'?${changed}${proposed}${what}`;
  }
  if (decision.proposed) return `This workspace proposes to ${decision.proposed.decision} server '${server}' to ${verbPhrase(request.permission)} (a grant not made on this machine).`;
  if (decision.suspended) {
    const noun = kindNoun(request.permission.kind);
    return `${noun} '${shown(request.permission.target)}' of server '${server}' changed since you allowed it.`;
  }
  if (request.method === 'sandbox' && (request.permission.kind === 'fs.read' || request.permission.kind === 'fs.write')) {
    // A block that already happened: the server restarts with the wider profile if allowed.
    const what = request.permission.kind === 'fs.read' ? 'reading' : 'writing to';
    return `The OS sandbox denied server '${server}' ${what} ${showPath(request.permission.target)}${request.reason ? ` (${shown(request.reason, 500)})` : ''}. Allow it? The server restarts with it allowed.`;
  }
  return `Server '${server}' asks to ${verbPhrase(request.permission)}${request.reason ? ` — ${shown(request.reason, 500)}` : ''}`;
}

/** A grant in one line for pick lists: "files: tool:search". */
export function grantLabel(grant: Grant): string {
  // `$(name)` would show as an icon in a pick list: a repository's grant must not draw a check mark.
  const label = `${shown(grant.server)}: ${grant.target === '' ? grant.kind : `${grant.kind} ${shown(grant.target)}`}`;
  return label.replaceAll('$(', '$ (');
}
