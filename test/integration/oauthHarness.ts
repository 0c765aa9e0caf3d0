// OAuth sign-in against a real authorization server: oidc-provider and protected MCP servers from
// test/fixtures/oauth (in this process, so a test can see every request they got and reach the AS's storage), and
// MCP Warden as harness.ts builds it (real launcher, registry and supervisor) plus the auth deps the extension gives:
// a memory AuthSecretStore and a headless browser user. Wired for secrets as src/vscode/warden.ts wires it: one
// Redactor, fed by the launches, in front of the per-server logs.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AuditInput } from '../../src/core/audit/auditEvent';
import type { ServerAuthDeps } from '../../src/core/auth/authPorts';
import type { ServerSnapshot } from '../../src/core/lifecycle/serverRegistry';
import type { ServerState } from '../../src/core/lifecycle/serverState';
import { Redactor } from '../../src/core/redaction';
import { MemoryAuthStore as BaseMemoryAuthStore } from '../../src/node/auth/memoryAuthStore';
import { HeadlessBrowser } from '../support/oauthBrowser';
import { ROOT, startServers, type Harness } from './harness';

/** SecretStorage in memory: what the engine stored, for the test to read (and tamper with). */
export class MemoryAuthStore extends BaseMemoryAuthStore {
  /** The stored values by key (the base class's map). */
  get entries(): Map<string, string> {
    return this.values;
  }
  oauthKeys(): string[] {
    return [...this.entries.keys()].filter((k) => k.startsWith('mcpWarden.oauth/'));
  }
  /** The stored token set for a resource (key `mcpWarden.oauth/tokens/<issuer> <resource>`), parsed. */
  tokensFor(resource: string): StoredTokens | undefined {
    const key = [...this.entries.keys()].find((k) => k.startsWith('mcpWarden.oauth/tokens/') && k.endsWith(` ${resource}`));
    return key ? (JSON.parse(this.entries.get(key)!) as StoredTokens) : undefined;
  }
  /** Every secret value stored (tokens, client secrets, verifiers), wherever it sits in the JSON values. */
  secrets(): string[] {
    const found: string[] = [];
    const walk = (value: unknown, key: string) => {
      if (typeof value === 'string' && SECRET_FIELDS.test(key)) found.push(value);
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
    };
    for (const text of this.entries.values()) {
      try {
        walk(JSON.parse(text), '');
      } catch {
        found.push(text);
      }
    }
    return found;
  }
}

const SECRET_FIELDS = /^(access_token|refresh_token|id_token|client_secret|registration_access_token|code_verifier|codeVerifier|verifier)$/;

export interface StoredTokens {
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly scope?: string;
  readonly expires_at?: number;
}

// ---------- the fixtures (ESM, loaded once) ----------

export interface AsRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body: Record<string, string>;
  readonly authorization?: string;
  readonly status: number;
}
export interface McpRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization?: string;
  readonly rpc?: string;
  readonly tool?: string;
}
export interface ProtectedServer {
  readonly url: string;
  readonly resourceMetadataUrl: string;
  readonly requests: McpRequest[];
  close(): Promise<void>;
}
export interface OAuthServers {
  readonly issuer: string;
  readonly url: string;
  readonly requests: McpRequest[];
  /** The MCP server answers 401 invalid_token to this access token from now on, though it has not expired. */
  rejectToken(token: string): void;
  readonly second?: ProtectedServer;
  readonly as: {
    readonly requests: AsRequest[];
    revokeRefreshToken(value: string): Promise<void>;
    refreshTokenActive(value: string): Promise<boolean>;
  };
  protectedBy(authorizationServers: string[]): Promise<ProtectedServer>;
  close(): Promise<void>;
}
export interface ClientMetadata {
  readonly client_id: string;
  readonly client_secret?: string;
  readonly [key: string]: unknown;
}
export interface ServerOptions {
  /** Seconds (default 300). */
  readonly accessTokenTTL?: number;
  /** A second protected MCP server (another port and resource) of the same AS. */
  readonly second?: boolean;
  /** Clients registered with the AS beforehand. */
  readonly clients?: ClientMetadata[];
  /** The AS offers DPoP (oidc-provider's default); the MCP servers take Bearer tokens only either way. */
  readonly dpop?: boolean;
  /** Dynamic client registration (default true); false: the AS advertises none. */
  readonly registration?: boolean;
}
interface FixtureModules {
  startOAuthServers(options: ServerOptions): Promise<OAuthServers>;
  startHostileMetadata(options: { realIssuer: string; claimedIssuer?: string; overrides?: Record<string, unknown> }): Promise<{ url: string; requests: unknown[]; close(): Promise<void> }>;
}

const FIXTURES = join(ROOT, 'test/fixtures/oauth');
let modules: Promise<FixtureModules> | undefined;
function fixtures(): Promise<FixtureModules> {
  modules ??= Promise.all([
    import(pathToFileURL(join(FIXTURES, 'oauth-servers.mjs')).href),
    import(pathToFileURL(join(FIXTURES, 'hostile-metadata.mjs')).href),
  ]).then(([servers, hostile]) => ({ ...(servers as object), ...(hostile as object) }) as FixtureModules);
  return modules;
}

const cleanups: (() => Promise<void>)[] = [];

/** Stops every registry and server an OAuth test started (call from afterEach). */
export async function disposeOAuthRuns(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
}

export async function startOAuthServers(options: ServerOptions = {}): Promise<OAuthServers> {
  const servers = await (await fixtures()).startOAuthServers({ accessTokenTTL: options.accessTokenTTL ?? 300, ...options });
  cleanups.push(() => servers.close());
  return servers;
}

/**
 * A metadata endpoint on 127.0.0.1 that names `claimedIssuer` (a mix-up: not its own URL; 'self': its own, honest),
 * with `overrides` replacing fields of the real metadata it copies.
 */
export async function startHostileMetadata(realIssuer: string, claimedIssuer = realIssuer, overrides: Record<string, unknown> = {}) {
  const hostile = await (await fixtures()).startHostileMetadata({ realIssuer, claimedIssuer, overrides });
  cleanups.push(() => hostile.close());
  return hostile;
}

// ---------- MCP Warden ----------

/** The harness (its log is what a server's output channel was given, after redaction), with the OAuth parts. */
export interface Warden extends Harness {
  readonly store: MemoryAuthStore;
  readonly browser: HeadlessBrowser;
  readonly audited: AuditInput[];
  readonly redactor: Redactor;
  /** Every state each server passed through, in order. */
  readonly states: Map<string, ServerState[]>;
}

export interface WardenOptions {
  readonly browser?: HeadlessBrowser;
  readonly store?: MemoryAuthStore;
  readonly startupTimeoutMs?: number;
  readonly signInTimeoutMs?: number;
  /** Answers to `${input:…}` (what SecretStorage remembers for the user in the editor). */
  readonly inputs?: Record<string, string>;
  readonly autostart?: boolean;
}

/** The integration harness's registry (harness.ts) with the auth deps, an audit in memory, and every log redacted. */
export async function startWarden(servers: Record<string, unknown>, options: WardenOptions = {}): Promise<Warden> {
  const store = options.store ?? new MemoryAuthStore();
  const browser = options.browser ?? new HeadlessBrowser();
  const redactor = new Redactor();
  const audited: AuditInput[] = [];
  const audit = { record: (e: AuditInput | (() => AuditInput)) => audited.push(typeof e === 'function' ? e() : e) };
  const auth: ServerAuthDeps = {
    store,
    user: browser,
    ...(options.signInTimeoutMs !== undefined && { signInTimeoutMs: () => options.signInTimeoutMs! }),
  };
  const harness = await startServers(servers, {
    audit,
    redactor,
    auth,
    requestTimeoutMs: 30_000,
    failWaitOnError: true,
    explainWait: () => `\nvisits: ${browser.visits.map((v) => `${v.url.pathname} prompts=${v.prompts.join(',')} error=${v.error ?? ''}`).join('\n')}`,
    ...(options.startupTimeoutMs !== undefined && { startupTimeoutMs: options.startupTimeoutMs }),
    ...(options.inputs && { inputs: options.inputs }),
    // The states are recorded from the first one: the servers start once they are applied.
    autostart: false,
  });
  const { registry } = harness;
  const states = new Map<string, ServerState[]>();
  const subscription = registry.onDidChange((name) => {
    for (const s of name ? [registry.server(name)] : registry.servers) {
      if (!s) continue;
      const seen = states.get(s.name) ?? [];
      if (seen.at(-1) !== s.state) seen.push(s.state);
      states.set(s.name, seen);
    }
  });
  // Before the authorization servers close (disposeOAuthRuns runs cleanups newest first): no sign-in outlives a test.
  const dispose = async () => {
    await harness.dispose();
    subscription.dispose();
    await browser.settled();
  };
  cleanups.push(dispose);
  if (options.autostart ?? true) await registry.startAll();
  return { ...harness, store, browser, audited, redactor, states, dispose };
}

/**
 * A confidential client registered at the AS beforehand (`oauth.clientId` + secret): a native app, so its loopback
 * redirect URI matches on any port (RFC 8252 §7.3), allowed to refresh and to ask for every MCP scope.
 */
export function preRegisteredClient(clientId: string, clientSecret: string): ClientMetadata {
  return {
    client_id: clientId,
    client_secret: clientSecret,
    application_type: 'native',
    redirect_uris: ['http://127.0.0.1/callback'],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'mcp:tools mcp:admin offline_access',
  };
}

/** An http server definition with `oauth` settings (absent: the spec's default client identity order). */
export function oauthServer(url: string, oauth?: Record<string, unknown>): Record<string, unknown> {
  return { type: 'http', url, ...(oauth && { oauth }) };
}

export const isRunning = (s: ServerSnapshot) => s.state.kind === 'running';
export const isError = (s: ServerSnapshot) => s.state.kind === 'error';
export const needsSignIn = (s: ServerSnapshot) => s.state.kind === 'needs-sign-in';

/** The claims of a JWT access token (not verified: the resource server does that). */
export function claimsOf(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1];
  if (!payload) throw new Error('not a JWT');
  return JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
}

/** Polls a condition (a state, not a time), failing with `what` after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the access token is past its own `exp` (seconds), as the resource server judges it. */
export async function untilExpired(accessToken: string): Promise<void> {
  const exp = Number(claimsOf(accessToken)['exp']);
  await until(() => Date.now() / 1000 > exp + 1, `the access token's exp ${exp}`, 30_000);
}

export const textOf = (result: unknown) => ((result as { content?: { text?: string }[] }).content ?? []).map((c) => c.text ?? '').join('');

/** The message of a failed state (or undefined). */
export function stateMessage(s: ServerSnapshot): string | undefined {
  const state = s.state as { message?: string };
  return state.message;
}

/** Why a start failed: the message of an `error` state, or the last error of a `waiting` (retry) one. */
export function failureOf(s: ServerSnapshot): string | undefined {
  if (s.state.kind === 'error') return s.state.message;
  if (s.state.kind === 'waiting') return s.state.lastError;
  return undefined;
}
export const hasFailed = (s: ServerSnapshot) => failureOf(s) !== undefined;

/** The audit records of auth events (`{type: 'auth', action, …}`). */
export function authEvents(audited: readonly AuditInput[]): { action: string; server: string; [k: string]: unknown }[] {
  return (audited as readonly { type: string }[]).filter((e) => e.type === 'auth') as unknown as { action: string; server: string }[];
}

/** Requests the AS answered at `path` (e.g. '/reg', '/token', '/auth'). */
export function asCalls(servers: OAuthServers, method: string, path: string): AsRequest[] {
  return servers.as.requests.filter((r) => r.method === method && r.path === path);
}
