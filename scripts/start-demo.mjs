// npm start: opens the packaged .vsix in a local VS Code (code-server) with a demo workspace of real MCP
// servers, and prints the URL to open in a browser. Ctrl+C stops everything.
// On a desktop VS Code, install the same file instead: code --install-extension mcp-warden-<version>.vsix
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE, ensureHost, installVsix, log, makeRunDir, ROOT, startCodeServer } from './vscodeHost.mjs';
import { startHttpEverything, startOAuthServers, writeDemoWorkspace } from './workspaces.mjs';

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const vsix = join(ROOT, `mcp-warden-${version}.vsix`);
if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package first`);

const host = ensureHost();
// A fresh profile and workspace each time, so the demo always starts from the same place.
const run = makeRunDir('demo', join(CACHE, 'demo'));

const http = await startHttpEverything(host.node24);
const oauth = await startOAuthServers(host.node24);
const workspace = join(run, 'workspace');
writeDemoWorkspace(workspace, { node: host.node24, httpUrl: http.url, oauthUrl: oauth.url });
installVsix(host, run, vsix);
const server = await startCodeServer(host, run, { workspace, smokeTestDriver: false });

console.log(`
  MCP Warden ${version} is running in VS Code (code-server):

      ${server.url}/?folder=${encodeURIComponent(workspace)}

  Open it in a browser and click the shield in the activity bar. The demo workspace defines
  server-everything over stdio and Streamable HTTP, server-filesystem on notes/, and servers of the
  2024-11-05 and 2026-07-28 protocol eras, and "signed-in", protected by a real OAuth authorization
  server on this machine (${oauth.issuer}: any login and password). .mcp.json holds one more to import. No server starts until
  you approve it: answer "N permission requests are waiting" with Review… (or Approve Launch in the
  Servers view); each tool then asks before its first call.
  Press Ctrl+C to stop.
`);

const stop = async () => {
  log('stopping');
  await server.stop();
  await http.stop();
  oauth.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
