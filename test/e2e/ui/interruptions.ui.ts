// What the user sees when things go wrong on their side, in the real workbench: a settings file with a syntax
// error (servers keep running, the Servers view says where the error is), a tool call they cancel, and a tool
// call whose server they stop. Every wait is for a state of the page, never a fixed time.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { allowPending, exactRow, runCommand } from './workbench';

interface InterruptionTestOptions {
  readonly serverUrl: string;
  readonly workspace: string;
  readonly results: string;
  readonly launchBrowser: () => Promise<BrowserContext>;
  readonly log: (message: string) => void;
}

/** Runs the steps; returns the number of failed steps (0 or 1). */
export async function runInterruptionTests(options: InterruptionTestOptions): Promise<number> {
  const browser = await options.launchBrowser();
  const page = browser.pages()[0] ?? (await browser.newPage());
  const settingsFile = join(options.workspace, '.vscode', 'settings.json');
  const original = readFileSync(settingsFile, 'utf8');
  const shot = (name: string) => page.screenshot({ path: join(options.results, `${name}.png`) });
  try {
    await page.goto(`${options.serverUrl}/?folder=${encodeURIComponent(options.workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar [aria-label^="MCP Warden"]').first().click({ timeout: 60_000 });
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Servers' }) });
    const description = (name: string, text: string | RegExp) =>
      view
        .locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) })
        .locator('.label-description', { hasText: text });
    await description('modern', '2026-07-28 · stdio').waitFor({ timeout: 60_000 });
    await runCommand(page, 'Notifications: Clear All Notifications');
    // Run on its own, the workspace asks for needs-input's token first; a reload waits for that start, so say no.
    const prompt = page.locator('.quick-input-widget .quick-input-title', { hasText: "server 'needs-input' needs" });
    const answered = description('needs-input', /2026-07-28 · stdio|error/);
    await Promise.race([prompt.waitFor({ timeout: 60_000 }), answered.waitFor({ timeout: 60_000 })]);
    if (await prompt.isVisible()) {
      await page.keyboard.press('Escape');
      await answered.waitFor({ timeout: 30_000 });
    }

    // A syntax error in .vscode/settings.json: the servers keep running and the view says where the error is.
    writeFileSync(settingsFile, original.replace('{\n', '{\n  "editor.rulers": [80\n'));
    const message = view.locator('.message', { hasText: /\.vscode\/settings\.json has a syntax error at \d+:3 \(CommaExpected\): servers keep their last good definitions until it is fixed/ });
    await message.waitFor({ timeout: 30_000 });
    await description('modern', '2026-07-28 · stdio').waitFor({ timeout: 5_000 });
    await shot('settings-syntax-error');
    await runCommand(page, 'MCP Warden: Show Extension Log');
    await page.locator('.part.panel .view-lines', { hasText: '.vscode/settings.json: syntax error at' }).first().waitFor({ timeout: 15_000 });
    await runCommand(page, 'View: Toggle Panel Visibility');
    writeFileSync(settingsFile, original);
    await message.waitFor({ state: 'detached', timeout: 30_000 });
    await description('modern', '2026-07-28 · stdio').waitFor({ timeout: 5_000 });
    options.log('UI: a settings syntax error left the servers running, the view and the log said where it is, and the message went once fixed');

    // Cancel on the progress of a call: an information message, no error. The first call asks; allowed for the
    // session, the next one does not.
    await callSleep(page);
    await toast(page, "Calling modern/sleep…: waiting for your permission").waitFor({ timeout: 30_000 });
    await allowPending(page, 'modern: tool:sleep', 'Allow for Session');
    const progress = toast(page, 'Calling modern/sleep…');
    await progress.waitFor({ timeout: 15_000 });
    await shot('call-in-progress');
    await progress.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await expectCalmToast(page, "MCP Warden: call to 'sleep' on server 'modern' was cancelled.");
    await shot('call-cancelled');
    options.log('UI: cancelling a call says so calmly');
    await runCommand(page, 'Notifications: Clear All Notifications');

    // Stop Server while a call runs: the call's end is told as the stop it is.
    await callSleep(page);
    await toast(page, 'Calling modern/sleep…').waitFor({ timeout: 15_000 });
    await runCommand(page, 'MCP Warden: Stop Server', 'modern');
    await expectCalmToast(page, "MCP Warden: server 'modern' was stopped while 'sleep' was running.");
    await description('modern', /^stopped$/).waitFor({ timeout: 30_000 });
    await shot('call-server-stopped');
    options.log('UI: stopping the server of a running call says so calmly');
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'MCP Warden: Start Server', 'modern');
    await description('modern', '2026-07-28 · stdio').waitFor({ timeout: 60_000 });
    return 0;
  } catch (error) {
    options.log(`UI test failed: ${error instanceof Error ? error.message : String(error)}`);
    await shot('interruptions-failure').catch(() => undefined);
    return 1;
  } finally {
    writeFileSync(settingsFile, original);
    await browser.close();
  }
}

/** Call Tool… on modern's `sleep`, long enough to be interrupted. */
async function callSleep(page: Page): Promise<void> {
  const input = page.locator('.quick-input-widget');
  await runCommand(page, 'MCP Warden: Call Tool…', 'modern');
  await input.locator('input').fill('sleep');
  await exactRow(page, 'sleep').click({ timeout: 15_000 });
  await input.locator('.quick-input-title', { hasText: 'modern/sleep (1/1): ms' }).waitFor({ timeout: 15_000 });
  await input.locator('input').fill('120000');
  await page.keyboard.press('Enter');
}

function toast(page: Page, text: string): Locator {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text });
}

/** The toast with this message, shown as information; and no notification about the call shows an error. */
async function expectCalmToast(page: Page, text: string): Promise<void> {
  const shown = toast(page, text);
  await shown.waitFor({ timeout: 30_000 });
  if ((await shown.locator('.codicon-info').count()) === 0) throw new Error(`"${text}" is not shown as information`);
  const aboutTheCall = toast(page, 'sleep');
  for (const notification of await aboutTheCall.all()) {
    const said = await notification.innerText();
    if (/AbortError|Connection closed|failed/.test(said) || (await notification.locator('.codicon-error').count()) > 0) throw new Error(`shown as an error: ${said}`);
  }
}
