// Drives the real workbench like a user: opens the MCP Warden view, stops and starts a server from the
// command palette, and saves screenshots. Every wait is for a state of the page, never a fixed time.
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

interface UiTestOptions {
  readonly serverUrl: string;
  readonly workspace: string;
  readonly results: string;
  readonly launchBrowser: () => Promise<BrowserContext>;
  readonly log: (message: string) => void;
}

/** Runs the UI steps; returns the number of failed steps (0 or 1). */
export async function runUiTests(options: UiTestOptions): Promise<number> {
  const browser = await options.launchBrowser();
  const page = browser.pages()[0] ?? (await browser.newPage());
  try {
    await page.goto(`${options.serverUrl}/?folder=${encodeURIComponent(options.workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar [aria-label^="MCP Warden"]').first().click({ timeout: 60_000 });
    await widenSideBar(page, 560);
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Servers' }) });
    const row = (name: string) => view.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) });

    await row('everything').locator('.label-description', { hasText: '2025-11-25 · stdio' }).waitFor({ timeout: 60_000 });
    await row('modern').locator('.label-description', { hasText: '2026-07-28 · stdio' }).waitFor({ timeout: 30_000 });
    await row('broken').locator('.label-description', { hasText: /error: .*was not found/ }).waitFor({ timeout: 30_000 });
    await row('invalid').locator('.label-description', { hasText: /invalid:/ }).waitFor({ timeout: 30_000 });
    await page.locator('.statusbar-item', { hasText: /MCP \d+\/4/ }).waitFor({ timeout: 30_000 });
    options.log('UI: the Servers view lists every server with its state');
    await page.screenshot({ path: join(options.results, 'servers-view.png') });

    await runCommand(page, 'MCP Warden: Stop Server', 'everything');
    await row('everything').locator('.label-description', { hasText: /^stopped$/ }).waitFor({ timeout: 30_000 });
    options.log('UI: Stop Server from the palette stopped it');
    await page.screenshot({ path: join(options.results, 'servers-view-stopped.png') });

    await runCommand(page, 'MCP Warden: Start Server', 'everything');
    await row('everything').locator('.label-description', { hasText: '2025-11-25 · stdio' }).waitFor({ timeout: 60_000 });
    options.log('UI: Start Server from the palette started it again');

    await row('everything').click();
    await page.keyboard.press('ArrowRight');
    const tools = view.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^Tools$/ }) }).first();
    await tools.click({ timeout: 30_000 });
    await page.keyboard.press('ArrowRight');
    await view.locator('.monaco-list-row .label-name', { hasText: /^echo$/ }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(options.results, 'servers-view-tools.png') });
    options.log('UI: a running server shows its tools');
    return 0;
  } catch (error) {
    options.log(`UI test failed: ${error instanceof Error ? error.message : String(error)}`);
    await page.screenshot({ path: join(options.results, 'ui-failure.png') }).catch(() => undefined);
    return 1;
  } finally {
    await browser.close();
  }
}

/** Drags the sash right of the side bar so descriptions in the view are readable in screenshots. */
async function widenSideBar(page: Page, width: number): Promise<void> {
  const sideBar = await page.locator('.part.sidebar').boundingBox();
  if (!sideBar) return;
  const y = sideBar.y + sideBar.height / 2;
  await page.mouse.move(sideBar.x + sideBar.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(sideBar.x + width, y, { steps: 5 });
  await page.mouse.up();
}

/** F1, the command's title, then the quick pick item whose label is exactly `item`. */
async function runCommand(page: Page, title: string, item: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(`>${title}`);
  await exactRow(page, title).click({ timeout: 15_000 });
  await input.fill(item);
  await exactRow(page, item).click({ timeout: 15_000 });
}

/** The quick pick row labelled exactly `label` (fuzzy matching also shows "Stop All Servers" for "Stop Server"). */
function exactRow(page: Page, label: string) {
  const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
}
