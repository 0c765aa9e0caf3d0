// End-to-end tests in a real VS Code (code-server 1.139 in headless Chromium), offline:
//  1. installs the packaged .vsix into a fresh code-server, as a user would;
//  2. runs the mocha suites of out/test/e2e/suite inside its extension host;
//  3. drives the workbench UI (command palette, Servers view, Permissions) and saves screenshots in test-results/
//     (the permission screenshots of the README in docs/images).
// Exit code: 0 when every step passed.
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumPath, ensureHost, installFixtureExtension, installVsix, launchBrowser, log, makeRunDir, ROOT, startCodeServer } from './vscodeHost.mjs';
import { DETACHED_GRANDCHILD, E2E_MARKER, FIXTURE, startHttpEverything, startOAuthServers, writeE2eWorkspace } from './workspaces.mjs';

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const vsix = join(ROOT, `mcp-warden-${version}.vsix`);
const results = join(ROOT, 'test-results');
const EXT_TEST_TIMEOUT_MS = 240_000;
/** E2E_ONLY=ext,ui,audit,permissions,sandbox,elicitation,sampling,content,gateway,oauth,multiroot,trust runs only those steps (for focused runs while iterating). */
const STEPS = ['ext', 'ui', 'audit', 'permissions', 'sandbox', 'elicitation', 'sampling', 'content', 'gateway', 'oauth', 'multiroot', 'trust'];
const only = process.env.E2E_ONLY ? new Set(process.env.E2E_ONLY.split(',').map((s) => s.trim())) : new Set(STEPS);
for (const step of only) if (!STEPS.includes(step)) throw new Error(`E2E_ONLY: unknown step '${step}' (steps: ${STEPS.join(', ')})`);

let preexisting = new Set();

async function main() {
  preexisting = new Set(process.platform === 'linux' ? serverProcesses() : []);
  if (preexisting.size > 0) log(`ignoring ${preexisting.size} marked process(es) left by an earlier run: ${[...preexisting].join(', ')}`);
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package first`);
  if (!existsSync(join(ROOT, 'out/test/e2e/suite/index.js'))) throw new Error('compiled e2e tests are missing: run npm run compile-tests first');
  chromiumPath();
  const host = ensureHost();
  mkdirSync(results, { recursive: true });
  const cleanups = [];
  let failed = 0;
  try {
    const http = await startHttpEverything(host.node24);
    cleanups.push(http.stop);

    /** A fresh code-server with the .vsix installed and an e2e workspace open; stopped and removed at the end. */
    const openEditor = async (label, { ui = false, smokeTestDriver = false, trustEverything = true, env, workspaceFile = false, detachedGrandchild = true, writeWorkspace, extensions = [] } = {}) => {
      const run = makeRunDir(label);
      // E2E_KEEP_RUNS=1 keeps each run's folder (logs, profile, workspace) to look into a failure.
      if (!process.env.E2E_KEEP_RUNS) cleanups.push(() => rmSync(run, { recursive: true, force: true }));
      else log(`keeping ${run}`);
      let workspace = join(run, 'ws');
      if (writeWorkspace) writeWorkspace(workspace);
      else writeE2eWorkspace(workspace, { node: host.node24, httpUrl: http.url, ui });
      if (workspaceFile) {
        workspace = join(run, 'ws.code-workspace');
        writeFileSync(workspace, JSON.stringify({ folders: [{ path: 'ws' }], settings: {} }, null, 2));
      }
      const installed = installVsix(host, run, vsix);
      for (const folder of extensions) installFixtureExtension(host, run, folder);
      const server = await startCodeServer(host, run, { workspace, smokeTestDriver, trustEverything, env });
      cleanups.push(server.stop);
      const detached = watchDetachedGrandchildren();
      cleanups.push(detached.stop);
      return { run, workspace, installed, server, detached, detachedGrandchild, launchBrowser: () => launchBrowser(run) };
    };
    /** Starts code-server again on an editor's run (same profile, extensions and workspace), as a user reopening it. */
    const reopenEditor = async (editor) => {
      const server = await startCodeServer(host, editor.run, { workspace: editor.workspace, smokeTestDriver: false, port: editor.server.port });
      cleanups.push(server.stop);
      const detached = watchDetachedGrandchildren();
      cleanups.push(detached.stop);
      return { ...editor, server, detached };
    };
    /**
     * Stops the editor, then checks that no server process of it is left. The check must have had something to
     * catch: the detached grandchild of server "helper" (a session of its own, ignores SIGTERM) must have run.
     */
    const closeEditor = async (editor) => {
      const seen = editor.detached.stop();
      if (seen.length > 0) log(`a server's detached grandchild ran in a session of its own: ${seen.join(', ')}`);
      else if (editor.detachedGrandchild) log('no detached grandchild of server "helper" was seen running: the leftover check would prove nothing');
      await editor.server.stop();
      return (seen.length > 0 || !editor.detachedGrandchild ? 0 : 1) + (await checkNoServerOutlivesTheEditor());
    };

    // 1 + 2: extension-host tests against the installed .vsix
    if (only.has('ext')) {
      const ext = await openEditor('ext', { smokeTestDriver: true });
      log(`installed ${vsix} into ${ext.installed}`);
      failed += await runExtensionTests(ext.server.url, ext.run, ext.workspace, ext.installed);
      failed += await closeEditor(ext);
    }

    // 3: the UI, as a user drives it (no smoke-test driver: real notifications and dialogs)
    if (only.has('ui')) {
      const ui = await openEditor('ui', { ui: true });
      const { runUiTests } = await import(join(ROOT, 'out/test/e2e/ui/serversView.ui.js'));
      failed += await runUiTests({ serverUrl: ui.server.url, workspace: ui.workspace, results, node: host.node24, fixture: FIXTURE, launchBrowser: ui.launchBrowser, log });
      const { runInterruptionTests } = await import(join(ROOT, 'out/test/e2e/ui/interruptions.ui.js'));
      failed += await runInterruptionTests({ serverUrl: ui.server.url, workspace: ui.workspace, results, launchBrowser: ui.launchBrowser, log });
      failed += await closeEditor(ui);
    }

    // 3a: the audit key in an editor of its own (one window, so one workspace storage folder and one log); then the
    // same profile and workspace again, after a same-user script rewrote the audit log without the key
    if (only.has('audit')) {
      const audit = await import(join(ROOT, 'out/test/e2e/ui/audit.ui.js'));
      const keyed = await openEditor('audit');
      const auditOptions = { workspace: keyed.workspace, results, node: host.node24, launchBrowser: keyed.launchBrowser, log };
      failed += await audit.runAuditKeyTests({ ...auditOptions, serverUrl: keyed.server.url });
      failed += await closeEditor(keyed);
      log(`rewrote ${audit.tamperAuditLog(keyed.workspace)} audit records and head.json with a recomputed chain, without the key`);
      const reopened = await reopenEditor(keyed);
      failed += await audit.runAuditTamperTests({ ...auditOptions, serverUrl: reopened.server.url });
      failed += await closeEditor(reopened);
    }

    // 3c: permissions: launch consent, a tool call asked and allowed for the workspace (a sealed grant in
    // settings.json), the Permissions view, and a revocation that makes the next call ask again
    if (only.has('permissions')) {
      const permissionsUi = await import(join(ROOT, 'out/test/e2e/ui/permissions.ui.js'));
      const permissions = await openEditor('permissions', {
        detachedGrandchild: false,
        writeWorkspace: (dir) => permissionsUi.writePermissionsWorkspace(dir, { node: host.node24, fixture: FIXTURE, env: { [E2E_MARKER]: '1' } }),
      });
      failed += await permissionsUi.runPermissionsTests({
        serverUrl: permissions.server.url,
        workspace: permissions.workspace,
        images: join(ROOT, 'docs', 'images'),
        results,
        launchBrowser: permissions.launchBrowser,
        log,
      });
      failed += await closeEditor(permissions);
    }

    // 3d: the OS sandbox: a blocked write becomes a notification; Allow restarts the server with the wider profile
    if (only.has('sandbox')) {
      const sandboxUi = await import(join(ROOT, 'out/test/e2e/ui/sandbox.ui.js'));
      const sandbox = await openEditor('sandbox', {
        detachedGrandchild: false,
        writeWorkspace: (dir) => sandboxUi.writeSandboxWorkspace(dir, { node: host.node24, fixture: join(ROOT, 'test/fixtures/sandbox-server.mjs'), env: { [E2E_MARKER]: '1' } }),
      });
      failed += await sandboxUi.runSandboxTests({
        serverUrl: sandbox.server.url,
        workspace: sandbox.workspace,
        images: join(ROOT, 'docs', 'images'),
        results,
        launchBrowser: sandbox.launchBrowser,
        log,
      });
      failed += await closeEditor(sandbox);
    }

    // 3e: elicitation: a tool's server asks for a profile; the form in the quick input, validation as typed, Submit
    if (only.has('elicitation')) {
      const elicitationUi = await import(join(ROOT, 'out/test/e2e/ui/elicitation.ui.js'));
      const elicitation = await openEditor('elicitation', {
        detachedGrandchild: false,
        writeWorkspace: (dir) => elicitationUi.writeElicitationWorkspace(dir, { node: host.node24, fixture: join(ROOT, 'test/fixtures/elicitation-server.mjs'), env: { [E2E_MARKER]: '1' } }),
      });
      failed += await elicitationUi.runElicitationTests({
        serverUrl: elicitation.server.url,
        workspace: elicitation.workspace,
        images: join(ROOT, 'docs', 'images'),
        results,
        launchBrowser: elicitation.launchBrowser,
        log,
      });
      failed += await closeEditor(elicitation);
    }

    // 3f: sampling: a server's request for a completion, the consent notification, and the answer of the editor's
    // model (a test-only extension provides one: code-server has none offline)
    if (only.has('sampling')) {
      const samplingUi = await import(join(ROOT, 'out/test/e2e/ui/sampling.ui.js'));
      const sampling = await openEditor('sampling', {
        detachedGrandchild: false,
        extensions: [join(ROOT, 'test/e2e/fixtures/lm-provider')],
        writeWorkspace: (dir) =>
          // The real path: the server runs in the OS sandbox, which does not follow a symlinked node_modules.
          samplingUi.writeSamplingWorkspace(dir, { node: host.node24, everything: realpathSync(join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js')), env: { [E2E_MARKER]: '1' } }),
      });
      failed += await samplingUi.runSamplingTests({
        serverUrl: sampling.server.url,
        workspace: sampling.workspace,
        images: join(ROOT, 'docs', 'images'),
        results,
        launchBrowser: sampling.launchBrowser,
        log,
      });
      failed += await closeEditor(sampling);
    }

    // 3g: prompts, resources and rich tool results against server-everything over stdio
    if (only.has('content')) {
      const contentUi = await import(join(ROOT, 'out/test/e2e/ui/content.ui.js'));
      const content = await openEditor('content', {
        detachedGrandchild: false,
        writeWorkspace: (dir) => contentUi.writeContentWorkspace(dir, { node: host.node24, everything: join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js'), env: { [E2E_MARKER]: '1' } }),
      });
      failed += await contentUi.runContentTests({
        serverUrl: content.server.url,
        workspace: content.workspace,
        images: join(ROOT, 'docs', 'images'),
        results,
        launchBrowser: content.launchBrowser,
        log,
      });
      failed += await closeEditor(content);
    }

    // 3h: the gateway and VS Code's own MCP client: MCP Warden's provider offers "MCP Warden"; VS Code lists its
    // tools and invokes one (through a test-only extension: code-server has no chat offline); MCP Warden asks for
    // agent 'vscode', and the call is audited with that agent; VS Code's cache holds no token; one definition per
    // server when the setting says so
    if (only.has('gateway')) {
      const gatewayUi = await import(join(ROOT, 'out/test/e2e/ui/gateway.ui.js'));
      const clientReport = 'warden-test-mcp-client.jsonl'; // in the run's home folder
      const gateway = await openEditor('gateway', {
        detachedGrandchild: false,
        extensions: [join(ROOT, 'test/e2e/fixtures/mcp-client')],
        env: { WARDEN_TEST_OUT: clientReport, WARDEN_TEST_TOOL: gatewayUi.GATEWAY_TOOL.pattern, WARDEN_TEST_INPUT: JSON.stringify(gatewayUi.GATEWAY_TOOL.input) },
        writeWorkspace: (dir) =>
          // Real paths: the server runs in the OS sandbox, which follows no symlink (a worktree links node_modules and .vscode-test).
          gatewayUi.writeGatewayWorkspace(dir, { node: realpathSync(host.node24), everything: realpathSync(join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js')), env: { [E2E_MARKER]: '1' } }),
      });
      failed += await gatewayUi.runGatewayTests({
        serverUrl: gateway.server.url,
        workspace: gateway.workspace,
        images: join(ROOT, 'docs', 'images'),
        results,
        launchBrowser: gateway.launchBrowser,
        clientReport: join(gateway.run, 'home', clientReport),
        log,
      });
      failed += await closeEditor(gateway);
    }

    // 3i: OAuth: an http server behind a real authorization server; the sign-in notification, the browser (login and
    // consent), the loopback callback; the server runs with its tools and the Servers view shows the account
    if (only.has('oauth')) {
      const oauthUi = await import(join(ROOT, 'out/test/e2e/ui/oauth.ui.js'));
      const servers = await startOAuthServers(host.node24, { accessTokenTTL: 3600 });
      cleanups.push(servers.stop);
      const oauth = await openEditor('oauth', { detachedGrandchild: false, writeWorkspace: (dir) => oauthUi.writeOAuthWorkspace(dir, { url: servers.url }) });
      failed += await oauthUi.runOAuthTests({
        serverUrl: oauth.server.url,
        workspace: oauth.workspace,
        images: join(ROOT, 'docs', 'images'),
        results,
        launchBrowser: oauth.launchBrowser,
        issuer: servers.issuer,
        url: servers.url,
        log,
      });
      failed += await closeEditor(oauth);
    }

    // 3b: a multi-root workspace, opened on its .code-workspace file (its settings live there)
    // (its folder's settings.json does not apply in a multi-root window, so server "helper" never runs there)
    if (only.has('multiroot')) {
      const multiRoot = await openEditor('multiroot', { smokeTestDriver: true, workspaceFile: true, detachedGrandchild: false });
      failed += await runExtensionTests(multiRoot.server.url, multiRoot.run, multiRoot.workspace, multiRoot.installed, 'multiroot');
      failed += await closeEditor(multiRoot);
    }

    // 4: Workspace Trust: nothing runs until the user trusts the folder
    if (only.has('trust')) {
      const trust = await openEditor('trust', { trustEverything: false });
      const { runTrustTests } = await import(join(ROOT, 'out/test/e2e/ui/trust.ui.js'));
      failed += await runTrustTests({
        serverUrl: trust.server.url,
        workspace: trust.workspace,
        results,
        launchBrowser: trust.launchBrowser,
        serverProcesses: () => serverProcesses().map((pid) => `${pid} (${commandLine(pid)})`),
        log,
      });
      failed += await closeEditor(trust);
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
  }
  log(failed === 0 ? 'e2e passed' : `e2e failed: ${failed} failing step(s)`);
  return failed === 0 ? 0 : 1;
}

/** Opens the workbench with the test payload; the workbench reports the mocha result through codeAutomationExit. */
async function runExtensionTests(serverUrl, run, workspace, extensionPath, suite = 'suite') {
  const u = new URL(serverUrl);
  const remote = (p) => `vscode-remote://${u.host}${p}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(extensionPath)],
    ['extensionTestsPath', remote(join(ROOT, `out/test/e2e/${suite}/index.js`))],
    ['skipWelcome', 'true'],
  ]);
  const browser = await launchBrowser(run);
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    let finish;
    const finished = new Promise((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = args.join(' ');
      if (process.env.SHOW_WORKBENCH_LOG || (type === 'info' && !/^\[|^Creating a socket|^Resolv|^Updating additional/.test(line))) console.log(line);
    });
    await page.exposeFunction('codeAutomationExit', (code) => finish(code));
    page.on('pageerror', (error) => log(`page error: ${error.message}`));
    const started = Date.now();
    const opened = workspace.endsWith('.code-workspace') ? 'workspace' : 'folder';
    await page.goto(`${u.origin}/?${opened}=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), EXT_TEST_TIMEOUT_MS));
    const code = await Promise.race([finished, timeout]);
    await page.screenshot({ path: join(results, 'extension-tests.png') }).catch(() => undefined);
    if (code === 'timeout') {
      log(`extension tests did not finish within ${EXT_TEST_TIMEOUT_MS / 1000} s`);
      return 1;
    }
    log(`extension tests exited with ${code} after ${Date.now() - started} ms`);
    return code === 0 ? 0 : 1;
  } finally {
    await browser.close();
  }
}

function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '(gone)';
  }
}

/**
 * Live processes started for this run's test workspaces: they, and what they spawn, carry E2E_MARKER. Those
 * that already ran when this run began (left by an interrupted earlier run) are not counted.
 */
function serverProcesses(candidates = readdirSync('/proc')) {
  return candidates
    .filter((p) => /^\d+$/.test(p) && !preexisting.has(p))
    .filter((pid) => {
      try {
        const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
        return state !== 'Z' && readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`${E2E_MARKER}=1`);
      } catch {
        return false;
      }
    });
}

/** Field 6 of /proc/<pid>/stat: the session the process belongs to. */
function sessionOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]);
  } catch {
    return undefined;
  }
}

/**
 * Notes, once a second while an editor runs, the marked processes the fixture started with
 * --spawn-detached-grandchild that lead a session of their own. (The extension tests' host stops its servers
 * when the tests end, so they cannot be looked for only at the end.) `stop()` returns what was seen.
 */
function watchDetachedGrandchildren() {
  if (process.platform !== 'linux') return { stop: () => ['(not checked off Linux)'] };
  const seen = new Map();
  const look = () => {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid) || seen.has(pid) || preexisting.has(pid) || !commandLine(pid).includes(DETACHED_GRANDCHILD)) continue;
      if (sessionOf(pid) === Number(pid) && serverProcesses([pid]).length === 1) seen.set(pid, `pid ${pid} (session ${sessionOf(pid)})`);
    }
  };
  const timer = setInterval(look, 1000);
  return {
    stop: () => {
      clearInterval(timer);
      look();
      return [...seen.values()];
    },
  };
}

/** After the editor is gone, no MCP server it started may still run. */
async function checkNoServerOutlivesTheEditor() {
  if (process.platform !== 'linux') return 0;
  const leftovers = () => serverProcesses();
  const deadline = Date.now() + 10_000;
  while (leftovers().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  const left = leftovers();
  if (left.length === 0) {
    log('no server process outlived the editor');
    return 0;
  }
  for (const pid of left) log(`left behind: pid ${pid}: ${commandLine(pid)}`);
  for (const pid of left) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone
    }
  }
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
