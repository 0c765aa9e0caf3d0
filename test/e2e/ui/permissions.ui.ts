// Permissions in the real workbench, as a user meets them: a server that was never approved asks before it
// starts; its tool asks before it runs; "Allow for Workspace" lets the call through and writes a sealed grant into
// .vscode/settings.json without touching the user's comment; the Permissions view lists the grant; revoking it
// there makes the next call ask again; a tool whose definition changes after it was allowed asks again, with the
// diff of its definitions. Screenshots of each step go to docs/images. Every wait is for a state of the page or
// the file, never a fixed time.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'jsonc-parser';
import type { Locator, Page } from 'playwright-core';
import { answerToast, exactRow, pane, runCommand, settled, toast, widenSideBar, type UiStepOptions, writeServersWorkspace } from './workbench';

const COMMENT = '// Permissions e2e: this comment must survive the grant being written.';

/**
 * The workspace: a fixture server, never approved on this machine, and a comment to keep; and, started later by
 * hand, the permissions fixture (its tool `mutate` changes the definition of its tool `target`).
 */
export function writePermissionsWorkspace(dir: string, { node, fixture, env }: { node: string; fixture: string; env: Record<string, string> }): void {
  const servers = {
    files: { command: node, args: [fixture], env },
    site: { command: node, args: [join(dirname(fixture), 'permissions-server.mjs'), '--declare-under', 'none'], env, autostart: false },
  };
  writeServersWorkspace(dir, servers, 'permissions', `${COMMENT}\n`);
}

interface WrittenGrant {
  readonly server: string;
  readonly kind: string;
  readonly target: string;
  readonly decision: string;
  readonly scope: string;
  readonly seal?: string;
  readonly pin?: string;
}

/** Returns the number of failed steps (0 or 1). */
export async function runPermissionsTests(options: UiStepOptions): Promise<number> {
  const browser = await options.launchBrowser();
  const page = browser.pages()[0] ?? (await browser.newPage());
  const settingsFile = join(options.workspace, '.vscode', 'settings.json');
  const image = (name: string) => page.screenshot({ path: join(options.images, `${name}.png`) });
  try {
    await page.goto(`${options.serverUrl}/?folder=${encodeURIComponent(options.workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar [aria-label^="MCP Warden"]').first().click({ timeout: 60_000 });
    await widenSideBar(page, 480);
    const servers = pane(page, 'Servers');
    const serverRow = servers.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^files$/ }) });

    // Launch consent: the server waits in "needs approval" and a notification says what would run.
    await serverRow.locator('.label-description', { hasText: /^needs approval/ }).waitFor({ timeout: 60_000 });
    const launch = toast(page, "Start server 'files'?");
    await launch.waitFor({ timeout: 30_000 });
    await launch.locator('.monaco-button', { hasText: /^Show Definition$/ }).waitFor({ timeout: 5_000 });
    await settled(launch.locator('.monaco-button', { hasText: /^Approve$/ }));
    await image('permission-launch');
    await launch.locator('.monaco-button', { hasText: /^Approve$/ }).click();
    await serverRow.locator('.label-description', { hasText: / · stdio · sandboxed$/ }).waitFor({ timeout: 60_000 });
    options.log('UI: the server waited for approval; Approve in the notification started it');

    // A tool call asks; Allow for Workspace lets it through.
    await runCommand(page, 'Notifications: Clear All Notifications');
    await callTool(page, 'files', 'echo', 'hello with permission');
    const ask = toast(page, "Server 'files' asks to call its tool 'echo'");
    await ask.waitFor({ timeout: 30_000 });
    for (const answer of ['Allow Once', 'Allow for Session', 'Allow for Workspace', 'Deny']) await ask.locator('.monaco-button', { hasText: new RegExp(`^${answer}$`) }).waitFor({ timeout: 5_000 });
    await settled(ask.locator('.monaco-button', { hasText: /^Allow for Workspace$/ }));
    await image('permission-ask');
    await ask.locator('.monaco-button', { hasText: /^Allow for Workspace$/ }).click();
    await page.locator('.editor-instance .view-lines', { hasText: 'hello with permission' }).waitFor({ timeout: 30_000 });
    await page.locator('.tab', { hasText: 'files-echo-result.json' }).waitFor({ timeout: 15_000 });
    await runCommand(page, 'View: Close All Editors');
    options.log('UI: the call asked for permission and, allowed for the workspace, returned its result');

    // The grant is in .vscode/settings.json, sealed, and the user's comment is still there.
    const echoGrant = (g: WrittenGrant) => g.server === 'files' && g.kind === 'tool' && g.target === 'echo';
    const written = await waitForFile(settingsFile, (text) => grantsIn(text).some(echoGrant), 'a grant for tool echo in settings.json');
    const grant = grantsIn(written).find(echoGrant)!;
    if (grant.decision !== 'allow' || grant.scope !== 'workspace') throw new Error(`unexpected grant: ${JSON.stringify(grant)}`);
    if (!/^hmac-sha256:[0-9a-f]{16}:[A-Za-z0-9_-]+$/.test(grant.seal ?? '')) throw new Error(`the grant is not sealed: ${JSON.stringify(grant)}`);
    if (!/^[0-9a-f]{64}$/.test(grant.pin ?? '')) throw new Error(`the grant is not pinned to the tool's definition: ${JSON.stringify(grant)}`);
    if (!written.startsWith(COMMENT)) throw new Error(`the comment of settings.json was lost:\n${written}`);
    if (!grantsIn(written).some((g) => g.kind === 'launch' && g.server === 'files' && g.seal)) throw new Error(`the launch approval is not a sealed grant:\n${written}`);
    options.log('UI: settings.json holds the sealed, pinned grant and its comment is intact');

    // The file as the user sees it, lines wrapped so the seals show: the comment, the servers, the sealed grants.
    await runCommand(page, 'Go to File...');
    await page.locator('.quick-input-widget input').fill('.vscode/settings.json');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'settings.json' }).first().click({ timeout: 15_000 });
    const editor = page.locator('.editor-instance .view-lines');
    await editor.filter({ hasText: 'this comment must survive' }).waitFor({ timeout: 15_000 });
    await editor.filter({ hasText: '"mcpWarden.grants"' }).waitFor({ timeout: 15_000 });
    await runCommand(page, 'View: Toggle Word Wrap');
    await image('settings-with-grant');
    await runCommand(page, 'View: Close All Editors');

    // The Permissions view lists it; Revoke there takes it away, from the view and the file.
    const permissions = pane(page, 'Permissions');
    await expandPane(permissions);
    const grantRow = permissions.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^tool: echo$/ }) });
    await grantRow.locator('.label-description', { hasText: 'allowed · workspace · enforced' }).waitFor({ timeout: 30_000 });
    await image('permissions-view');
    await grantRow.hover();
    await grantRow.locator('.action-label[aria-label^="Revoke"]').click({ timeout: 15_000 });
    await grantRow.waitFor({ state: 'detached', timeout: 30_000 });
    await waitForFile(settingsFile, (text) => !grantsIn(text).some(echoGrant), 'the echo grant gone from settings.json');
    options.log('UI: the Permissions view listed the grant, and Revoke removed it from the view and settings.json');

    // The next call asks again; Deny refuses it with a message that says so.
    await runCommand(page, 'Notifications: Clear All Notifications');
    await callTool(page, 'files', 'echo', 'hello again');
    const again = toast(page, "Server 'files' asks to call its tool 'echo'");
    await again.waitFor({ timeout: 30_000 });
    await again.locator('.monaco-button', { hasText: /^Deny$/ }).click();
    await toast(page, /denied/).waitFor({ timeout: 30_000 });
    options.log('UI: after the revocation the next call asked again, and Deny refused it');

    // A tool allowed for the workspace changes its definition: its grant is suspended and Show Changes opens the diff.
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'MCP Warden: Start Server', 'site');
    await answerToast(page, "Start server 'site'?", 'Approve', 30_000);
    const siteRow = servers.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^site$/ }) });
    await siteRow.locator('.label-description', { hasText: / · stdio · sandboxed$/ }).waitFor({ timeout: 60_000 });
    await callTool(page, 'site', 'target');
    await answerToast(page, "Server 'site' asks to call its tool 'target'", 'Allow for Workspace', 30_000);
    await page.locator('.editor-instance .view-lines', { hasText: 'target ran' }).waitFor({ timeout: 30_000 });
    await runCommand(page, 'View: Close All Editors');
    await callTool(page, 'site', 'mutate', 'Deletes the build folder (version 2)');
    await answerToast(page, "Server 'site' asks to call its tool 'mutate'", 'Allow Once', 30_000);
    await page.locator('.editor-instance .view-lines', { hasText: 'target is now' }).waitFor({ timeout: 30_000 });
    await runCommand(page, 'View: Close All Editors');
    await answerToast(page, "Tool 'target' of server 'site' changed since you allowed it", 'Show Changes', 30_000);
    const diff = page.locator('.monaco-diff-editor');
    await diff.locator('.view-lines', { hasText: 'Does nothing (version 1)' }).first().waitFor({ timeout: 15_000 });
    await diff.locator('.view-lines', { hasText: 'Deletes the build folder (version 2)' }).first().waitFor({ timeout: 15_000 });
    const targetGrant = permissions.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^tool: target$/ }) });
    await targetGrant.locator('.label-description', { hasText: /^suspended$/ }).waitFor({ timeout: 15_000 });
    // Show Changes leaves the question open (asked again beside the diff); allowing the new definition pins the grant to it.
    await settled(toast(page, "Tool 'target' of server 'site' changed since you allowed it").locator('.monaco-button', { hasText: /^Allow New Definition$/ }));
    await image('tool-changed-diff');
    const oldPin = grantsIn(readFileSync(settingsFile, 'utf8')).find((g) => g.server === 'site' && g.target === 'target')?.pin;
    await answerToast(page, "Tool 'target' of server 'site' changed since you allowed it", 'Allow New Definition', 15_000);
    await waitForFile(settingsFile, (text) => grantsIn(text).some((g) => g.server === 'site' && g.target === 'target' && g.seal && g.pin !== oldPin), 'the target grant pinned to the new definition');
    await targetGrant.locator('.label-description', { hasText: 'allowed · workspace · enforced' }).waitFor({ timeout: 15_000 });
    options.log('UI: a changed tool suspended its grant; Show Changes opened the diff, and Allow New Definition re-pinned the grant');
    return 0;
  } catch (error) {
    options.log(`permissions UI test failed: ${error instanceof Error ? error.message : String(error)}`);
    await page.screenshot({ path: join(options.results, 'permissions-failure.png') }).catch(() => undefined);
    return 1;
  } finally {
    await browser.close();
  }
}

/** MCP Warden: Call Tool… → server → tool → the value of its one argument, if it has one. */
async function callTool(page: Page, server: string, tool: string, value?: string): Promise<void> {
  const input = page.locator('.quick-input-widget');
  await runCommand(page, 'MCP Warden: Call Tool…', server);
  await input.locator('input').fill(tool);
  await exactRow(page, tool).click({ timeout: 15_000 });
  if (value === undefined) return;
  await input.locator('.quick-input-title', { hasText: `${server}/${tool} (1/1): ` }).waitFor({ timeout: 15_000 });
  await input.locator('input').fill(value);
  await page.keyboard.press('Enter');
}

/** Views of a container may start collapsed: open this one. */
async function expandPane(view: Locator): Promise<void> {
  const header = view.locator('.pane-header').first();
  await header.waitFor({ timeout: 15_000 });
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
}

function grantsIn(text: string): WrittenGrant[] {
  const settings = parse(text, [], { allowTrailingComma: true }) as Record<string, unknown> | undefined;
  const grants = settings?.['mcpWarden.grants'];
  return Array.isArray(grants) ? (grants as WrittenGrant[]) : [];
}

/** Polls a file until its text satisfies `done` (the extension writes it a moment after the click). */
async function waitForFile(path: string, done: (text: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = readFileSync(path, 'utf8');
    if (done(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
