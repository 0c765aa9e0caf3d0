// The gateway as the editor's own MCP client meets it, in the real workbench: MCP Warden's definition provider
// offers "MCP Warden" to VS Code; VS Code's MCP client (driven by a test-only extension, since code-server has no
// chat offline) starts it and lists the tools of the server MCP Warden runs; invoking one passes VS Code's own
// "Run" confirmation if it asks, then MCP Warden's permission question for agent 'vscode', answered Allow Once;
// the result comes back; the call is in the audit log with its decision and agent "vscode"; the definitions VS Code
// cached in its storage carry no token; after "Developer: Reload Window" the new gateway listens on the URL it had
// and VS Code's client lists the same tools and invokes one again; and the setting for one definition per server
// reaches VS Code. Screenshots
// go to docs/images. Every wait is for a state of the page or a file.
import { waitForRecord } from './audit.ui';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { auditFolder } from './audit.ui';
import { answerToast, exactRow, pane, runCommand, settled, toast, type UiStepOptions, widenSideBar, writeServersWorkspace } from './workbench';

/** What the test client invokes (WARDEN_TEST_TOOL and WARDEN_TEST_INPUT in its environment), and what it returns. */
export const GATEWAY_TOOL = { pattern: 'everything__echo$', input: { message: 'hello from VS Code through the gateway' } } as const;
const EXPECTED_RESULT = `Echo: ${GATEWAY_TOOL.input.message}`;

/**
 * The workspace: server-everything over stdio, `everything`, which the gateway offers to VS Code; and the editor's AI
 * features on (the e2e profile turns them off), since VS Code's MCP client and its commands are part of them.
 * `everything` is the real path of its script: the OS sandbox does not follow a symlinked node_modules.
 */
export function writeGatewayWorkspace(dir: string, { node, everything, env }: { node: string; everything: string; env: Record<string, string> }): void {
  writeServersWorkspace(dir, { everything: { command: node, args: [everything, 'stdio'], env } }, 'gateway');
  const settings = join(dir, '.vscode', 'settings.json');
  writeFileSync(settings, `${JSON.stringify({ ...JSON.parse(readFileSync(settings, 'utf8')), 'chat.disableAIFeatures': false }, null, 2)}\n`);
}

export interface GatewayUiOptions extends UiStepOptions {
  /** Where the test client appends what it saw (WARDEN_TEST_OUT). */
  readonly clientReport: string;
}

interface ClientReport {
  readonly event: 'tools' | 'result' | 'error';
  readonly tools?: readonly { readonly name: string; readonly tags: readonly string[] }[];
  readonly tool?: string;
  readonly text?: string;
  readonly message?: string;
}

/** Returns the number of failed steps (0 or 1). */
export async function runGatewayTests(options: GatewayUiOptions): Promise<number> {
  const browser = await options.launchBrowser();
  const page = browser.pages()[0] ?? (await browser.newPage());
  const image = (name: string) => page.screenshot({ path: join(options.images, `${name}.png`) });
  try {
    await page.goto(`${options.serverUrl}/?folder=${encodeURIComponent(options.workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar [aria-label^="MCP Warden"]').first().click({ timeout: 60_000 });
    await widenSideBar(page, 520);

    // MCP Warden runs the server, once its launch is approved.
    const launch = toast(page, "Start server 'everything'?");
    await launch.locator('.monaco-button', { hasText: /^Approve$/ }).click({ timeout: 60_000 });
    const servers = pane(page, 'Servers');
    await servers.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^everything$/ }) }).locator('.label-description', { hasText: / · stdio/ }).waitFor({ timeout: 60_000 });
    // server-everything asks for the roots as soon as it runs: allowed, so its question does not stay open.
    await answerToast(page, "Server 'everything' asks to see your workspace folders (roots)", 'Allow Once', 30_000);
    options.log('UI: MCP Warden runs server everything');

    // VS Code lists the definition MCP Warden provides.
    await listedByVsCode(page, 'MCP Warden');
    options.log('UI: "MCP: List Servers" lists the definition "MCP Warden"');

    // VS Code's client lists the tools through the gateway and invokes one: MCP Warden asks (VS Code first, if the
    // tool does not say it only reads).
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'Warden Test: Invoke MCP Tool');
    const tools = await clientReport(options.clientReport, 'tools');
    const offered = (tools.tools ?? []).map((t) => t.name);
    if (!offered.some((name) => new RegExp(GATEWAY_TOOL.pattern).test(name))) throw new Error(`VS Code lists no tool of server everything through the gateway: ${offered.join(', ')}`);
    options.log(`UI: VS Code's MCP client lists ${offered.length} tools through the gateway, e.g. ${offered.slice(0, 3).join(', ')}`);
    const ask = toast(page, /Server 'everything' asks to call its tool 'echo' \(for agent 'vscode', through the MCP Warden gateway\)/);
    const confirmed = await confirmRunUnless(page, ask);
    if (confirmed !== undefined) options.log(`UI: VS Code asked first: "${confirmed}"`);
    await ask.waitFor({ timeout: 30_000 });
    await settled(ask.locator('.monaco-button', { hasText: /^Allow Once$/ }));
    await image('gateway-ask');
    await ask.locator('.monaco-button', { hasText: /^Allow Once$/ }).click();
    const result = await clientReport(options.clientReport, 'result');
    if (result.text !== EXPECTED_RESULT) throw new Error(`unexpected result: ${JSON.stringify(result)}`);
    await toast(page, 'Warden Test: ').waitFor({ timeout: 15_000 });
    options.log(`UI: MCP Warden asked for agent 'vscode'; allowed once, ${result.tool} returned "${result.text}"`);

    // The audit log: the decision and the call, both naming agent "vscode".
    const folder = auditFolder(options.workspace);
    const decided = await waitForRecord(folder, (r) => r['type'] === 'permission' && r['action'] === 'decided' && r['permission'] === 'tool:echo');
    if (decided['agent'] !== 'vscode' || decided['verdict'] !== 'allow' || decided['asked'] !== true) throw new Error(`unexpected decision record: ${JSON.stringify(decided)}`);
    const call = await waitForRecord(folder, (r) => r['type'] === 'request' && r['method'] === 'tools/call' && r['target'] === 'echo');
    if (call['agent'] !== 'vscode' || call['outcome'] !== 'ok') throw new Error(`unexpected call record: ${JSON.stringify(call)}`);
    options.log('UI: the audit log holds the decision (allowed, asked) and the call, each with agent "vscode"');
    await runCommand(page, 'Notifications: Clear All Notifications');
    const audit = pane(page, 'Audit Log');
    const auditRow = (label: string | RegExp) => audit.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: label }) }).first();
    await auditRow(/^everything$/).click({ timeout: 30_000 }); // a click expands
    await audit.locator('.monaco-list-row[aria-level="2"][aria-posinset="1"]').click({ timeout: 30_000 }); // the newest session
    await auditRow('allowed tool:echo').waitFor({ timeout: 30_000 });
    await auditRow('→ tools/call echo').click({ timeout: 30_000 });
    await page.locator('.editor-instance .view-lines', { hasText: '"agent": "vscode"' }).waitFor({ timeout: 15_000 });
    await image('gateway-audit-record');
    await runCommand(page, 'View: Close All Editors');
    options.log('UI: the Audit Log view shows the call; its record names agent "vscode"');

    // VS Code caches the definition it was given, never the token it was given when it started it.
    const cached = await cachedDefinitionsCarryNoToken(page, 'MCP Warden');
    options.log(`UI: VS Code cached the gateway's definition without the token: ${cached}`);

    // After an extension-host reload: the gateway listens on the port it had, and VS Code's client, which keeps no
    // token, lists the same tools through it and invokes one again.
    await reloadedGatewayServesTheSame(page, options, offered);

    // One definition per server instead, as the user's setting asks: VS Code is told, and lists "Warden: everything".
    await chooseInSettingsEditor(page, 'mcpWarden.gateway.editorDefinitions', 'Editor Definitions', 'perServer');
    const listed = await listedByVsCode(page, 'Warden: everything');
    if (listed.includes('MCP Warden')) throw new Error(`VS Code still lists the aggregate definition: ${listed.join(', ')}`);
    options.log(`UI: with mcpWarden.gateway.editorDefinitions "perServer", VS Code lists ${listed.join(', ')}`);
    return 0;
  } catch (error) {
    options.log(`gateway UI test failed: ${error instanceof Error ? error.message : String(error)}`);
    await page.screenshot({ path: join(options.results, 'gateway-failure.png') }).catch(() => undefined);
    return 1;
  } finally {
    await browser.close();
  }
}

/**
 * Reloads the window (a new extension host, a new MCP Warden, a new gateway) and checks that the gateway listens on
 * the URL it had before (so an agent configured with it reconnects; its token stays in SecretStorage), that VS Code's
 * client lists the same tools through it as `before`, and that invoking the tool works and is audited again.
 */
async function reloadedGatewayServesTheSame(page: Page, options: GatewayUiOptions, before: readonly string[]): Promise<void> {
  const logged = gatewayListening(options.workspace);
  const url = logged[0]?.url;
  if (url === undefined || logged.some((l) => l.url !== url)) throw new Error(`the MCP Warden log should name one gateway URL: ${JSON.stringify(logged)}`);
  await runCommand(page, 'Notifications: Clear All Notifications');
  const reloaded = page.waitForEvent('load', { timeout: 60_000 });
  await runCommand(page, 'Developer: Reload Window');
  await reloaded;
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });

  // MCP Warden starts `everything` again (its launch, approved before, is not asked again unless it was approved once);
  // the server asks for the roots again (allowed once before).
  const roots = toast(page, "Server 'everything' asks to see your workspace folders (roots)");
  const launch = toast(page, "Start server 'everything'?");
  if ((await Promise.race([roots.waitFor({ timeout: 60_000 }).then(() => 'roots'), launch.waitFor({ timeout: 60_000 }).then(() => 'launch')])) === 'launch') {
    await launch.locator('.monaco-button', { hasText: /^Approve$/ }).click({ timeout: 15_000 });
  }
  await answerToast(page, "Server 'everything' asks to see your workspace folders (roots)", 'Allow Once', 30_000);

  const seen = new Set(logged.map((l) => l.at));
  const after = await waitFor(() => gatewayListening(options.workspace).filter((l) => !seen.has(l.at)), (found) => found.length > 0, 'the new gateway to start', 60_000);
  if (after.some((l) => l.url !== url)) throw new Error(`after the reload the gateway listens on ${after.map((l) => l.url).join(', ')}, not on ${url} as before`);
  options.log(`UI: after "Developer: Reload Window" the new gateway listens on ${url}, as before`);

  await runCommand(page, 'Notifications: Clear All Notifications');
  const from = reportLines(options.clientReport).length;
  await runCommand(page, 'Warden Test: Invoke MCP Tool');
  const tools = await clientReport(options.clientReport, 'tools', 90_000, from);
  const offered = (tools.tools ?? []).map((t) => t.name);
  if (JSON.stringify([...offered].sort()) !== JSON.stringify([...before].sort())) {
    throw new Error(`VS Code lists other tools after the reload: ${offered.join(', ')} (before: ${before.join(', ')})`);
  }
  const ask = toast(page, /Server 'everything' asks to call its tool 'echo' \(for agent 'vscode', through the MCP Warden gateway\)/);
  await confirmRunUnless(page, ask);
  await answerToast(page, /Server 'everything' asks to call its tool 'echo' \(for agent 'vscode'/, 'Allow Once', 30_000);
  const result = await clientReport(options.clientReport, 'result', 90_000, from);
  if (result.text !== EXPECTED_RESULT) throw new Error(`unexpected result after the reload: ${JSON.stringify(result)}`);
  const folder = auditFolder(options.workspace);
  const calls = await waitFor(
    () => records(folder, (r) => r['type'] === 'request' && r['method'] === 'tools/call' && r['target'] === 'echo' && r['agent'] === 'vscode' && r['outcome'] === 'ok'),
    (found) => found.length >= 2,
    'the second call in the audit log',
  );
  options.log(`UI: after the reload VS Code lists the same ${offered.length} tools and ${result.tool} returns "${result.text}"; ${calls.length} calls of agent "vscode" audited`);
}

/** Every "gateway: listening on <url>" line of MCP Warden's log, in every extension host's log folder of the run. */
function gatewayListening(workspace: string): { at: string; url: string }[] {
  // The run's user data folder is next to its workspace (see auditFolder).
  const logs = join(dirname(workspace), 'ud', 'logs');
  const found: { at: string; url: string }[] = [];
  for (const session of existsSync(logs) ? readdirSync(logs) : []) {
    for (const host of readdirSync(join(logs, session)).filter((d) => d.startsWith('exthost'))) {
      const file = join(logs, session, host, 'mcp-warden.mcp-warden', 'MCP Warden.log');
      if (!existsSync(file)) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const url = /gateway: listening on (http:\/\/\S+)/.exec(line)?.[1];
          if (url) found.push({ at: `${file}:${i}`, url });
        });
    }
  }
  return found;
}

/** Polls `read` until `done` holds for what it returns. */
async function waitFor<T>(read: () => T, done: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * "MCP: List Servers" (VS Code's own) has a row labelled `label`; returns the labels of its rows. The list shows what
 * VS Code knew when it opened, so it is opened again until the row is there.
 */
export async function listedByVsCode(page: Page, label: string, timeoutMs = 60_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await runCommand(page, 'MCP: List Servers');
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.first().waitFor({ timeout: 15_000 });
    const found = await exactRow(page, label)
      .waitFor({ timeout: 2_000 })
      .then(() => true, () => false);
    const labels = (await rows.locator('.label-name').allInnerTexts()).map((text) => text.trim());
    await page.keyboard.press('Escape');
    if (found) return labels;
    if (Date.now() > deadline) throw new Error(`"MCP: List Servers" did not list "${label}" within ${timeoutMs} ms: ${labels.join(', ')}`);
  }
}

/** In the Settings editor (User), the enumeration setting `key` set to `value`, as a user picks it from its list. */
async function chooseInSettingsEditor(page: Page, key: string, title: string, value: string): Promise<void> {
  await runCommand(page, 'Preferences: Open User Settings');
  await page.locator('.settings-header .suggest-input-container .view-lines').click({ timeout: 15_000 });
  await page.keyboard.type(key);
  const item = page.locator('.setting-item', { has: page.locator('.setting-item-label', { hasText: title }) });
  await item.locator('select').selectOption(value, { timeout: 15_000 });
  // Written (a moment after the choice): the setting shows as configured.
  await page.locator(`.is-configured[data-key="${key}"]`).waitFor({ timeout: 15_000 });
  // The Settings editor opens as a modal here: Escape clears the search, then closes it.
  for (let i = 0; i < 3 && (await item.count()) > 0; i++) {
    await page.keyboard.press('Escape');
    await item.waitFor({ state: 'detached', timeout: 2_000 }).catch(() => undefined);
  }
  await item.waitFor({ state: 'detached', timeout: 5_000 });
}

/**
 * VS Code's confirmation before it runs an MCP tool that does not say it only reads: outside chat, a dialog "Run
 * <tool>" with Cancel and Yes. Clicks Yes and returns its text; or returns undefined when `instead` shows first
 * (VS Code did not ask).
 */
export async function confirmRunUnless(page: Page, instead: Locator): Promise<string | undefined> {
  const dialog = page.locator('.monaco-dialog-box', { hasText: /Run/ });
  const first = await Promise.race([dialog.waitFor({ timeout: 60_000 }).then(() => 'dialog' as const), instead.waitFor({ timeout: 60_000 }).then(() => 'instead' as const)]);
  if (first === 'instead') return undefined;
  const text = (await dialog.innerText()).replace(/\s+/g, ' ').trim();
  await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Yes$/ }).click({ timeout: 15_000 });
  await dialog.waitFor({ state: 'detached', timeout: 15_000 });
  return text;
}

function reportLines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : [];
}

/** The first line of the test client's report with `event` from line `from` on (or its error, which fails the test). */
export async function clientReport(file: string, event: ClientReport['event'], timeoutMs = 90_000, from = 0): Promise<ClientReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reports = reportLines(file)
      .slice(from)
      .map((l) => JSON.parse(l) as ClientReport);
    const found = reports.find((r) => r.event === event);
    if (found) return found;
    const failed = reports.find((r) => r.event === 'error');
    if (failed) throw new Error(`the test client failed: ${failed.tool ?? ''} ${failed.message ?? ''}`);
    if (Date.now() > deadline) throw new Error(`the test client reported no '${event}' within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * What VS Code keeps of the definitions extensions provided (launch and headers) in the window's storage, key
 * `mcp.extCachedServers` (in code-server, IndexedDB in the browser; VS Code writes it every few seconds while idle).
 * Waits until it holds the gateway's definition, then checks that no value in storage holds a bearer token.
 * Returns the cached entry.
 */
export async function cachedDefinitionsCarryNoToken(page: Page, label: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { cached, bearer } = await page.evaluate(readWorkbenchStorage);
    const entry = cached.find((value) => value.includes(JSON.stringify(label)) && value.includes('127.0.0.1'));
    if (entry) {
      if (bearer.length > 0) throw new Error(`VS Code's storage holds a bearer token under ${bearer.join(', ')}`);
      return entry;
    }
    if (Date.now() > deadline) throw new Error(`VS Code cached no definition "${label}" within ${timeoutMs} ms: ${cached.join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

// The little of IndexedDB readWorkbenchStorage uses (it runs in the page; the tests compile without the DOM library).
interface IdbRequest<T> {
  readonly result: T;
  readonly error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface IdbDatabase {
  readonly objectStoreNames: { contains(name: string): boolean };
  transaction(store: string, mode: 'readonly'): { objectStore(name: string): { getAllKeys(): IdbRequest<unknown[]>; getAll(): IdbRequest<unknown[]> } };
  close(): void;
}
declare const indexedDB: { databases(): Promise<{ readonly name?: string }[]>; open(name: string): IdbRequest<IdbDatabase> };

/** In the page: every `mcp.extCachedServers` value, and the keys of values that hold "Bearer ", of every storage database. */
async function readWorkbenchStorage(): Promise<{ cached: string[]; bearer: string[] }> {
  const cached: string[] = [];
  const bearer: string[] = [];
  const request = <T>(r: IdbRequest<T>) => new Promise<T>((resolve, reject) => ((r.onsuccess = () => resolve(r.result)), (r.onerror = () => reject(r.error))));
  for (const { name } of await indexedDB.databases()) {
    if (!name?.startsWith('vscode-web-state-db-')) continue;
    const db = await request(indexedDB.open(name));
    try {
      if (!db.objectStoreNames.contains('ItemTable')) continue;
      const store = db.transaction('ItemTable', 'readonly').objectStore('ItemTable');
      const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
      keys.forEach((key, i) => {
        const value = String(values[i]);
        if (key === 'mcp.extCachedServers') cached.push(value);
        if (/Bearer\s/i.test(value)) bearer.push(`${name}/${String(key)}`);
      });
    } finally {
      db.close();
    }
  }
  return { cached, bearer };
}

/** The records of the log's segments that match, as written so far. */
function records(dir: string, match: (record: Record<string, unknown>) => boolean): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!line) continue;
      try {
        const record = JSON.parse(line) as Record<string, unknown>;
        if (match(record)) found.push(record);
      } catch {
        // a line being written
      }
    }
  }
  return found;
}

