// A real VS Code, offline: Node 24 and code-server from the npm registry, cached in .vscode-test/ (the
// conventional cache folder of VS Code test runners), plus helpers to start and stop it.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNode24, node24Env, npmFreeEnv } from './node24.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE = process.env.VSCODE_TEST_CACHE ?? join(ROOT, '.vscode-test');
const CODE_SERVER_VERSION = '4.139.1'; // VS Code 1.139.1; its postinstall requires Node 24

export function log(message) {
  console.log(`[e2e ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/** Installs Node 24 and code-server into the cache unless they are there already. */
export function ensureHost() {
  const n24 = ensureNode24();
  const csDir = join(CACHE, 'cs');
  if (!existsSync(join(csDir, '.ok'))) {
    if (process.platform === 'linux' && !existsSync('/usr/include/gssapi/gssapi.h')) {
      throw new Error('code-server builds a kerberos module from source: install the Debian package libkrb5-dev (apt-get install libkrb5-dev) and run again');
    }
    log(`installing code-server@${CODE_SERVER_VERSION} into ${csDir} (compiles native modules, ~2 minutes)`);
    mkdirSync(csDir, { recursive: true });
    writeFileSync(join(csDir, 'package.json'), '{"private":true}');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], {
      cwd: csDir,
      stdio: 'inherit',
      // Not the outer npm's environment: code-server's postinstall would read the outer Node's version from it.
      env: { ...node24Env(n24), npm_config_nodedir: n24 },
    });
    writeFileSync(join(csDir, '.ok'), '');
  }
  return { node24: join(n24, 'bin', 'node'), node24Bin: join(n24, 'bin'), codeServer: join(csDir, 'node_modules', '.bin', 'code-server') };
}

export function chromiumPath() {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) throw new Error(`Chromium was not found at ${path}: install the Debian package chromium or set CHROMIUM_PATH`);
  return path;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * A fresh, isolated set of folders for one code-server run: HOME, TMPDIR, user data, extensions. In a new
 * temporary folder, or in `fixed` (emptied first).
 */
export function makeRunDir(label, fixed) {
  if (fixed) rmSync(fixed, { recursive: true, force: true });
  const dir = fixed ?? mkdtempSync(join(tmpdir(), `mcp-warden-${label}-`));
  for (const sub of ['home', 'tmp', 'ud/User', 'exts']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(
    join(dir, 'ud', 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'chat.disableAIFeatures': true,
        'workbench.tips.enabled': false,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'git.openRepositoryInParentFolders': 'never',
        // When trust is on, open in Restricted Mode without the modal question; tests grant trust in the trust editor.
        'security.workspace.trust.startupPrompt': 'never',
      },
      null,
      2,
    ),
  );
  return dir;
}

/** Installs a .vsix into a run's extensions folder, as a user would. Returns the installed extension's folder. */
export function installVsix(host, run, vsix) {
  execFileSync(host.codeServer, ['--extensions-dir', join(run, 'exts'), '--user-data-dir', join(run, 'ud'), '--install-extension', vsix], {
    env: hostEnv(host, run),
    stdio: 'pipe',
  });
  const installed = readdirSync(join(run, 'exts')).find((d) => d.startsWith('mcp-warden.mcp-warden-'));
  if (!installed) throw new Error(`the .vsix did not install into ${join(run, 'exts')}`);
  return join(run, 'exts', installed);
}

/**
 * Packs a test-only extension folder (test/e2e/fixtures/…) into a .vsix in the run and installs it next to MCP
 * Warden, as a user installs any extension.
 */
export function installFixtureExtension(host, run, folder) {
  const vsix = join(run, `${basename(folder)}.vsix`);
  execFileSync(join(ROOT, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], {
    cwd: folder,
    env: hostEnv(host, run),
    stdio: 'pipe',
  });
  execFileSync(host.codeServer, ['--extensions-dir', join(run, 'exts'), '--user-data-dir', join(run, 'ud'), '--install-extension', vsix], {
    env: hostEnv(host, run),
    stdio: 'pipe',
  });
}

function hostEnv(host, run, extra = {}) {
  return { ...npmFreeEnv(), HOME: join(run, 'home'), TMPDIR: join(run, 'tmp'), PATH: `${host.node24Bin}:${process.env.PATH}`, ...extra };
}

/**
 * Starts code-server as the leader of its own process group (so stopping it ends its extension hosts and
 * file watcher too) and waits until it answers. Retries the start-up, never anything after it.
 */
export async function startCodeServer(host, run, { workspace, smokeTestDriver, trustEverything = true, env = {}, port: fixedPort }) {
  for (let attempt = 1; ; attempt++) {
    // A fixed port when reopening: VS Code's workspace storage (and so MCP Warden's audit log) is keyed by the
    // remote authority, host:port, as a user's code-server on its usual port keeps it.
    const port = fixedPort ?? (await freePort());
    const args = [
      '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
      '--user-data-dir', join(run, 'ud'), '--extensions-dir', join(run, 'exts'),
      '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override',
      // Without this flag a new folder opens in Restricted Mode until the user trusts it.
      ...(trustEverything ? ['--disable-workspace-trust'] : []),
      ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
      workspace,
    ];
    const logFile = openSync(join(run, `code-server-${port}.log`), 'a');
    const child = spawn(host.codeServer, args, { env: hostEnv(host, run, env), detached: true, stdio: ['ignore', logFile, logFile] });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    let exited = false;
    child.once('exit', () => (exited = true));
    while (Date.now() < deadline && !exited) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) {
          log(`code-server (pid ${child.pid}) answers on ${url}`);
          return { url, port, pid: child.pid, stop: () => stopProcessGroup(child) };
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    stopProcessGroup(child);
    if (attempt >= 3) throw new Error(`code-server did not start (3 attempts); see ${run}/code-server-*.log`);
    log(`code-server did not answer, starting it again (attempt ${attempt + 1})`);
  }
}

/**
 * Stops code-server the way a service manager would: SIGTERM to its main process, which shuts down its
 * extension hosts (running extensions' deactivate()); then whatever is left of its process group.
 */
async function stopProcessGroup(child) {
  const alive = (pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const waitUntil = async (condition, ms) => {
    for (const end = Date.now() + ms; Date.now() < end; ) {
      if (condition()) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return condition();
  };
  const signal = (target, sig) => {
    try {
      process.kill(target, sig);
    } catch {
      // gone
    }
  };
  signal(child.pid, 'SIGTERM');
  await waitUntil(() => !alive(child.pid), 15_000);
  signal(-child.pid, 'SIGTERM');
  if (!(await waitUntil(() => !alive(-child.pid), 5_000))) signal(-child.pid, 'SIGKILL');
}

/**
 * Launches headless Chromium the way this machine allows: no sandbox (root), no background networking. One
 * profile per run, kept across launches like a user's browser: in code-server, VS Code's SecretStorage (inputs,
 * the audit key) lives in the browser profile.
 */
export async function launchBrowser(run) {
  const { chromium } = await import('playwright-core');
  const profile = join(run, 'chromium-profile');
  mkdirSync(profile, { recursive: true });
  return chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
