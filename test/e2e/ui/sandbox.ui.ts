// The OS sandbox as a user meets it in the real editor (code-server, real bubblewrap): a server's write outside
// its grants is blocked, the block becomes a notification, Allow for Workspace restarts the server with the wider
// profile, and the retried call works. Also the Sandbox row of the Servers view and Show Sandbox Profile.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { answerToast, exactRow, pane, runCommand, settled, toast, widenSideBar, type UiStepOptions, writeServersWorkspace } from './workbench';

/** The workspace: the sandbox fixture as server "probe", and a folder `out` it is not granted. */
export function writeSandboxWorkspace(dir: string, { node, fixture, env }: { node: string; fixture: string; env: Record<string, string> }): void {
  mkdirSync(join(dir, 'out'), { recursive: true });
  const servers = { probe: { command: node, args: [fixture], env } };
  writeServersWorkspace(dir, servers, 'sandbox');
}

/** Returns the number of failed steps (0 or 1). */
export async function runSandboxTests(options: UiStepOptions): Promise<number> {
  const browser = await options.launchBrowser();
  const page = browser.pages()[0] ?? (await browser.newPage());
  const image = (name: string) => page.screenshot({ path: join(options.images, `${name}.png`) });
  const report = join(options.workspace, 'out', 'report.txt');
  try {
    await page.goto(`${options.serverUrl}/?folder=${encodeURIComponent(options.workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar [aria-label^="MCP Warden"]').first().click({ timeout: 60_000 });
    await widenSideBar(page, 520);
    const servers = pane(page, 'Servers');
    const probeRow = servers.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^probe$/ }) });

    await answerToast(page, "Start server 'probe'?", 'Approve', 60_000);
    await probeRow.locator('.label-description', { hasText: / · stdio · sandboxed$/ }).waitFor({ timeout: 60_000 });
    await probeRow.click(); // expands it: its Sandbox row says what is enforced
    const sandboxRow = servers.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^Sandbox$/ }) });
    await sandboxRow.locator('.label-description', { hasText: /^enforced · 0 write grants · 0 hosts/ }).waitFor({ timeout: 30_000 });
    options.log('UI: the server runs in the OS sandbox, and the Servers view says so');

    // The first write to ./out is blocked by the sandbox (the tool itself is allowed for the workspace).
    await runCommand(page, 'Notifications: Clear All Notifications');
    await writeReport(page);
    await answerToast(page, "Server 'probe' asks to call its tool 'write_file'", 'Allow for Workspace', 30_000);
    const blocked = toast(page, /The OS sandbox denied server 'probe' writing to \.\/out/);
    await blocked.waitFor({ timeout: 30_000 });
    await page.locator('.editor-instance .view-lines', { hasText: /error/ }).first().waitFor({ timeout: 30_000 });
    if (existsSync(report)) throw new Error('the blocked write reached the disk');
    await runCommand(page, 'View: Close All Editors');
    await settled(blocked.locator('.monaco-button', { hasText: /^Allow for Workspace$/ }));
    await image('sandbox-ask');
    options.log('UI: the blocked write became a notification naming the folder');

    // Allow for Workspace: the server restarts with ./out writable (its Sandbox row shows the new profile only once
    // it runs again), and the same call now works.
    await blocked.locator('.monaco-button', { hasText: /^Allow for Workspace$/ }).click();
    await sandboxRow.locator('.label-description', { hasText: /^enforced · 1 write grant · 0 hosts/ }).waitFor({ timeout: 60_000 });
    await probeRow.locator('.label-description', { hasText: / · stdio · sandboxed$/ }).waitFor({ timeout: 60_000 });
    await runCommand(page, 'Notifications: Clear All Notifications');
    await writeReport(page);
    await page.locator('.editor-instance .view-lines', { hasText: 'ok wrote' }).first().waitFor({ timeout: 30_000 });
    if (readFileSync(report, 'utf8') !== 'written from the sandbox') throw new Error('the retried write did not reach the disk');
    await runCommand(page, 'View: Close All Editors');
    options.log('UI: Allow for Workspace restarted the server with the wider profile, and the retried call wrote the file');

    // The effective profile, read-only.
    await sandboxRow.click();
    const profile = page.locator('.editor-instance .view-lines');
    await profile.filter({ hasText: `// Writes: ${join(options.workspace, 'out')}` }).waitFor({ timeout: 15_000 });
    await profile.filter({ hasText: '// Network: no host without asking' }).waitFor({ timeout: 15_000 });
    await image('sandbox-profile');
    options.log('UI: the Sandbox row shows what is enforced, and opens the effective profile read-only');
    return 0;
  } catch (error) {
    options.log(`sandbox UI test failed: ${error instanceof Error ? error.message : String(error)}`);
    await page.screenshot({ path: join(options.results, 'sandbox-failure.png') }).catch(() => undefined);
    return 1;
  } finally {
    await browser.close();
  }

  /** MCP Warden: Call Tool… → probe → write_file → ./out/report.txt, and its text. */
  async function writeReport(on: Page): Promise<void> {
    const input = on.locator('.quick-input-widget');
    await runCommand(on, 'MCP Warden: Call Tool…', 'probe');
    await input.locator('input').fill('write_file');
    await exactRow(on, 'write_file').click({ timeout: 15_000 });
    await input.locator('.quick-input-title', { hasText: 'probe/write_file (1/2)' }).waitFor({ timeout: 15_000 });
    await input.locator('input').fill(report);
    await on.keyboard.press('Enter');
    await input.locator('.quick-input-title', { hasText: 'probe/write_file (2/2)' }).waitFor({ timeout: 15_000 });
    await input.locator('input').fill('written from the sandbox');
    await on.keyboard.press('Enter');
  }
}

