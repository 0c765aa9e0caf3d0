// Driving the workbench the way a user does, shared by the UI tests: the command palette and its rows.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';

/** What scripts/e2e.mjs hands a UI step that runs in an editor of its own. */
export interface UiStepOptions {
  readonly serverUrl: string;
  readonly workspace: string;
  /** Where the README's screenshots live (docs/images). */
  readonly images: string;
  /** Where failure screenshots go (test-results). */
  readonly results: string;
  readonly launchBrowser: () => Promise<BrowserContext>;
  readonly log: (message: string) => void;
}

/** A step's workspace: `servers` as mcpWarden.servers in .vscode/settings.json (after `header`) and a README. */
export function writeServersWorkspace(dir: string, servers: Record<string, unknown>, title: string, header = ''): void {
  mkdirSync(join(dir, '.vscode'), { recursive: true });
  writeFileSync(join(dir, '.vscode', 'settings.json'), `${header}{\n  "mcpWarden.servers": ${JSON.stringify(servers, null, 2).replace(/\n/g, '\n  ')}\n}\n`);
  writeFileSync(join(dir, 'README.md'), `# MCP Warden ${title} e2e workspace\n`);
}

/** F1, the command's title; then, if given, the quick pick item whose label is exactly `item`. */
export async function runCommand(page: Page, title: string, item?: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(`>${title}`);
  await exactRow(page, title).click({ timeout: 15_000 });
  if (item === undefined) return;
  await input.fill(item);
  await exactRow(page, item).click({ timeout: 15_000 });
}

/** The quick pick row labelled exactly `label` (fuzzy matching also shows "Stop All Servers" for "Stop Server"). */
export function exactRow(page: Page, label: string, shown = label): Locator {
  const exact = new RegExp(`^\\s*${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  return page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
}

/** A view of the side bar by its title, e.g. "Servers". */
export function pane(page: Page, title: string): Locator {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: title }) });
}

/** The first notification toast whose text matches. */
export function toast(page: Page, text: string | RegExp): Locator {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
}

/** Waits for the notification that says `text`, then clicks its button labelled exactly `button`. */
export async function answerToast(page: Page, text: string | RegExp, button: string, timeout = 60_000): Promise<void> {
  const shown = toast(page, text);
  await shown.waitFor({ timeout });
  await shown.locator('.monaco-button', { hasText: new RegExp(`^${button.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).click({ timeout: 15_000 });
}

/**
 * Allows every waiting permission request (at start-up: the launch of each server) the way a user does when many
 * wait at once: the "N permission requests are waiting" notification → Review… → all selected → Allow for
 * Workspace. Returns N.
 */
export async function allowAllWaiting(page: Page): Promise<number> {
  const batch = toast(page, /\d+ permission requests are waiting/);
  await batch.waitFor({ timeout: 60_000 });
  const count = Number(/(\d+) permission requests/.exec(await batch.innerText())?.[1]);
  await batch.locator('.monaco-button', { hasText: /^Review…$/ }).click({ timeout: 15_000 });
  const input = page.locator('.quick-input-widget');
  await input.locator('.quick-input-title', { hasText: 'MCP Warden: permission requests' }).waitFor({ timeout: 15_000 });
  await input.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 15_000 });
  await input.locator('.quick-input-header').getByRole('checkbox').first().click({ timeout: 15_000 }); // check all
  await input.locator('.quick-input-count', { hasText: `${count} Selected` }).waitFor({ timeout: 15_000 });
  await input.locator('.monaco-button', { hasText: /^OK$/ }).click({ timeout: 15_000 });
  await input.locator('.quick-input-title', { hasText: /for how long\?/ }).waitFor({ timeout: 15_000 });
  await exactRow(page, 'Allow for Workspace').click({ timeout: 15_000 });
  return count;
}

/** Drags the sash right of the side bar so descriptions in the views are readable in screenshots. */
export async function widenSideBar(page: Page, width: number): Promise<void> {
  const sideBar = await page.locator('.part.sidebar').boundingBox();
  if (!sideBar) return;
  const y = sideBar.y + sideBar.height / 2;
  await page.mouse.move(sideBar.x + sideBar.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(sideBar.x + width, y, { steps: 5 });
  await page.mouse.up();
}

/** Waits until an element stops moving (a notification slides in): Playwright's trial click checks it is stable. */
export async function settled(element: Locator): Promise<void> {
  await element.click({ trial: true, timeout: 15_000 });
}

/**
 * Allows the waiting permission requests whose Review… row matches `label` (e.g. "everything: tool:echo"), through
 * "MCP Warden: Review Permission Requests…" (the others are denied once); `scope` is the label of the scope to pick.
 * For tests about something else: they need not know which notifications other requests (a server asking for
 * roots) have put up meanwhile.
 */
export async function allowPending(page: Page, label: string | RegExp, scope: 'Allow Once' | 'Allow for Session' | 'Allow for Workspace'): Promise<void> {
  const input = page.locator('.quick-input-widget');
  await runCommand(page, 'MCP Warden: Review Permission Requests…');
  await input.locator('.quick-input-title', { hasText: 'MCP Warden: permission requests' }).waitFor({ timeout: 15_000 });
  const rows = input.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: label }) });
  await rows.first().waitFor({ timeout: 15_000 });
  const count = await rows.count();
  for (let i = 0; i < count; i++) await rows.nth(i).getByRole('checkbox').click({ timeout: 15_000 });
  await input.locator('.quick-input-count', { hasText: `${count} Selected` }).waitFor({ timeout: 15_000 });
  await input.locator('.monaco-button', { hasText: /^OK$/ }).click({ timeout: 15_000 });
  await input.locator('.quick-input-title', { hasText: /for how long\?/ }).waitFor({ timeout: 15_000 });
  await exactRow(page, scope).click({ timeout: 15_000 });
}

/**
 * Waits for a notification with `text`, as a toast or, when other toasts (a server's permission question) pushed it
 * out of sight, in the notification center, which keeps every notification of the window.
 */
export async function waitForNotification(page: Page, text: RegExp, timeout = 30_000): Promise<void> {
  const inToasts = page.locator('.notifications-toasts .notification-list-item', { hasText: text });
  const inCenter = page.locator('.notifications-center .notification-list-item', { hasText: text });
  const deadline = Date.now() + timeout;
  let centerShown = false;
  while (Date.now() < deadline) {
    if ((await inToasts.count()) > 0 || (await inCenter.count()) > 0) return;
    if (!centerShown && Date.now() > deadline - timeout + 5_000) {
      await runCommand(page, 'Notifications: Show Notifications');
      centerShown = true;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no notification matching ${text} within ${timeout} ms`);
}
