// Workspace Trust in the real workbench: a workspace opened in Restricted Mode gets no server at all, and
// the view says why; trusting it through VS Code's own trust editor loads and starts its servers.
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { allowAllWaiting, runCommand } from './workbench';

interface TrustTestOptions {
  readonly serverUrl: string;
  readonly workspace: string;
  readonly results: string;
  readonly launchBrowser: () => Promise<BrowserContext>;
  /** The server processes of the test workspaces now running (pid and command line). */
  readonly serverProcesses: () => string[];
  readonly log: (message: string) => void;
}

export async function runTrustTests(options: TrustTestOptions): Promise<number> {
  const browser = await options.launchBrowser();
  const page = browser.pages()[0] ?? (await browser.newPage());
  try {
    await page.goto(`${options.serverUrl}/?folder=${encodeURIComponent(options.workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ timeout: 60_000 });
    await page.locator('.activitybar [aria-label^="MCP Warden"]').first().click({ timeout: 60_000 });
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Servers' }) });
    await view.locator('.welcome-view-content', { hasText: 'This workspace is not trusted, so MCP Warden starts no servers' }).waitFor({ timeout: 30_000 });
    // The welcome text shows in any empty view, so first make sure MCP Warden is active and has read its configuration.
    await runCommand(page, 'MCP Warden: Show Extension Log');
    await page.locator('.part.panel .view-lines', { hasText: 'this workspace is not trusted: no server is started' }).waitFor({ timeout: 30_000 });
    const started = options.serverProcesses();
    if (started.length > 0) throw new Error(`processes started in an untrusted workspace: ${started.join(', ')}`);
    await page.screenshot({ path: join(options.results, 'untrusted-workspace.png') });
    options.log('UI: an untrusted workspace starts no server and the view says why');

    await view.locator('.welcome-view-content .monaco-button', { hasText: 'Manage Workspace Trust' }).click();
    const editor = page.locator('.workspace-trust-editor');
    await editor.waitFor({ timeout: 15_000 });
    await editor.locator('.monaco-button', { hasText: /^Trust$/ }).first().click();
    await editor.locator('h1, .workspace-trust-title', { hasText: 'You trust this folder' }).first().waitFor({ timeout: 15_000 });
    // Trusted, each server still waits for its launch to be approved.
    await allowAllWaiting(page);
    // The trust editor stays open over the workbench; the view behind it updates.
    const row = view.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^everything$/ }) });
    await row.locator('.label-description', { hasText: '2025-11-25 · stdio' }).waitFor({ timeout: 60_000 });
    if (options.serverProcesses().length === 0) throw new Error('no server process runs after trust was granted');
    await page.screenshot({ path: join(options.results, 'trusted-workspace.png') });
    options.log('UI: granting trust loaded and started the servers');
    return 0;
  } catch (error) {
    options.log(`trust test failed: ${error instanceof Error ? error.message : String(error)}`);
    await page.screenshot({ path: join(options.results, 'trust-failure.png') }).catch(() => undefined);
    return 1;
  } finally {
    await browser.close();
  }
}
