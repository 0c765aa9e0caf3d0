// Prompts, resources and rich tool results as a user meets them in the real editor (code-server), against
// server-everything over stdio: Get Prompt… with an argument → the messages in the markdown preview; Open
// Resource… → the text resource in a read-only editor; Call Tool… get-tiny-image → the image shown as an image.
// Every wait is for a state of the page, never a fixed time.
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { allowPending, answerToast, exactRow, pane, runCommand, widenSideBar, type UiStepOptions, writeServersWorkspace } from './workbench';

/** The workspace: server-everything over stdio as server "everything". */
export function writeContentWorkspace(dir: string, { node, everything, env }: { node: string; everything: string; env: Record<string, string> }): void {
  // Real paths: the OS sandbox exposes a program's real location, not a symlink to it (a worktree's node_modules).
  const servers = { everything: { command: realpathSync(node), args: [realpathSync(everything), 'stdio'], env } };
  writeServersWorkspace(dir, servers, 'content');
}

/** Returns the number of failed steps (0 or 1). */
export async function runContentTests(options: UiStepOptions): Promise<number> {
  const browser = await options.launchBrowser();
  const page = browser.pages()[0] ?? (await browser.newPage());
  // Questions left open (the server asks for roots at start) are cleared first: the picture is of the result.
  const image = async (name: string) => {
    await runCommand(page, 'Notifications: Clear All Notifications');
    await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'hidden', timeout: 15_000 });
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
    await page.screenshot({ path: join(options.images, `${name}.png`) });
  };
  const input = page.locator('.quick-input-widget');
  try {
    await page.goto(`${options.serverUrl}/?folder=${encodeURIComponent(options.workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar [aria-label^="MCP Warden"]').first().click({ timeout: 60_000 });
    await widenSideBar(page, 520);
    const servers = pane(page, 'Servers');
    const everythingRow = servers.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^everything$/ }) });
    await answerToast(page, "Start server 'everything'?", 'Approve', 60_000);
    await everythingRow.locator('.label-description', { hasText: / · stdio/ }).waitFor({ timeout: 60_000 });
    options.log('UI: server-everything runs');

    // Get Prompt… → args-prompt → city (a quick pick: the server offers completions) → the messages, rendered.
    await runCommand(page, 'MCP Warden: Get Prompt…');
    await input.locator('input').fill('args-prompt');
    await exactRow(page, 'args-prompt').click({ timeout: 15_000 });
    // Asking for completions is using the prompt: the gate asks first, before the argument's quick pick opens.
    await allowPending(page, /prompt.*args-prompt/, 'Allow for Session');
    await input.locator('.quick-input-title', { hasText: 'everything/args-prompt (1/2): city' }).waitFor({ timeout: 15_000 });
    await input.locator('input').fill('Paris');
    await exactRow(page, 'Paris').waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await input.locator('.quick-input-title', { hasText: 'everything/args-prompt (2/2): state (optional)' }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter'); // left out
    await preview(page).getByText("What's weather in Paris?").waitFor({ timeout: 30_000 });
    await preview(page).getByRole('heading', { name: '1. user' }).waitFor({ timeout: 15_000 });
    await image('prompt-result');
    options.log('UI: Get Prompt… asked for the argument and showed the message with its role in the markdown preview');
    await runCommand(page, 'View: Close All Editors');

    // Open Resource… → a listed text resource → a read-only editor in the language of its type.
    await runCommand(page, 'MCP Warden: Open Resource…');
    await input.locator('input').fill('architecture.md');
    await exactRow(page, 'architecture.md').click({ timeout: 15_000 });
    await allowPending(page, /architecture\.md/, 'Allow Once');
    await page.locator('.tab', { hasText: 'architecture.md' }).waitFor({ timeout: 30_000 });
    await page.locator('.editor-instance .view-lines', { hasText: /Architecture/ }).first().waitFor({ timeout: 30_000 });
    await image('resource-open');
    options.log('UI: Open Resource… showed the text resource read-only');
    await runCommand(page, 'View: Close All Editors');

    // Call Tool… → get-tiny-image → the image, shown as an image.
    await runCommand(page, 'MCP Warden: Call Tool…', 'everything');
    await input.locator('input').fill('get-tiny-image');
    await exactRow(page, 'get-tiny-image').click({ timeout: 15_000 });
    await allowPending(page, /get-tiny-image/, 'Allow Once');
    const shown = preview(page).locator('img[src^="data:image/png;base64,"]');
    await shown.waitFor({ timeout: 30_000 });
    const size = await shown.evaluate((img: { naturalWidth: number; complete: boolean }) => (img.complete ? img.naturalWidth : 0));
    if (size === 0) throw new Error('the image did not decode');
    await image('image-result');
    options.log('UI: Call Tool… get-tiny-image showed the image as an image');
    return 0;
  } catch (error) {
    options.log(`content UI test failed: ${error instanceof Error ? error.message : String(error)}`);
    await page.screenshot({ path: join(options.results, 'content-failure.png') }).catch(() => undefined);
    return 1;
  } finally {
    await browser.close();
  }
}

/** The document inside the markdown preview (a webview: an iframe holding the active frame). */
function preview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}
