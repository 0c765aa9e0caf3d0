// Workspaces of real MCP servers for the e2e tests and the demo (`npm start`).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, log, ROOT } from './vscodeHost.mjs';

const EVERYTHING = join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const FILESYSTEM = join(ROOT, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');
export const FIXTURE = join(ROOT, 'test/fixtures/fixture-server.mjs');
export const E2E_MARKER = 'MCP_WARDEN_E2E_SERVER';
/** In the command line of the process the fixture starts with --spawn-detached-grandchild. */
export const DETACHED_GRANDCHILD = 'mcp-warden-detached-grandchild';

/**
 * Starts server-everything over Streamable HTTP on a free loopback port, as the leader of its own process
 * group. Retries the start-up only.
 */
export async function startHttpEverything(node) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(node, [EVERYTHING, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, detached: true, stdio: 'ignore' });
    const url = `http://127.0.0.1:${port}/mcp`;
    for (let i = 0; i < 100; i++) {
      try {
        await fetch(url, { method: 'GET' });
        log(`server-everything (Streamable HTTP) answers on ${url}`);
        return { url, stop: () => killGroup(child.pid) };
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    killGroup(child.pid);
    if (attempt >= 3) throw new Error('server-everything over HTTP did not start');
  }
}

/**
 * Starts a real authorization server (oidc-provider) and an MCP server it protects (test/fixtures/oauth), as a
 * process group of their own; resolves with the {issuer, url} they print. Any login and password sign in. Its
 * start-up alone is retried.
 */
export async function startOAuthServers(node, { accessTokenTTL = 300 } = {}) {
  for (let attempt = 1; ; attempt++) {
    const child = spawn(node, [join(ROOT, 'test/fixtures/oauth/oauth-servers.mjs')], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AT_TTL: String(accessTokenTTL) },
    });
    let errors = '';
    child.stderr.on('data', (chunk) => (errors = (errors + chunk).slice(-4000)));
    const started = await new Promise((resolve) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n', 1)[0]));
      });
      child.once('exit', () => resolve(undefined));
      setTimeout(() => resolve(undefined), 30_000);
    });
    if (started) {
      log(`OAuth fixture: authorization server ${started.issuer}, protected MCP server ${started.url}`);
      return { ...started, stop: () => killGroup(child.pid) };
    }
    killGroup(child.pid);
    if (attempt >= 3) throw new Error(`the OAuth fixture did not start:\n${errors}`);
  }
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // gone
  }
}

/**
 * The e2e workspace: good servers of several eras and transports, and bad definitions that must not break
 * them. The UI run adds a server that needs an input and one that keeps crashing.
 */
export function writeE2eWorkspace(dir, { node, httpUrl, ui = false }) {
  mkdirSync(join(dir, '.vscode'), { recursive: true });
  // Every stdio server (and any process it spawns) carries this marker, so the e2e run can find leftovers.
  const env = { [E2E_MARKER]: '1' };
  const servers = {
    everything: { command: node, args: [EVERYTHING, 'stdio'], env },
    modern: { command: node, args: [FIXTURE, '--era', 'modern'], env },
    'everything-http': { url: httpUrl },
    // leaves a helper process running that ignores SIGTERM, and another in a session of its own (setsid, as
    // Playwright starts a browser): both must still go when the server or the editor stops
    helper: { command: node, args: [FIXTURE, '--spawn-child', '--spawn-detached-grandchild'], env },
    broken: { command: 'mcp-warden-no-such-command' },
    invalid: { url: 'http://example.com/mcp' },
    ...(ui && {
      'needs-input': { command: node, args: [FIXTURE], env: { ...env, TOKEN: '${input:e2e-token}' } },
      crashy: { command: node, args: ['-e', 'process.exit(3)'], env },
    }),
  };
  const inputs = ui ? [{ id: 'e2e-token', type: 'promptString', description: 'Token for the e2e server', password: true }] : [];
  writeFileSync(
    join(dir, '.vscode', 'settings.json'),
    `// Written by the e2e tests; comments like this one must survive edits.\n{\n  "mcpWarden.inputs": ${JSON.stringify(inputs)},\n  "mcpWarden.servers": ${indent(JSON.stringify(servers, null, 2))}\n}\n`,
  );
  writeFileSync(
    join(dir, '.vscode', 'mcp.json'),
    JSON.stringify({ servers: { 'from-mcp-json': { type: 'stdio', command: node, args: [EVERYTHING, 'stdio'] } }, inputs: [] }, null, 2),
  );
  writeFileSync(join(dir, 'README.md'), '# MCP Warden e2e workspace\n');
}

/** The demo workspace of `npm start`: real servers over stdio and HTTP, one per protocol era family. */
export function writeDemoWorkspace(dir, { node, httpUrl, oauthUrl }) {
  mkdirSync(join(dir, '.vscode'), { recursive: true });
  mkdirSync(join(dir, 'notes'), { recursive: true });
  writeFileSync(join(dir, 'notes', 'hello.md'), '# Hello\n\nA file the filesystem server may read.\n');
  const servers = {
    everything: { command: node, args: [EVERYTHING, 'stdio'] },
    'everything-http': { url: httpUrl },
    files: { command: node, args: [FILESYSTEM, '${workspaceFolder}/notes'] },
    'modern-2026': { command: node, args: [FIXTURE, '--era', 'modern'] },
    'legacy-2024': { command: node, args: [FIXTURE, '--era', '2024-11-05'] },
    // Protected by a real authorization server on this machine: starting it asks you to sign in (any login works).
    ...(oauthUrl && { 'signed-in': { url: oauthUrl } }),
  };
  writeFileSync(
    join(dir, '.vscode', 'settings.json'),
    `// MCP Warden demo: servers live in mcpWarden.servers. Try "MCP Warden: Add Server".\n{\n  "mcpWarden.servers": ${indent(JSON.stringify(servers, null, 2))}\n}\n`,
  );
  writeFileSync(
    join(dir, '.mcp.json'),
    JSON.stringify({ mcpServers: { 'claude-style': { command: node, args: [EVERYTHING, 'stdio'] } } }, null, 2),
  );
}

function indent(json) {
  return json.replace(/\n/g, '\n  ');
}
