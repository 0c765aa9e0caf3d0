// The same extension-host suite in desktop VS Code (Electron), for machines with internet access:
// @vscode/test-electron downloads VS Code, the packaged .vsix is installed with its CLI, and the suite runs
// against the installed extension. CI uses code-server instead (scripts/e2e.mjs): it cannot download VS Code.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';
import { ensureHost, ROOT } from './vscodeHost.mjs';
import { startHttpEverything, writeE2eWorkspace } from './workspaces.mjs';

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const run = mkdtempSync(join(tmpdir(), 'mcp-warden-desktop-'));
const host = ensureHost();
const http = await startHttpEverything(host.node24);
try {
  const executable = await downloadAndUnzipVSCode({ version: 'stable', cachePath: join(ROOT, '.vscode-test') });
  const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(executable);
  const extensionsDir = join(run, 'exts');
  execFileSync(cli, [...cliArgs, '--extensions-dir', extensionsDir, '--install-extension', join(ROOT, `mcp-warden-${version}.vsix`)], { stdio: 'inherit' });
  const installed = join(extensionsDir, readdirSync(extensionsDir).find((d) => d.startsWith('mcp-warden.mcp-warden-')));
  const workspace = join(run, 'ws');
  writeE2eWorkspace(workspace, { node: host.node24, httpUrl: http.url });
  await runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: installed,
    extensionTestsPath: join(ROOT, 'out/test/e2e/suite/index.js'),
    launchArgs: [workspace, '--extensions-dir', extensionsDir, '--user-data-dir', join(run, 'ud'), '--disable-workspace-trust'],
  });
} catch (error) {
  console.error(`desktop e2e failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await http.stop();
}
