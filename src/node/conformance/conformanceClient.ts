// The headless MCP Warden the official conformance suite drives (`conformance client --command "node
// dist/conformance-client.js"`): node dist/conformance-client.js <serverUrl>, with MCP_CONFORMANCE_SCENARIO,
// MCP_CONFORMANCE_CONTEXT (JSON) and MCP_CONFORMANCE_PROTOCOL_VERSION (0.2) in the environment. It builds what the
// extension builds (src/vscode/warden.ts) minus the editor: the registry, the real launcher, the permission gate and
// broker, the client-request gate with the elicitation and sampling ports. Only the user is scripted (scenarios.ts).
// Exit 0 when the scenario's script ran to its end, 1 otherwise (the reason on stderr).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, sep } from 'node:path';
import { resolveLaunchSpec } from '../../core/config/launchSpec';
import { parseServer } from '../../core/config/parseServers';
import type { VariableContext } from '../../core/config/variables';
import { ServerRegistry } from '../../core/lifecycle/serverRegistry';
import type { OfferedFeatures } from '../../core/lifecycle/session';
import { gatedClientRequests, grantedRoots } from '../../core/permissions/clientRequestGate';
import { launchConsent } from '../../core/permissions/launchConsent';
import { PermissionBroker } from '../../core/permissions/permissionBroker';
import { PermissionGate } from '../../core/permissions/permissionGate';
import { errorMessage, systemClock, type Logger, type LogLevel } from '../../core/ports';
import { loadEnvFile } from '../envFile';
import { McpLauncher } from '../mcpLauncher';
import { HmacGrantSealer } from '../permissions/grantSealer';
import { nodeHasher } from '../permissions/hasher';
import { MemoryAuthStore } from '../auth/memoryAuthStore';
import { CONFORMANCE_CLIENT_METADATA_URL, scenarioAuth } from './authContext';
import { HeadlessSignInUser } from './headlessSignIn';
import { parseScenarioContext, scenarioScript, type ScenarioContext, type ScenarioScript } from './scenarios';
import { AllowOncePrompter, MemoryAudit, MemoryGrantStore, ScriptedElicitation, ScriptedSampling, stderrLogger } from './scriptedUser';

/** The one server of a run, as a user would name it in `mcpWarden.servers`. */
const SERVER = 'conformance';
/** Everything a server may ask of the client is offered, as the extension offers it. */
const OFFERED: OfferedFeatures = { elicitation: true, elicitationUrl: true, sampling: true, samplingTools: true };

export interface ConformanceRun {
  readonly serverUrl: string;
  readonly scenario: string;
  readonly script: ScenarioScript;
  readonly context: ScenarioContext;
  /** The version the suite runs the scenario at (0.2): MCP Warden's own negotiation must reach it. */
  readonly protocolVersion?: string;
}

/** Reads the command line and environment the suite hands over; throws with a message that says what is wrong. */
export function readRun(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ConformanceRun {
  const serverUrl = argv[0];
  if (!serverUrl) throw new Error('usage: node dist/conformance-client.js <serverUrl> (with MCP_CONFORMANCE_SCENARIO set)');
  const scenario = env['MCP_CONFORMANCE_SCENARIO'];
  const script = scenarioScript(scenario);
  const protocolVersion = env['MCP_CONFORMANCE_PROTOCOL_VERSION'] || undefined;
  return { serverUrl, scenario: scenario as string, script, context: parseScenarioContext(env['MCP_CONFORMANCE_CONTEXT']), ...(protocolVersion && { protocolVersion }) };
}

/** Runs one scenario over the extension's own code paths; resolves when the script has run, rejects otherwise. */
export async function runScenario(run: ConformanceRun, logger: Logger): Promise<void> {
  const variables: VariableContext = { workspaceFolders: [{ name: 'conformance', path: process.cwd() }], userHome: homedir(), env: process.env, pathSeparator: sep };
  const gate = new PermissionGate({ annotationDefaults: {}, workspaceFolders: [process.cwd()], caseInsensitivePaths: process.platform === 'win32' });
  gate.setTrusted(true);
  const sealer = new HmacGrantSealer(randomBytes(32), `file://${process.cwd()}`);
  const audit = new MemoryAudit();
  const prompter = new AllowOncePrompter(logger);
  const broker = new PermissionBroker({
    gate,
    prompter,
    store: new MemoryGrantStore(gate, sealer),
    sealer,
    audit,
    clock: systemClock,
    logger,
    askTimeoutMs: () => 10_000,
  });
  const elicitation = new ScriptedElicitation(run.script.answerElicitation, logger);
  const sampling = new ScriptedSampling(logger);
  const signInUser = new HeadlessSignInUser(logger);
  const auth = scenarioAuth(run.scenario, run.context);
  const launcher = new McpLauncher({
    clientInfo: { name: 'mcp-warden', title: 'MCP Warden', version: extensionVersion() },
    audit,
  });
  const limits = { startupTimeoutMs: 20_000, maxMessageBytes: 16 * 1024 * 1024, serverLogLevel: 'info' };
  const registry = new ServerRegistry({
    supervisor: {
      launcher,
      resolveSpec: (definition, keyPath) => resolveLaunchSpec(definition, keyPath, { variables, askInput: async (id) => auth.inputs[id], loadEnvFile }),
      limits: () => limits,
      clock: systemClock,
      audit,
      authorizeLaunch: launchConsent(broker, () => variables, nodeHasher),
      clientRequests: gatedClientRequests(broker, { rootsOf: (server) => grantedRoots(gate, server), elicitation, sampling }),
      offered: OFFERED,
      onElicitationComplete: (server, id) => elicitation.completed(server, id),
      onSessionEnd: (server, session) => gate.endSession(server, session),
      auth: { store: new MemoryAuthStore(), user: signInUser, clientMetadataUrl: () => CONFORMANCE_CLIENT_METADATA_URL, signInTimeoutMs: () => 15_000 },
      // No restarts: a crash of the mock server is the scenario's failure, not something to retry.
      restartPolicy: { maxCrashes: 1, windowMs: 60_000, initialDelayMs: 0, maxDelayMs: 0 },
    },
    loggerFor: () => logger,
    logger,
    requestTimeoutMs: () => 25_000,
    maxRequestMs: () => 25_000,
    authorizer: broker,
    hasher: nodeHasher,
  });
  try {
    const entry = parseServer(SERVER, { type: 'http', url: run.serverUrl, ...(auth.oauth && { oauth: auth.oauth }) }, `mcpWarden.servers.${SERVER}`, { kind: 'settings' }, { strict: true });
    if (!entry.ok) throw new Error(entry.problems.map((p) => `${p.keyPath}: ${p.message}`).join('; '));
    await registry.applyConfiguration({ servers: [entry], discovered: [], problems: [] }, { autostart: false });
    await registry.start(SERVER);
    const state = registry.server(SERVER)?.state;
    if (state?.kind === 'error' && run.script.refusalExpected) {
      logger.info(`the start was refused, as this scenario expects: ${state.message}`);
      return;
    }
    if (state?.kind !== 'running') throw new Error(`the server did not start: ${state?.kind === 'error' ? state.message : (state?.kind ?? 'unknown')}`);
    const { session } = state;
    logger.info(`running: protocol ${session.protocolVersion} (${session.era}), tools: ${registry.server(SERVER)?.catalog.tools.map((t) => t.name).join(', ') || '(none)'}`);
    const mismatch = negotiationMismatch(run.protocolVersion, session.protocolVersion);
    if (mismatch) throw new Error(mismatch);
    await run.script.run(
      {
        get tools() {
          return registry.server(SERVER)?.catalog.tools ?? [];
        },
        call: async (tool, args) => {
          const result = await registry.callTool(SERVER, tool, args);
          logger.info(`${tool}: ${result.isError ? 'error result' : 'ok'} ${JSON.stringify(result.content).slice(0, 200)}`);
          return result;
        },
        note: (message) => logger.info(message),
      },
      run.context,
    );
  } finally {
    await registry.stopAll();
    registry.dispose();
    const authEvents = audit.events.filter((e) => e.type === 'auth').map((e) => (e.type === 'auth' ? e.action : ''));
    if (authEvents.length > 0) logger.info(`auth events: ${authEvents.join(', ')}; browser sign-ins: ${signInUser.opened.length}`);
    logger.info(`audit: ${audit.events.length} events; permission questions: ${prompter.questions.length}; forms: ${elicitation.requests.length}; sampling: ${sampling.requests.length}`);
  }
}

/**
 * MCP Warden negotiates on its own (auto: server/discover, else initialize), as in the editor; the suite's version is
 * only a hint, and a run that reaches another version fails rather than passing at the wrong wire.
 */
export function negotiationMismatch(suiteVersion: string | undefined, negotiated: string): string | undefined {
  if (suiteVersion === undefined || suiteVersion === negotiated) return undefined;
  return `the suite runs this scenario at ${suiteVersion}, but MCP Warden negotiated ${negotiated}`;
}

function extensionVersion(): string {
  try {
    return String((JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version?: unknown }).version ?? '0.0.0');
  } catch {
    return '0.0.0';
  }
}

async function main(): Promise<number> {
  const logger = stderrLogger('mcp-warden', (process.env['MCP_WARDEN_LOG_LEVEL'] as LogLevel | undefined) ?? 'info');
  try {
    const run = readRun(process.argv.slice(2), process.env);
    logger.info(`scenario ${run.scenario}: the user ${run.script.does}`);
    await runScenario(run, logger);
    return 0;
  } catch (error) {
    logger.error(errorMessage(error));
    return 1;
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}
