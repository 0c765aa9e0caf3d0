// Drives the real workbench like a user: answers an input prompt, reads the Servers view, stops and starts a
// server from the command palette, adds and imports servers, and follows a "keeps crashing" notification.
// Screenshots go to test-results/. Every wait is for a state of the page, never a fixed time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Locator } from 'playwright-core';
import { allowAllWaiting, allowPending, exactRow, runCommand, widenSideBar } from './workbench';

interface UiTestOptions {
  readonly serverUrl: string;
  readonly workspace: string;
  readonly results: string;
  readonly node: string;
  readonly fixture: string;
  readonly launchBrowser: () => Promise<BrowserContext>;
  readonly log: (message: string) => void;
}

const SECRET = 'e2e-s3cret-token-value';

/** Runs the UI steps; returns the number of failed steps (0 or 1). */
export async function runUiTests(options: UiTestOptions): Promise<number> {
  const browser = await options.launchBrowser();
  const page = browser.pages()[0] ?? (await browser.newPage());
  const settingsFile = join(options.workspace, '.vscode', 'settings.json');
  const shot = (name: string) => page.screenshot({ path: join(options.results, `${name}.png`) });
  try {
    await page.goto(`${options.serverUrl}/?folder=${encodeURIComponent(options.workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });

    // Nothing starts before its launch is approved: the servers' questions come as one notification.
    const approved = await allowAllWaiting(page);
    options.log(`UI: the launches of ${approved} servers were approved at once through Review…`);

    // ${input:e2e-token}: asked once (after the launch is approved), as a password, kept out of settings
    const input = page.locator('.quick-input-widget');
    await input.locator('.quick-input-title', { hasText: "server 'needs-input' needs ${input:e2e-token}" }).waitFor({ timeout: 60_000 });
    await shot('input-prompt');
    await expectAttribute(input.locator('input'), 'type', 'password');
    await input.locator('input').fill(SECRET);
    await page.keyboard.press('Enter');
    options.log('UI: the input prompt was answered');

    await page.locator('.activitybar [aria-label^="MCP Warden"]').first().click({ timeout: 60_000 });
    await widenSideBar(page, 600);
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Servers' }) });
    const description = (name: string, text: string | RegExp) =>
      view
        .locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) })
        .locator('.label-description', { hasText: text });

    await description('everything', '2025-11-25 · stdio').waitFor({ timeout: 60_000 });
    await description('modern', '2026-07-28 · stdio').waitFor({ timeout: 30_000 });
    await description('everything-http', '2025-11-25 · streamable-http').waitFor({ timeout: 30_000 });
    await description('needs-input', '2026-07-28 · stdio').waitFor({ timeout: 30_000 });
    await description('broken', /error: .*was not found/).waitFor({ timeout: 30_000 });
    await description('invalid', /invalid: .*loopback/).waitFor({ timeout: 30_000 });
    await description('from-mcp-json', /in \.vscode\/mcp\.json/).waitFor({ timeout: 30_000 });
    await page.locator('.statusbar-item', { hasText: /MCP \d+\/7/ }).waitFor({ timeout: 30_000 });
    if (readFileSync(settingsFile, 'utf8').includes(SECRET)) throw new Error('the input value was written to settings.json');
    options.log('UI: the Servers view lists every server with its state; the input is not in settings.json');
    await shot('servers-view');

    await runCommand(page, 'MCP Warden: Stop Server', 'everything');
    await description('everything', /^stopped$/).waitFor({ timeout: 30_000 });
    await runCommand(page, 'MCP Warden: Start Server', 'everything');
    await description('everything', '2025-11-25 · stdio').waitFor({ timeout: 60_000 });
    options.log('UI: Stop Server and Start Server from the palette');

    await view.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^everything$/ }) }).click();
    await page.keyboard.press('ArrowRight');
    await view.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^Tools$/ }) }).first().click({ timeout: 30_000 });
    await page.keyboard.press('ArrowRight');
    await view.locator('.monaco-list-row .label-name', { hasText: /^echo$/ }).first().waitFor({ timeout: 30_000 });
    await shot('servers-view-tools');
    // Collapsed again, so that every server's row stays in sight (the list draws only what is visible).
    const everythingRow = view.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^everything$/ }) });
    await everythingRow.locator('.monaco-tl-twistie').click();
    await view.locator('.monaco-list-row[aria-expanded="false"]', { has: page.locator('.label-name', { hasText: /^everything$/ }) }).waitFor({ timeout: 15_000 });
    options.log('UI: a running server shows its tools');

    // Call Tool…: server, tool, one prompt per argument, the result in a read-only editor
    await runCommand(page, 'MCP Warden: Call Tool…', 'everything');
    await input.locator('input').fill('echo');
    await exactRow(page, 'echo').click({ timeout: 15_000 });
    await input.locator('.quick-input-title', { hasText: 'everything/echo (1/1): message' }).waitFor({ timeout: 15_000 });
    await input.locator('input').fill('hello from the palette');
    await page.keyboard.press('Enter');
    await page.locator('.notifications-toasts', { hasText: 'Calling everything/echo…: waiting for your permission' }).waitFor({ timeout: 30_000 });
    await allowPending(page, 'everything: tool:echo', 'Allow for Session');
    const result = page.locator('.editor-instance .view-lines', { hasText: 'Echo: hello from the palette' });
    await result.waitFor({ timeout: 30_000 });
    await page.locator('.tab', { hasText: 'everything-echo-result.json' }).waitFor({ timeout: 15_000 });
    await shot('call-tool-result');
    await runCommand(page, 'View: Close All Editors');
    options.log('UI: Call Tool asked for the argument and showed the result');

    // A server that exits at once: restarted with backoff, then given up, with a notification
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: "server 'crashy' keeps crashing" });
    await toast.waitFor({ timeout: 60_000 });
    await description('crashy', /gave up: .*exited with code 3/).waitFor({ timeout: 10_000 });
    await shot('gave-up-notification');
    await toast.locator('.monaco-button', { hasText: 'Show Output' }).click();
    await page.locator('.part.panel', { hasText: 'MCP Warden: crashy' }).waitFor({ timeout: 15_000 });
    await page.locator('.part.panel .view-lines', { hasText: 'stopped restarting it' }).waitFor({ timeout: 15_000 });
    await shot('server-output');
    options.log('UI: the give-up notification and its Show Output button');
    await runCommand(page, 'View: Toggle Panel Visibility'); // the output panel is open: hide it

    // The Audit Log: server → session → events; a filter narrows them; the chain verifies
    const audit = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Audit Log' }) });
    const auditRow = (label: string | RegExp) => audit.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: label }) }).first();
    await auditRow(/^everything$/).click({ timeout: 30_000 }); // a click expands
    await newestSession(audit).click({ timeout: 30_000 });
    await auditRow('→ tools/call echo').waitFor({ timeout: 30_000 });
    await auditRow(/^ready$/).waitFor({ timeout: 30_000 });
    await shot('audit-log');
    await runCommand(page, 'MCP Warden: Filter Audit Log…', 'Text…');
    await input.locator('input').fill('hello from the palette');
    await page.keyboard.press('Enter');
    await audit.locator('.pane-header', { hasText: '"hello from the palette"' }).waitFor({ timeout: 15_000 });
    await auditRow(/^ready$/).waitFor({ state: 'detached', timeout: 15_000 });
    await auditRow('→ tools/call echo').waitFor({ timeout: 15_000 });
    await shot('audit-log-filtered');
    options.log('UI: the Audit Log shows the session’s events, and a text filter narrows them');
    await runCommand(page, 'MCP Warden: Verify Audit Log');
    await page.locator('.notifications-toasts', { hasText: 'the audit log is intact' }).waitFor({ timeout: 30_000 });
    await runCommand(page, 'MCP Warden: Clear Audit Log Filter');
    await auditRow(/^ready$/).click({ timeout: 15_000 });
    const recordEditor = page.locator('.editor-instance .view-lines', { hasText: '"action": "ready"' });
    await recordEditor.waitFor({ timeout: 15_000 });
    await page.locator('.tab', { hasText: /^audit-record-\d+\.json/ }).waitFor({ timeout: 15_000 });
    await shot('audit-record');
    await runCommand(page, 'View: Close All Editors');
    options.log('UI: Verify Audit Log found the chain intact; a record opens as JSON');


    // Add Server: a stdio server, written into settings.json without losing its comments
    await runCommand(page, 'MCP Warden: Add Server');
    await exactRow(page, '$(terminal) Command (stdio)', 'Command (stdio)').click({ timeout: 15_000 });
    await input.locator('input').fill(`${options.node} ${options.fixture} --era 2025-03-26`);
    await page.keyboard.press('Enter');
    await input.locator('.quick-input-title', { hasText: 'name' }).waitFor({ timeout: 15_000 });
    await input.locator('input').fill('added');
    await page.keyboard.press('Enter');
    await description('added', /^needs approval/).waitFor({ timeout: 30_000 });
    await runCommand(page, 'MCP Warden: Approve Launch');
    await description('added', '2025-03-26 · stdio').waitFor({ timeout: 60_000 });
    const settings = readFileSync(settingsFile, 'utf8');
    if (!settings.includes('// Written by the e2e tests; comments like this one must survive edits.')) throw new Error('Add Server lost the comment in settings.json');
    if (!/"added": \{\s*"command": /.test(settings)) throw new Error(`Add Server did not write the server:\n${settings}`);
    options.log('UI: Add Server wrote the definition, kept the comments, and the server started');

    // Import Servers: the server of .vscode/mcp.json moves into settings and starts
    await runCommand(page, 'MCP Warden: Import Servers…');
    await exactRow(page, 'from-mcp-json').waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await description('from-mcp-json', /^needs approval/).waitFor({ timeout: 30_000 });
    await runCommand(page, 'MCP Warden: Approve Launch');
    await description('from-mcp-json', '2025-11-25 · stdio').waitFor({ timeout: 60_000 });
    if (!readFileSync(settingsFile, 'utf8').includes('"from-mcp-json"')) throw new Error('Import did not write settings.json');
    options.log('UI: Import Servers copied the mcp.json server into settings and started it');

    // Starting again reuses the stored input: were it asked for again, the server would wait in "starting".
    await runCommand(page, 'MCP Warden: Stop Server', 'needs-input');
    await description('needs-input', /^stopped$/).waitFor({ timeout: 30_000 });
    await runCommand(page, 'MCP Warden: Start Server', 'needs-input');
    await description('needs-input', '2026-07-28 · stdio').waitFor({ timeout: 30_000 });
    await shot('servers-view-final');
    options.log('UI: starting again reused the stored input');

    // Clear Audit Log asks first, and the clearing is itself the first record of the new log
    await runCommand(page, 'MCP Warden: Clear Audit Log');
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'Clear the MCP Warden audit log?' });
    await dialog.waitFor({ timeout: 15_000 });
    await shot('clear-audit-log');
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'Clear Audit Log' }).click();
    await auditRow(/^Audit log$/).click({ timeout: 30_000 });
    await newestSession(audit).click({ timeout: 15_000 });
    await auditRow(/^audit log cleared$/).waitFor({ timeout: 15_000 });
    options.log('UI: Clear Audit Log asked first, and recorded the clearing');
    return 0;
  } catch (error) {
    options.log(`UI test failed: ${error instanceof Error ? error.message : String(error)}`);
    await shot('ui-failure').catch(() => undefined);
    await runCommand(page, 'Notifications: Show Notifications').then(() => shot('ui-failure-notifications')).catch(() => undefined);
    return 1;
  } finally {
    await browser.close();
  }
}

/**
 * The newest session of the one expanded server in the Audit Log: the first row one level down (the list is
 * virtual, so rows are found by their tree position, not their order in the page).
 */
function newestSession(pane: Locator): Locator {
  return pane.locator('.monaco-list-row[aria-level="2"][aria-posinset="1"]');
}

async function expectAttribute(locator: Locator, name: string, value: string): Promise<void> {
  const actual = await locator.getAttribute(name);
  if (actual !== value) throw new Error(`expected ${name}="${value}", found "${actual}"`);
}
