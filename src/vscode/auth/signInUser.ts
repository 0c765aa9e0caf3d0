import * as vscode from 'vscode';
import type { SignInRequest, SignInUser } from '../../core/auth/authPorts';
import { errorMessage, type Logger } from '../../core/ports';
import { signInMessage } from './signInText';

const SIGN_IN = 'Sign In';
const CANCEL = 'Cancel';

interface Waiting {
  readonly request: SignInRequest;
  readonly settle: (answer: boolean) => void;
}

export interface SignInUserDeps {
  /**
   * Sign In clicked on a notification whose question was withdrawn (the start was stopped or timed out meanwhile):
   * the user still wants to sign in, so a server that is stopped is started again.
   */
  readonly signInAgain: (server: string) => void;
  readonly logger: Logger;
}

/**
 * The user's side of a browser sign-in in VS Code: a notification with Sign In / Cancel; the system browser
 * (`env.openExternal`); and `env.asExternalUri` for the loopback callback, so that code-server and remote windows
 * give the browser an address it reaches (their port forwarding). Sign In in the Servers view answers the question
 * too. A question withdrawn by its signal settles at once; VS Code cannot take a notification back, so its buttons
 * then answer nothing (Sign In starts a stopped server again instead).
 */
export class VsCodeSignInUser implements SignInUser, vscode.Disposable {
  private readonly waiting = new Set<Waiting>();

  constructor(private readonly deps: SignInUserDeps) {}

  confirm(request: SignInRequest, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.reject(abortError(signal));
    return new Promise<boolean>((resolve, reject) => {
      const onAbort = () => finish(() => reject(abortError(signal)));
      const finish = (settle: () => void) => {
        if (!this.waiting.delete(entry)) return;
        signal.removeEventListener('abort', onAbort);
        settle();
      };
      const entry: Waiting = { request, settle: (answer) => finish(() => resolve(answer)) };
      this.waiting.add(entry);
      signal.addEventListener('abort', onAbort, { once: true });
      vscode.window.showInformationMessage(signInMessage(request), SIGN_IN, CANCEL).then(
        (choice) => {
          if (this.waiting.has(entry)) entry.settle(choice === SIGN_IN);
          else if (choice === SIGN_IN) this.deps.signInAgain(request.server);
        },
        (error: unknown) => {
          this.deps.logger.error(`could not ask to sign in: ${errorMessage(error)}`);
          entry.settle(false);
        },
      );
    });
  }

  /** Answers the open sign-in question of `server` (Sign In / Cancel from the Servers view); false when none. */
  answer(server: string, signIn: boolean): boolean {
    const open = [...this.waiting].filter((entry) => entry.request.server === server);
    for (const entry of open) entry.settle(signIn);
    return open.length > 0;
  }

  async askClientId(request: { readonly server: string; readonly issuer: string }, signal: AbortSignal): Promise<string | undefined> {
    const cancel = new vscode.CancellationTokenSource();
    const onAbort = () => cancel.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await vscode.window.showInputBox(
        {
          title: `MCP Warden: sign in to ${request.issuer}`,
          prompt: `Server '${request.server}': ${request.issuer} has no dynamic client registration. Enter the client id registered there for MCP Warden (a public client; for one with a secret, set oauth.clientId and oauth.clientSecret instead).`,
          placeHolder: 'client id',
          ignoreFocusOut: true,
          validateInput: (value) => (value.trim() === '' || /\s/.test(value.trim()) ? 'A client id is one word, with no spaces.' : undefined),
        },
        cancel.token,
      );
    } finally {
      signal.removeEventListener('abort', onAbort);
      cancel.dispose();
    }
  }

  async openBrowser(url: string): Promise<boolean> {
    // The string itself, not Uri.parse(url): the extension host opens a string as given, while a Uri would be
    // re-encoded (a `+` between scopes in the query would become `%2B`, another scope).
    return vscode.env.openExternal(url as unknown as vscode.Uri);
  }

  async externalUrl(url: string): Promise<string> {
    const external = await vscode.env.asExternalUri(vscode.Uri.parse(url));
    return external.toString(true);
  }

  dispose(): void {
    for (const entry of [...this.waiting]) entry.settle(false);
  }
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('the sign-in question was withdrawn');
}
