// Where the browser comes back after a sign-in: an HTTP listener on 127.0.0.1 (RFC 8252 §7.3, loopback redirect),
// one path, one expected `state`. It answers a short page and hands the query to the engine; everything else gets a
// 404. Time-out and abort close the port, so nothing listens once the sign-in is over.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CALLBACK_PATH = '/callback';

/** The callback never came: the user did not finish in time. */
export class SignInTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the sign-in did not finish within ${Math.round(timeoutMs / 1000)} s`);
    this.name = 'SignInTimeoutError';
  }
}

/**
 * The authorization server sent the browser back with an error (e.g. access_denied). Only an error code of RFC 6749's
 * shape is shown: `error_description` is whatever the page the browser came from wrote (in a mix-up, an attacker's
 * text), so it never reaches a notification or a log.
 */
export class AuthorizationDeniedError extends Error {
  readonly error: string;
  constructor(error: string) {
    const code = /^[a-z_]{1,64}$/.test(error) ? error : 'an error';
    super(`the authorization server answered ${code}`);
    this.error = code;
    this.name = 'AuthorizationDeniedError';
  }
}

export class LoopbackReceiver {
  private pending: { state: string; resolve: (params: URLSearchParams) => void; reject: (error: Error) => void } | undefined;
  private closed = false;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {
    server.on('request', (req, res) => this.answer(req, res));
  }

  /**
   * Listens on 127.0.0.1: on `preferredPort` when it is free (a redirect URI registered before stays valid), else
   * on a port the system picks.
   */
  static async open(preferredPort?: number): Promise<LoopbackReceiver> {
    if (preferredPort !== undefined && preferredPort > 0) {
      const server = await listen(preferredPort).catch(() => undefined);
      if (server) return new LoopbackReceiver(server, preferredPort);
    }
    const server = await listen(0);
    return new LoopbackReceiver(server, (server.address() as AddressInfo).port);
  }

  /** The redirect URI as the receiver itself serves it. */
  get url(): string {
    return `http://127.0.0.1:${this.port}${CALLBACK_PATH}`;
  }

  /**
   * Resolves with the callback's query once the browser arrives with `state`; rejects on an error answer, after
   * `timeoutMs`, or when `signal` aborts. The port closes in every case.
   */
  wait(state: string, timeoutMs: number, signal?: AbortSignal): Promise<URLSearchParams> {
    if (this.closed) return Promise.reject(new Error('the sign-in receiver is closed'));
    return new Promise<URLSearchParams>((resolve, reject) => {
      const timer = setTimeout(() => finish(new SignInTimeoutError(timeoutMs)), timeoutMs);
      const onAbort = () => finish(signal?.reason instanceof Error ? signal.reason : new DOMException('the sign-in was cancelled', 'AbortError'));
      const finish = (outcome: URLSearchParams | Error) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.pending = undefined;
        void this.close();
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending = { state, resolve: finish, reject: finish };
    });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.pending?.reject(new Error('the sign-in receiver was closed'));
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const pending = this.pending;
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) return page(res, 404, 'Not found.');
    // A callback for another sign-in (or a forged one) is refused and the wait goes on: only the browser that
    // started this sign-in knows its state.
    if (!pending || url.searchParams.get('state') !== pending.state) {
      return page(res, 400, 'This sign-in link is not the one MCP Warden is waiting for. Start the sign-in again from VS Code.');
    }
    const error = url.searchParams.get('error');
    if (error) {
      page(res, 200, 'The sign-in was not completed. You can close this tab and return to VS Code.');
      pending.reject(new AuthorizationDeniedError(error));
      return;
    }
    page(res, 200, 'Signed in. You can close this tab and return to VS Code.');
    pending.resolve(url.searchParams);
  }
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function page(res: ServerResponse, status: number, text: string): void {
  const body = `<!doctype html><html><head><meta charset="utf-8"><title>MCP Warden</title></head><body><p>${text}</p></body></html>`;
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'",
    'Referrer-Policy': 'no-referrer',
    Connection: 'close',
  });
  res.end(body);
}
