import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AuditSink } from '../../core/audit/auditEvent';
import type { LaunchSpec } from '../../core/config/launchSpec';
import { Emitter, type Event } from '../../core/events';
import { GATEWAY_URL_VARIABLE, SANDBOXED_GATEWAY_HOST, sandboxedGatewayUrl } from '../../core/gateway/delegation';
import { LaunchError } from '../../core/lifecycle/launchError';
import { formatNetTarget } from '../../core/permissions/netTargets';
import type { Grant, PermissionKind, PermissionRequest } from '../../core/permissions/permission';
import type { RequestAuthorizer } from '../../core/permissions/permissionBroker';
import type { ListedGrant, PermissionGate } from '../../core/permissions/permissionGate';
import { errorMessage, type Logger } from '../../core/ports';
import { buildSandboxProfile } from '../../core/sandbox/profileBuilder';
import { isAtOrUnder } from '../../core/sandbox/posixPath';
import { protectedPathOf } from '../../core/sandbox/protectedPaths';
import type { SandboxAvailability, SandboxMode, SandboxProfile, SandboxStatus } from '../../core/sandbox/sandboxProfile';
import { sandboxPlan } from '../../core/sandbox/sandboxPlan';
import { blockedPaths, jitPermission, parseViolation } from '../../core/sandbox/violations';
import type { Containment } from '../containment';
import { serverEnvironment } from '../serverEnvironment';
import { baselineReadPaths } from './baseline';
import { launcherNeeds, type LauncherNeeds } from './packageLaunchers';
import type { SandboxSession, SandboxSessionOptions } from './sandboxSession';

/** What a session reports to: the server and run it serves (a spare is bound to one when it is taken). */
interface SessionHandlers {
  readonly onAsk: (host: string, port: number) => Promise<boolean>;
  readonly onViolation: (line: string) => void;
  readonly logger: Logger;
}

/** A session started ahead of need, not yet bound to a server. */
interface Spare {
  readonly sandbox: SandboxSession;
  readonly folder: string;
  bind(handlers: SessionHandlers): void;
}

/** A logger that writes to whichever logger `current` gives now. */
function forwardingLogger(current: () => Logger): Logger {
  return {
    trace: (message) => current().trace(message),
    debug: (message) => current().debug(message),
    info: (message) => current().info(message),
    warn: (message) => current().warn(message),
    error: (message) => current().error(message),
    get traceEnabled() {
      return current().traceEnabled;
    },
  };
}

/** The kinds the OS sandbox enforces: a change to one of their grants changes a running server's profile. */
const SANDBOX_KINDS: ReadonlySet<PermissionKind> = new Set(['fs.read', 'fs.write', 'net']);

export interface ServerSandboxesDeps {
  readonly gate: PermissionGate;
  readonly authorizer: RequestAuthorizer;
  readonly audit: AuditSink;
  /** mcpWarden.sandbox.mode, from user (machine) settings only. */
  readonly mode: () => SandboxMode;
  /** Whether this machine can sandbox; probed once. */
  readonly availability: () => Promise<SandboxAvailability>;
  readonly startSession: (options: SandboxSessionOptions) => Promise<SandboxSession>;
  /** Restarts a server so that it runs with a new profile; `reason` goes to its log and the audit log. */
  readonly restart: (server: string, reason: string) => Promise<void>;
  /** Paths of the host to keep from every server even under a broad read grant (the editor's storage). */
  readonly protectedPaths: () => readonly string[];
  readonly logger: Logger;
  /** Where each run's private folder is made (temp files, the runtime's sockets). */
  readonly folderRoot: string;
  /** Where package launchers (npx, uvx) keep each server's own cache, between runs; without it they get none. */
  readonly cacheRoot?: string;
  /** The user's home, whose secrets stay hidden (os.homedir() unless a test gives another). */
  readonly home?: string;
}

/** What a launch needs to know to contain one run of a stdio server. */
export interface ContainRequest {
  readonly serverName: string;
  readonly sessionId: string;
  readonly spec: LaunchSpec;
  readonly logger: Logger;
}

/** One sandboxed run of a server. */
interface Run {
  readonly server: string;
  readonly session: string;
  readonly spec: Extract<LaunchSpec, { type: 'stdio' }>;
  readonly folder: string;
  readonly needs: LauncherNeeds | undefined;
  readonly sandbox: SandboxSession;
  readonly logger: Logger;
  profile: SandboxProfile;
  /** Targets already asked about in this run: a server retrying a blocked write asks once. */
  readonly asked: Set<string>;
  /** Questions about a host waiting for the user: concurrent connections to it share one. */
  readonly pendingHosts: Map<string, Promise<boolean>>;
  restarting: boolean;
}

/**
 * Runs every stdio server in the OS sandbox with a profile built from its grants, and keeps the two in step:
 * a connection to a host nobody granted becomes a question whose answer applies to the waiting connection; a
 * blocked write becomes a question whose Allow restarts the server with the wider profile; a grant made or
 * revoked elsewhere applies at once (network: live; filesystem: by a restart).
 */
export class ServerSandboxes {
  private readonly runs = new Map<string, Run>();
  private readonly statuses = new Map<string, SandboxStatus>();
  /** Grants for one run only (once, session) made in the run a restart ended: the next run gets them again. */
  private readonly carried = new Map<string, Grant[]>();
  /** Per server: the paths a question waits about. */
  private readonly pendingPaths = new Map<string, Set<string>>();
  private readonly changeEmitter = new Emitter<string>();
  readonly onDidChange: Event<string> = this.changeEmitter.event;
  private readonly gateSubscription: { dispose(): void };
  private spare: Promise<Spare | undefined> | undefined;
  private disposed = false;

  private readonly home: string;

  constructor(private readonly deps: ServerSandboxesDeps) {
    this.home = deps.home ?? homedir();
    this.gateSubscription = deps.gate.onDidChange(() => this.grantsChanged());
  }

  /** How a server's current (or last) run is contained; undefined before its first start. */
  status(server: string): SandboxStatus | undefined {
    return this.statuses.get(server);
  }

  /**
   * The containment of one launch attempt: the sandbox, or undefined for the machine's default (PID namespace or
   * process group) when the sandbox is off or unavailable in preferred mode. Throws a permanent LaunchError when
   * the sandbox is required and unavailable. Attempts of the same run (a protocol fallback) share one sandbox.
   */
  async containmentFor(request: ContainRequest): Promise<Containment | undefined> {
    const { serverName: server, sessionId: session, spec } = request;
    if (spec.type !== 'stdio') {
      this.setStatus(server, { kind: 'not-applicable' });
      return undefined;
    }
    const existing = this.runs.get(server);
    if (existing?.session === session) return { kind: 'sandbox', session: existing.sandbox, ...runEnv(existing.needs, spec) };
    if (existing) await this.endRun(existing);

    const plan = sandboxPlan(this.deps.mode(), await this.deps.availability());
    if (plan.run === 'refused') {
      this.setStatus(server, { kind: 'unsandboxed', reason: plan.message });
      throw new LaunchError(plan.message, false);
    }
    if (plan.run === 'unsandboxed') {
      if (plan.warning) request.logger.warn(plan.warning);
      this.setStatus(server, { kind: 'unsandboxed', reason: plan.warning ?? 'the sandbox is off' });
      return undefined;
    }

    this.restoreCarried(server, session);
    const needs = this.deps.cacheRoot ? launcherNeeds(spec.command, spec.args, server, this.deps.cacheRoot) : undefined;
    if (needs) {
      mkdirSync(needs.cacheFolder, { recursive: true, mode: 0o700 });
      request.logger.info(`${needs.launcher} gets a package cache of its own (${needs.cacheFolder}) and ${needs.hosts.join(', ')} in its sandbox`);
    }
    const handlers: SessionHandlers = {
      onAsk: (host, port) => this.askForHost(server, session, host, port),
      onViolation: (line) => this.violation(server, session, line),
      logger: request.logger,
    };
    let sandbox: SandboxSession;
    let folder: string;
    let profile: SandboxProfile;
    // A session started ahead of need saves the runtime's start-up (≈ 200 ms) on the path of every start but the first.
    const spare = await this.takeSpare();
    try {
      if (spare) {
        folder = spare.folder;
        profile = this.profileFor(server, session, spec, folder, needs);
        spare.bind(handlers);
        await spare.sandbox.update(profile);
        sandbox = spare.sandbox;
        request.logger.debug('its sandbox session was started ahead of need');
      } else {
        folder = this.newRunFolder(server);
        profile = this.profileFor(server, session, spec, folder, needs);
        sandbox = await this.deps.startSession({ profile, folder, ...handlers });
      }
    } catch (error) {
      if (spare) void spare.sandbox.stop();
      throw new LaunchError(`could not start the sandbox for server '${server}': ${errorMessage(error)}`, true);
    } finally {
      this.prepareSpare();
    }
    const run: Run = { server, session, spec, folder, needs, sandbox, logger: request.logger, profile, asked: new Set(), pendingHosts: new Map(), restarting: false };
    this.runs.set(server, run);
    request.logger.info(`sandboxed: ${describeProfile(profile)}`);
    const cwd = spec.cwd ?? process.cwd();
    if (![...profile.filesystem.allowRead, ...profile.filesystem.allowWrite].some((root) => isAtOrUnder(cwd, root))) {
      request.logger.info(`its working folder ${cwd} is not readable in its sandbox (no fs.read grant): it starts in / instead`);
    }
    this.setStatus(server, { kind: 'sandboxed', profile, privateTemp: join(folder, 'temp') });
    if (spec.gateway) request.logger.info(`its sandbox lets it reach MCP Warden's gateway (${sandboxedGatewayUrl(spec.gateway.port)}) and no other loopback port`);
    return { kind: 'sandbox', session: sandbox, ...runEnv(needs, spec) };
  }

  /** A run ended (stopped, crashed, or failed to start): its sandbox goes with it. */
  endSession(server: string, session: string): void {
    const run = this.runs.get(server);
    if (run?.session === session) void this.endRun(run);
  }

  /**
   * Text a sandboxed server wrote to stderr or returned as an error: a path it could not read or write that the
   * profile hides becomes a question (reads and exec are not reported by the runtime; this is the only signal).
   */
  inspectFailure(server: string, session: string, text: string): void {
    const run = this.runs.get(server);
    if (run?.session !== session) return;
    for (const path of blockedPaths(text)) {
      if (!existsOnHost(path)) continue;
      if (this.readable(run, path)) {
        run.logger.debug(`it reported ${path} as not found or denied, but its sandbox lets it read that: not a sandbox block`);
        continue;
      }
      run.logger.info(`it could not use ${path}, which its sandbox hides: asking whether it may read it`);
      this.askForPath(run, 'fs.read', path, `its error named ${path}, which the sandbox hides`);
    }
  }

  dispose(): void {
    this.disposed = true;
    this.gateSubscription.dispose();
    this.changeEmitter.dispose();
    const spare = this.spare;
    this.spare = undefined;
    void spare?.then((s) => s?.sandbox.stop());
    for (const run of [...this.runs.values()]) void this.endRun(run);
  }

  /** A folder of its own for a run: its temp files (`temp`, writable) and the runtime's sockets (`sockets`). */
  private newRunFolder(name: string): string {
    const folder = mkdtempSync(join(this.deps.folderRoot, `${safeName(name)}-`));
    mkdirSync(join(folder, 'temp'));
    mkdirSync(join(folder, 'sockets'));
    return folder;
  }

  /** The spare session, if one is ready (or about to be); the caller owns it from here. */
  private async takeSpare(): Promise<Spare | undefined> {
    const spare = this.spare;
    this.spare = undefined;
    return spare ? await spare : undefined;
  }

  /**
   * Starts one session ahead of need, with a profile that allows nothing (its run folder only), once a sandboxed
   * server has started in this window: the next start binds it to its server and gives it its profile. One idle
   * worker costs ≈ 15 MB; a failure here only means the next start pays the runtime's start-up itself.
   */
  private prepareSpare(): void {
    if (this.spare || this.disposed) return;
    const folder = this.newRunFolder('spare');
    let handlers: SessionHandlers = { onAsk: async () => false, onViolation: () => undefined, logger: this.deps.logger };
    const empty: SandboxProfile = {
      filesystem: { denyRead: ['/'], allowRead: [join(folder, 'sockets')], allowWrite: [join(folder, 'temp')], denyWrite: [] },
      network: { allowedDomains: [], deniedDomains: [], allowAllUnixSockets: false },
    };
    this.spare = this.deps
      .startSession({
        profile: empty,
        folder,
        onAsk: (host, port) => handlers.onAsk(host, port),
        onViolation: (line) => handlers.onViolation(line),
        logger: forwardingLogger(() => handlers.logger),
      })
      .then(
        (sandbox): Spare | undefined => {
          if (this.disposed) {
            void sandbox.stop();
            return undefined;
          }
          return { sandbox, folder, bind: (next) => (handlers = next) };
        },
        (error: unknown) => {
          this.deps.logger.debug(`no spare sandbox session: ${errorMessage(error)}`);
          rmSync(folder, { recursive: true, force: true });
          return undefined;
        },
      );
  }

  private async endRun(run: Run): Promise<void> {
    if (this.runs.get(run.server) === run) this.runs.delete(run.server);
    await run.sandbox.stop().catch((error: unknown) => run.logger.warn(`could not stop the sandbox: ${errorMessage(error)}`));
    rmSync(run.folder, { recursive: true, force: true });
  }

  private profileFor(server: string, session: string, spec: Run['spec'], folder: string, needs: LauncherNeeds | undefined): SandboxProfile {
    return buildSandboxProfile({
      grants: [...honouredGrants(this.deps.gate.list(server), session).map(resolvedTarget), ...launcherGrants(server, needs), ...gatewayGrants(server, spec)],
      baseline: baselineReadPaths({
        command: spec.command,
        args: spec.args,
        cwd: spec.cwd ?? process.cwd(),
        env: serverEnvironment(spec.env),
        execPath: process.execPath,
        home: this.home,
        platform: process.platform,
        exists: kindOfPath,
        realpath: realpathOrSelf,
      }),
      privateTemp: join(folder, 'temp'),
      socketFolder: join(folder, 'sockets'),
      runsFolder: this.deps.folderRoot,
      home: this.home,
      protectedPaths: this.deps.protectedPaths(),
      listFolder: (path) => {
        try {
          return readdirSync(path);
        } catch {
          return undefined;
        }
      },
    });
  }

  /** A grant was made, revoked or changed: network changes apply live, filesystem changes by a restart. */
  private grantsChanged(): void {
    for (const run of [...this.runs.values()]) {
      if (run.restarting) continue;
      let next: SandboxProfile;
      try {
        next = this.profileFor(run.server, run.session, run.spec, run.folder, run.needs);
      } catch (error) {
        run.logger.error(`could not build the sandbox profile: ${errorMessage(error)}`);
        continue;
      }
      if (JSON.stringify(next.filesystem) !== JSON.stringify(run.profile.filesystem)) {
        this.restartWith(run, 'its filesystem grants changed: restarting it with the new sandbox profile');
      } else if (next.network.allowAllUnixSockets !== run.profile.network.allowAllUnixSockets) {
        // seccomp's socket filter is installed when the server starts: it cannot change under a running process.
        this.restartWith(run, 'its Unix socket grant changed: restarting it with the new sandbox profile');
      } else if (JSON.stringify(next.network) !== JSON.stringify(run.profile.network)) {
        run.profile = next;
        this.setStatus(run.server, { kind: 'sandboxed', profile: next, privateTemp: join(run.folder, 'temp') });
        run.sandbox.update(next).then(
          () => run.logger.info(`sandbox network updated: ${describeNetwork(next)}`),
          (error: unknown) => {
            run.logger.error(`could not update the sandbox's network: ${errorMessage(error)}; restarting the server`);
            this.restartWith(run, 'its network grants changed and could not be applied live');
          },
        );
      }
    }
  }

  private restartWith(run: Run, reason: string): void {
    run.restarting = true;
    // Grants made for this run only (session, once) would end with it: the restarted run keeps them.
    const carried = this.deps.gate
      .list(run.server)
      .filter((l) => (l.status === 'session' || l.status === 'once') && l.session === run.session && SANDBOX_KINDS.has(l.grant.kind) && l.grant.decision === 'allow');
    this.carried.set(run.server, carried.map((l) => l.grant));
    run.logger.info(reason);
    this.deps.restart(run.server, reason).catch((error: unknown) => run.logger.error(`could not restart: ${errorMessage(error)}`));
  }

  private restoreCarried(server: string, session: string): void {
    const grants = this.carried.get(server);
    this.carried.delete(server);
    for (const grant of grants ?? []) {
      this.deps.gate.remember({ server, session, permission: { kind: grant.kind, target: grant.target } }, { verdict: 'allow', scope: 'session' }, grant.grantedAt);
    }
  }

  /** The runtime's ask-callback: a connection to a host the profile does not allow waits for this answer. */
  private askForHost(server: string, session: string, host: string, port: number): Promise<boolean> {
    const run = this.runs.get(server);
    if (run?.session !== session) return Promise.resolve(false);
    const target = formatNetTarget({ type: 'host', host: host.toLowerCase(), port });
    const pending = run.pendingHosts.get(target);
    if (pending) return pending;
    const request: PermissionRequest = { server, session, permission: { kind: 'net', target }, method: 'network', reason: 'the OS sandbox holds the connection until you answer' };
    const answer = this.deps.authorizer.authorize(request).then(
      (decision) => decision.verdict === 'allow',
      (error: unknown) => {
        run.logger.error(`could not ask about ${target}: ${errorMessage(error)}; refused`);
        return false;
      },
    );
    run.pendingHosts.set(target, answer);
    void answer.finally(() => run.pendingHosts.delete(target));
    return answer;
  }

  /** A block the runtime reported: audited; a blocked write becomes a question. */
  private violation(server: string, session: string, line: string): void {
    const run = this.runs.get(server);
    const blocked = parseViolation(line);
    this.deps.audit.record(() => ({
      type: 'permission',
      server,
      session,
      action: 'blocked',
      permission: blocked ? `${blocked.kind}:${blocked.path ?? blocked.host ?? ''}` : 'sandbox',
      verdict: 'deny',
      rule: `sandbox: ${line}`,
    }));
    if (!run || run.session !== session || !blocked?.path || blocked.kind === 'net') return;
    run.logger.warn(`the sandbox blocked: ${line}`);
    this.askForPath(run, blocked.kind, blocked.path, `it tried ${blocked.kind === 'fs.write' ? 'to write' : 'to read'} ${blocked.path}`);
  }

  private askForPath(run: Run, kind: 'fs.read' | 'fs.write', path: string, reason: string): void {
    const permission = jitPermission({ kind, path }, kindOfPath);
    // Nothing sensible to grant (the nearest existing folder would be `/`): the block stays, audited.
    if (!permission) return;
    const key = `${permission.kind}\0${permission.target}`;
    // Once per run; and while a question about it waits, not again from the next run (a server that cannot start
    // without the path crashes and is restarted meanwhile).
    const pending = this.pendingPaths.get(run.server) ?? new Set<string>();
    if (run.asked.has(key) || pending.has(key)) return;
    run.asked.add(key);
    pending.add(key);
    this.pendingPaths.set(run.server, pending);
    const request: PermissionRequest = { server: run.server, session: run.session, permission, method: 'sandbox', reason };
    const secret = protectedPathOf(permission.target, this.home, this.deps.protectedPaths());
    const risks = secret ? [`${permission.target} holds secrets (${secret} is kept from every server unless granted by exact path)`] : [];
    this.deps.authorizer.authorize(request, { risks, ...(secret && { requireExactGrant: true }) }).then(
      (decision) => {
        pending.delete(key);
        const grant = decision.grant;
        if (decision.verdict !== 'allow' || !grant) return;
        const current = this.runs.get(run.server);
        if (current === run) {
          // Session and workspace grants change the gate, which restarts the run; a once grant does not.
          if (grant.scope !== 'once' || run.restarting) return;
          run.restarting = true;
          this.carried.set(run.server, [grant]);
          this.deps.restart(run.server, `${permission.kind} ${permission.target} was allowed once: restarting it with that in its sandbox`).catch(() => undefined);
        } else if (!current) {
          // The run ended while the user was asked (a server that exits without the path): start it again with it.
          if (grant.scope !== 'workspace') this.carried.set(run.server, [...(this.carried.get(run.server) ?? []), grant]);
          this.deps.restart(run.server, `${permission.kind} ${permission.target} was allowed: starting it again with that in its sandbox`).catch(() => undefined);
        }
      },
      (error: unknown) => {
        pending.delete(key);
        run.logger.error(`could not ask about ${path}: ${errorMessage(error)}`);
      },
    );
  }

  /** Whether the profile lets the server see `path`: the most specific entry covering it decides (a secret inside a granted folder stays hidden). */
  private readable(run: Run, path: string): boolean {
    const { allowRead, allowWrite, denyRead } = run.profile.filesystem;
    const longest = (roots: readonly string[]) => Math.max(-1, ...roots.filter((root) => isAtOrUnder(path, root)).map((root) => root.length));
    return longest([...allowRead, ...allowWrite]) > longest(denyRead);
  }

  private setStatus(server: string, status: SandboxStatus): void {
    this.statuses.set(server, status);
    this.changeEmitter.fire(server);
  }
}

/** Grants the sandbox builds from: honoured workspace grants, and this run's session grants. */
function honouredGrants(listed: readonly ListedGrant[], session: string): Grant[] {
  return listed
    .filter((l) => SANDBOX_KINDS.has(l.grant.kind) && (l.status === 'sealed' || l.status === 'confirmed' || (l.status === 'session' && l.session === session)))
    .map((l) => l.grant);
}

/** What a package launcher needs, as grants of this run only (they are shown in the profile, never kept). */
function launcherGrants(server: string, needs: LauncherNeeds | undefined): Grant[] {
  if (!needs) return [];
  const grant = (kind: Grant['kind'], target: string): Grant => ({ server, kind, target, decision: 'allow', scope: 'session', grantedAt: `${needs.launcher} launcher` });
  return [grant('fs.write', needs.cacheFolder), ...needs.hosts.map((host) => grant('net', host))];
}

/**
 * A delegating server's way to the gateway: its name and the loopback address it maps to, on the gateway's port
 * only (the runtime refuses a name that resolves to loopback unless that address and port are allowed too).
 */
function gatewayGrants(server: string, spec: Run['spec']): Grant[] {
  if (!spec.gateway) return [];
  const grant = (target: string): Grant => ({ server, kind: 'net', target, decision: 'allow', scope: 'session', grantedAt: 'delegate: true' });
  return [grant(`${SANDBOXED_GATEWAY_HOST}:${spec.gateway.port}`), grant(`127.0.0.1:${spec.gateway.port}`)];
}

/** What a sandboxed run's environment gets besides its spec's: a launcher's cache, the gateway by its sandbox name. */
function runEnv(needs: LauncherNeeds | undefined, spec: Run['spec']): { env?: Record<string, string> } {
  const env = { ...needs?.env, ...(spec.gateway && { [GATEWAY_URL_VARIABLE]: sandboxedGatewayUrl(spec.gateway.port) }) };
  return Object.keys(env).length > 0 ? { env } : {};
}

/** The sandbox mounts real paths: a grant of a symlinked folder means the folder it points to. */
function resolvedTarget(grant: Grant): Grant {
  if (grant.kind === 'net') return grant;
  try {
    return { ...grant, target: realpathSync(grant.target) };
  } catch {
    return grant;
  }
}


function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function existsOnHost(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function kindOfPath(path: string): 'file' | 'folder' | undefined {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'file';
  } catch {
    return undefined;
  }
}


function safeName(server: string): string {
  return server.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 12) || 'server';
}

function describeNetwork(profile: SandboxProfile): string {
  const hosts = profile.network.allowedDomains;
  return hosts.length === 0 ? 'no hosts' : hosts.join(', ');
}

/** One line for the server's log: what it may read and write beyond the baseline, and where it may connect. */
export function describeProfile(profile: SandboxProfile): string {
  const { allowWrite } = profile.filesystem;
  return `writes ${allowWrite.join(', ') || 'nothing'}; network ${describeNetwork(profile)}${profile.network.allowAllUnixSockets ? '; Unix sockets' : ''}`;
}
