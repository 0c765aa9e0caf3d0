import { stat } from 'node:fs/promises';
import {
  Client,
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  SSEClientTransport,
  StreamableHTTPClientTransport,
  UnauthorizedError,
  type Implementation,
  type JSONRPCMessage,
  type LoggingLevel,
  LOG_LEVEL_META_KEY,
  type Transport,
} from '@modelcontextprotocol/client';
import type { AuditSink } from '../core/audit/auditEvent';
import { LaunchError } from '../core/lifecycle/launchError';
import type { LaunchRequest, Session, SessionEnd, SessionLauncher, TransportKind } from '../core/lifecycle/session';
import { LogLineRedactor } from '../core/logRedaction';
import { errorMessage, type Logger } from '../core/ports';
import { limitedFetch } from './limitedFetch';
import { MessageTooLargeError } from './lineFramer';
import { fetchCatalog, logServerMessage, McpSession } from './mcpSession';
import { answerServerRequests, clientCapabilities, readDeclarations } from './serverRequests';
import { OUTPUT_CLOSED_REASON, ProcessTransport } from './processTransport';
import { serverEnvironment } from './serverEnvironment';
import { observeAll, tapTransport, type TransportObserver } from './transportTap';
import { AuditTap } from './audit/auditTap';
import type { Containment } from './containment';
import { failureTap } from './sandbox/failureTap';
import { askUrlElicitations } from './urlElicitationRequired';
import { MAX_SIGN_IN_ROUNDS, ServerAuth, type AuthorizableTransport } from './auth/serverAuth';
import { SignInError } from './auth/browserSignIn';
import { oauthLaunchError } from './auth/authErrors';
import type { SessionReauthorizer } from './mcpSession';

/** On stdio, silence to `server/discover` means a server of the initialize era; do not wait long for it. */
const STDIO_PROBE_TIMEOUT_MS = 5000;
const TRACE_PREVIEW_CHARS = 64 * 1024;

export interface McpLauncherOptions {
  readonly clientInfo: Implementation;
  /** Receives every message of every session. */
  readonly audit?: AuditSink;
  /**
   * How a stdio server is contained (the OS sandbox, see sandbox/serverSandboxes.ts); undefined: the machine's
   * default (a PID namespace or a process group). Throws a LaunchError to refuse the launch.
   */
  readonly containmentFor?: (request: LaunchRequest) => Promise<Containment | undefined>;
  /** Sees the text of every failure a stdio server reports (error results, stderr): the sandbox asks about hidden paths in it. */
  readonly onServerFailure?: (request: LaunchRequest, text: string) => void;
}

/**
 * Starts sessions with the MCP SDK's v2 client, which negotiates every protocol era: it probes with
 * `server/discover` (2026-07-28) and falls back to the initialize handshake (2024-11-05 … 2025-11-25).
 */
export class McpLauncher implements SessionLauncher {
  /** Servers that exit when probed with `server/discover`: they are started straight in the initialize era. */
  private readonly exitsOnProbe = new Set<string>();

  constructor(private readonly options: McpLauncherOptions) {}

  launch(request: LaunchRequest): Promise<Session> {
    return request.spec.type === 'stdio' ? this.launchStdio(request) : this.launchHttp(request);
  }

  private async launchStdio(request: LaunchRequest): Promise<Session> {
    const { spec, keyPath } = request;
    if (spec.type !== 'stdio') throw new Error('not a stdio definition');
    if (spec.cwd !== undefined) await checkFolder(spec.cwd, `${keyPath}.cwd`);

    const probeKey = `${request.serverName}\0${spec.command}\0${spec.args.join('\0')}`;
    const attempt = async (legacyOnly: boolean): Promise<Session> => {
      const containment = await this.options.containmentFor?.(request);
      const transport = new ProcessTransport({
        ...(containment && { containment }),
        ...(containment?.kind === 'sandbox' && this.options.onServerFailure && { onStderrLine: (line: string) => this.options.onServerFailure?.(request, line) }),
        command: spec.command,
        args: spec.args,
        env: serverEnvironment(spec.env),
        ...(spec.cwd !== undefined && { cwd: spec.cwd }),
        maxMessageBytes: request.limits.maxMessageBytes,
        logger: request.logger,
      });
      const explainEnd = (): SessionEnd => describeProcessEnd(transport);
      try {
        return await this.connect(request, transport, 'stdio', explainEnd, { legacyOnly, probeTimeoutMs: STDIO_PROBE_TIMEOUT_MS });
      } catch (error) {
        throw stdioLaunchError(error, transport, spec.command, keyPath);
      }
    };

    if (this.exitsOnProbe.has(probeKey)) return attempt(true);
    try {
      return await attempt(false);
    } catch (error) {
      if (!isClosedDuringProbe(error)) throw error;
      request.logger.info('the server exited when probed with server/discover: starting it again with the initialize handshake');
      this.exitsOnProbe.add(probeKey);
      return attempt(true);
    }
  }

  private async launchHttp(request: LaunchRequest): Promise<Session> {
    const { spec, keyPath } = request;
    if (spec.type === 'stdio') throw new Error('not an http definition');
    const url = new URL(spec.url);
    let tooLarge: MessageTooLargeError | undefined;
    let session: McpSession | undefined;
    const limited = limitedFetch(request.limits.maxMessageBytes, (error) => {
      tooLarge = error;
      request.logger.error(error.message);
      session?.end({ reason: error.message, fatal: true });
    });
    const requestInit = { headers: { ...spec.headers } };
    const explainEnd = (): SessionEnd => (tooLarge ? { reason: tooLarge.message, fatal: true } : { reason: 'the server closed the connection', fatal: false });
    const oauth = request.auth ? await ServerAuth.create(request.serverName, spec.url, request.auth, keyPath, request.logger) : undefined;
    const fetch = oauth ? oauth.wrapFetch(limited) : limited;
    const authOptions = oauth ? { authProvider: oauth.provider } : {};
    // The transport of the running session: a sign-in during a call finishes on it.
    let current: (Transport & AuthorizableTransport) | undefined;
    const reauthorize: SessionReauthorizer | undefined = oauth && (async (error, signal) => {
      if (!current) return false;
      try {
        return await oauth.signInAfter(error, current, signal, fetch);
      } catch (failure) {
        throw failure instanceof SignInError ? new Error(failure.message) : failure;
      }
    });

    const sseTransport = () => new SSEClientTransport(url, { requestInit, fetch, eventSourceInit: { fetch }, ...authOptions });
    const httpTransport = () => new StreamableHTTPClientTransport(url, { requestInit, fetch, ...authOptions });
    /**
     * Connects; when the server wants a sign-in, the user signs in (the start deadline does not run meanwhile) and
     * a new transport connects again, with a fresh deadline: at most a sign-in and MAX_SIGN_IN_ROUNDS step-ups.
     */
    const connectSignedIn = async (make: () => Transport & AuthorizableTransport, kind: TransportKind, legacyOnly: boolean): Promise<McpSession> => {
      for (let round = 0; ; round++) {
        const transport = make();
        current = transport;
        try {
          return await this.connect(request, transport, kind, explainEnd, { legacyOnly }, reauthorize && { reauthorize, pending: () => oauth?.signInPending ?? false });
        } catch (error) {
          if (!oauth || round > MAX_SIGN_IN_ROUNDS) throw error;
          if (await oauth.askClientIdAfter(request.signal)) {
            request.logger.info('a client id was entered: connecting again');
            continue;
          }
          if (!(await oauth.signInAfter(error, transport, request.signal, fetch))) throw error;
          request.logger.info('signed in: connecting again');
        }
      }
    };
    try {
      if (spec.type === 'sse') {
        session = await connectSignedIn(sseTransport, 'sse', true);
      } else {
        try {
          session = await connectSignedIn(httpTransport, 'streamable-http', false);
        } catch (error) {
          if (!(error instanceof SdkHttpError) || ![400, 404, 405].includes(error.status)) throw error;
          request.logger.info(`Streamable HTTP was refused with HTTP ${error.status}: trying the legacy HTTP+SSE transport`);
          session = await connectSignedIn(sseTransport, 'sse', true);
        }
      }
      return session;
    } catch (error) {
      throw httpLaunchError(error, tooLarge, spec.url, keyPath, oauth);
    }
  }

  /**
   * Connects a client over a transport within the startup timeout, lists what the server offers, and wraps it
   * in a session. On any failure, timeout or abort the transport is closed, so no process is left behind.
   */
  private async connect(
    request: LaunchRequest,
    rawTransport: Transport,
    kind: TransportKind,
    explainEnd: () => SessionEnd,
    negotiation: { readonly legacyOnly: boolean; readonly probeTimeoutMs?: number },
    auth?: { readonly reauthorize: SessionReauthorizer; readonly pending: () => boolean },
  ): Promise<McpSession> {
    const { logger, limits, signal, clientRequests } = request;
    let session: McpSession | undefined;
    const pendingCatalog: Array<() => void> = [];
    const declared = clientCapabilities(request.offered);
    const client = new Client(this.options.clientInfo, {
      capabilities: declared,
      versionNegotiation: {
        mode: negotiation.legacyOnly ? 'legacy' : 'auto',
        ...(negotiation.probeTimeoutMs !== undefined && { probe: { timeoutMs: negotiation.probeTimeoutMs } }),
      },
      listChanged: Object.fromEntries(
        (['tools', 'prompts', 'resources'] as const).map((part) => [
          part,
          {
            onChanged: (error: Error | null, items: unknown[] | null) => {
              if (session?.isClosing) return;
              if (error) logger.warn(`could not refresh ${part}: ${error.message}`);
              else if (items) {
                const apply = () => session?.updateCatalog(part, items);
                if (session) apply();
                else pendingCatalog.push(apply);
              }
            },
          },
        ]),
      ),
    });
    client.onerror = (error) => logger.debug(`protocol: ${error.message}`);
    // Wired before the transport starts, so a close at any moment is seen: one during the handshake fails
    // connect(); one while the lists are fetched fails the start below; one later ends the session.
    let closedBeforeSession = false;
    // Browser steps of a -32042 error still waiting for the user are withdrawn when the connection closes.
    const connection = new AbortController();
    client.onclose = () => {
      connection.abort();
      if (session) session.connectionClosed();
      else closedBeforeSession = true;
    };
    client.setNotificationHandler('notifications/message', (notification) => logServerMessage(logger, notification.params));
    answerServerRequests(client, request.clientRequests, request.offered);
    const onComplete = request.onElicitationComplete;
    if (onComplete && request.offered?.elicitationUrl) {
      client.setNotificationHandler('notifications/elicitation/complete', (notification) => onComplete(notification.params.elicitationId));
    }
    const observers: TransportObserver[] = [];
    if (logger.traceEnabled) observers.push(traceObserver(logger));
    if (this.options.audit) observers.push(new AuditTap(this.options.audit, request.serverName, request.sessionId));
    const onFailure = this.options.onServerFailure;
    if (onFailure && kind === 'stdio') observers.push(failureTap((text) => onFailure(request, text)));
    const transport = observers.length > 0 ? tapTransport(rawTransport, observeAll(observers)) : rawTransport;

    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), limits.startupTimeoutMs);
    const onAbort = () => deadline.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const handshake = (async () => {
        await client.connect(transport, { timeout: limits.startupTimeoutMs, signal: deadline.signal });
        refuseBelowFloor(client.getNegotiatedProtocolVersion(), limits.minProtocolVersion, request.keyPath);
        if (client.getProtocolEra() !== 'modern' && client.getServerCapabilities()?.logging) {
          await client
            .setLoggingLevel(limits.serverLogLevel as LoggingLevel, { timeout: limits.startupTimeoutMs })
            .catch((error: unknown) => logger.debug(`logging/setLevel refused: ${errorMessage(error)}`));
        }
        return fetchCatalog(client, logger, limits.startupTimeoutMs);
      })();
      const stopped = new Promise<never>((_, reject) => {
        deadline.signal.addEventListener('abort', () => reject(signal.aborted ? abortError() : startupTimeout(limits.startupTimeoutMs)), { once: true });
      });
      const catalog = await Promise.race([handshake, stopped]);
      handshake.catch(() => undefined);
      // A list the server refused for want of a sign-in (lists fail quietly): sign in and start again.
      if (auth?.pending()) throw new UnauthorizedError('the server wants a sign-in before it lists what it offers');
      // A server that went away while its lists were fetched (the lists then come back empty) crashed.
      if (closedBeforeSession || (rawTransport instanceof ProcessTransport && rawTransport.exit)) {
        throw new LaunchError(`${explainEnd().reason}, right after the MCP handshake`, true);
      }
      const server = client.getServerVersion();
      const pid = rawTransport instanceof ProcessTransport ? (rawTransport.serverPid ?? rawTransport.pid) : null;
      const instructions = client.getInstructions();
      // In 2026-07-28 these are the capabilities of the server/discover result.
      const capabilities = client.getServerCapabilities();
      const declarations = readDeclarations(capabilities);
      session = new McpSession(
        client,
        {
          protocolVersion: client.getNegotiatedProtocolVersion() ?? 'unknown',
          era: client.getProtocolEra() ?? 'legacy',
          transport: kind,
          serverInfo: { name: server?.name ?? 'unknown', version: server?.version ?? 'unknown', ...(server?.title && { title: server.title }) },
          capabilities: { ...(capabilities ?? {}) },
          clientCapabilities: declared,
          ...(declarations && { declarations }),
          ...(instructions && { instructions }),
          ...(pid !== null && { pid }),
        },
        catalog,
        explainEnd,
        logger,
        (error) => kind !== 'stdio' && isConnectionLoss(error),
        // 2026-07-28 dropped logging/setLevel: the level travels with each request instead.
        client.getProtocolEra() === 'modern' ? { [LOG_LEVEL_META_KEY]: limits.serverLogLevel } : undefined,
        clientRequests && request.offered?.elicitationUrl ? (elicitations) => askUrlElicitations(clientRequests, elicitations, logger, connection.signal) : undefined,
        undefined,
        auth?.reauthorize,
      );
      for (const apply of pendingCatalog) apply();
      return session;
    } catch (error) {
      await client.close().catch(() => undefined);
      await rawTransport.close().catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }
}

function traceObserver(logger: Logger): TransportObserver {
  const write = (arrow: string, message: JSONRPCMessage) => {
    const text = JSON.stringify(message);
    logger.trace(`${arrow} ${text.length > TRACE_PREVIEW_CHARS ? `${text.slice(0, TRACE_PREVIEW_CHARS)}… (${text.length} chars)` : text}`);
  };
  return { onSend: (m: JSONRPCMessage) => write('→', m), onReceive: (m: JSONRPCMessage) => write('←', m) };
}

async function checkFolder(path: string, keyPath: string): Promise<void> {
  try {
    if ((await stat(path)).isDirectory()) return;
  } catch {
    // reported below
  }
  throw new LaunchError(`${keyPath}: the folder '${path}' does not exist`, false);
}

function describeProcessEnd(transport: ProcessTransport): SessionEnd {
  if (transport.fatalError) return { reason: transport.fatalError.message, fatal: true };
  const exit = transport.exit;
  let how: string;
  if (transport.closedOutput) how = OUTPUT_CLOSED_REASON;
  else if (!exit) how = 'the server closed its output';
  else if (exit.signal) how = `the server process was killed by ${exit.signal}`;
  else how = `the server process exited with code ${exit.code}`;
  // Read as the server's output channel shows it: a line inside a private key printed over several lines is hidden.
  const shown = new LogLineRedactor((text) => text);
  let lastLine: string | undefined;
  for (const line of transport.recentStderr) lastLine = shown.line(line);
  return { reason: lastLine ? `${how}; its last stderr line: ${lastLine}` : how, fatal: false };
}

/**
 * Protocol versions are dates (YYYY-MM-DD), so they compare as strings. A server that negotiated a version below
 * the floor is refused before anything is listed or called; the message says which setting decides.
 */
export function refuseBelowFloor(negotiated: string | undefined, floor: string | undefined, keyPath: string): void {
  if (!floor || (negotiated !== undefined && negotiated >= floor)) return;
  throw new LaunchError(
    `${keyPath}: the server speaks MCP ${negotiated ?? '(unknown version)'}, below the lowest version accepted (mcpWarden.minProtocolVersion is ${floor}); ` +
      'update the server, or lower mcpWarden.minProtocolVersion in your user settings',
    false,
  );
}

function stdioLaunchError(error: unknown, transport: ProcessTransport, command: string, keyPath: string): Error {
  if (error instanceof LaunchError || isAbort(error) || isClosedDuringProbe(error)) return error as Error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new LaunchError(`${keyPath}.command: '${command}' was not found; install it or give its full path`, false);
  if (code === 'EACCES') return new LaunchError(`${keyPath}.command: '${command}' is not executable`, false);
  if (transport.fatalError) return new LaunchError(transport.fatalError.message, false);
  if (transport.exit) return new LaunchError(`${describeProcessEnd(transport).reason}, before the MCP handshake completed`, true);
  return new LaunchError(`the MCP handshake failed: ${errorMessage(error)}`, false);
}

function httpLaunchError(error: unknown, tooLarge: MessageTooLargeError | undefined, url: string, keyPath: string, oauth: ServerAuth | undefined): Error {
  if (error instanceof LaunchError || isAbort(error)) return error as Error;
  if (tooLarge) return new LaunchError(tooLarge.message, false);
  if (error instanceof SignInError) return new LaunchError(error.message, false);
  if (oauth) {
    const authFailure = oauthLaunchError(error, url, keyPath, oauth);
    if (authFailure) return authFailure;
  }
  if (error instanceof SdkHttpError) {
    if (error.status === 401 || error.status === 403) {
      return new LaunchError(`${url} answered HTTP ${error.status}: the server requires authorization; check ${keyPath}.headers`, false);
    }
    return new LaunchError(`${url} answered HTTP ${error.status}${error.statusText ? ` ${error.statusText}` : ''}`, error.status >= 500);
  }
  if (isConnectionLoss(error)) return new LaunchError(`cannot connect to ${url}: ${networkCause(error)}`, true);
  return new LaunchError(`the MCP handshake with ${url} failed: ${errorMessage(error)}`, false);
}

function startupTimeout(ms: number): LaunchError {
  return new LaunchError(`the server did not complete the MCP handshake within ${ms / 1000} s (mcpWarden.startupTimeoutSeconds)`, false);
}

function abortError(): Error {
  return new DOMException('the start was cancelled', 'AbortError');
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

function isClosedDuringProbe(error: unknown): boolean {
  return error instanceof SdkError && error.code === SdkErrorCode.EraNegotiationFailed && /closed during the server\/discover probe/.test(error.message);
}

/** A network failure below HTTP (refused, reset, DNS), as opposed to an answer the server gave. */
function isConnectionLoss(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code && /^(ECONNREFUSED|ECONNRESET|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_SOCKET|UND_ERR_CLOSED)$/.test(code)) return true;
    if (e instanceof TypeError && e.message === 'fetch failed') return true;
  }
  return false;
}

function networkCause(error: unknown): string {
  const codes: string[] = [];
  let innermost = error;
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    innermost = e;
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) codes.push(code);
  }
  if (codes.includes('ECONNREFUSED')) return 'connection refused';
  if (codes.includes('ENOTFOUND')) return 'host not found';
  // e.g. "bad port": fetch refuses some ports outright
  return codes[0] ?? errorMessage(innermost);
}
