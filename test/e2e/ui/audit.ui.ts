// The audit log's key, as a user and an attacker meet it in the real editor:
//  1. runAuditKeyTests: Export Audit Verification Key… warns in a modal, writes the key file, and the shipped
//     command-line verifier checks every MAC with it;
//  2. tamperAuditLog (between two editor runs on the same profile): rewrites the whole log with a recomputed chain,
//     as a same-user script without SecretStorage access would;
//  3. runAuditTamperTests: the next time the editor opens the workspace, MCP Warden says the log was changed, and
//     Verify Audit Log names the first record whose MAC does not hold.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { allowAllWaiting, runCommand, waitForNotification } from './workbench';

interface AuditUiOptions {
  readonly serverUrl: string;
  readonly workspace: string;
  readonly results: string;
  readonly node: string;
  readonly launchBrowser: () => Promise<BrowserContext>;
  readonly log: (message: string) => void;
}

const CLI = join(__dirname, '../../../../dist/audit-cli.js');

/** The audit folder of the (one) workspace of a run: <run>/ud/User/workspaceStorage/<id>/mcp-warden.mcp-warden/audit. */
export function auditFolder(workspace: string): string {
  const storage = join(dirname(workspace), 'ud', 'User', 'workspaceStorage');
  const dirs = (existsSync(storage) ? readdirSync(storage) : []).map((id) => join(storage, id, 'mcp-warden.mcp-warden', 'audit')).filter((dir) => existsSync(join(dir, 'head.json')));
  if (dirs.length !== 1) throw new Error(`expected one audit folder under ${storage}, found ${dirs.length}: ${dirs.join(', ')}`);
  return dirs[0]!;
}

export function keyFileOf(workspace: string): string {
  return join(dirname(workspace), 'audit-verification-key.json');
}

export async function runAuditKeyTests(options: AuditUiOptions): Promise<number> {
  const browser = await options.launchBrowser();
  const page = browser.pages()[0] ?? (await browser.newPage());
  const shot = (name: string) => page.screenshot({ path: join(options.results, `${name}.png`) });
  try {
    await openWorkspace(page, options);
    // The servers' launches, approved for the workspace: the next editor on this profile starts them without asking.
    await allowAllWaiting(page);
    // Every server that can run is running (its sandbox started) before the editor closes: server "helper"'s
    // detached grandchild must have run for the leftover check to prove anything.
    await page.locator('.statusbar-item', { hasText: /MCP 4\/5/ }).waitFor({ timeout: 60_000 });
    const keyFile = keyFileOf(options.workspace);
    await runCommand(page, 'MCP Warden: Export Audit Verification Key…');
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'Export the audit verification key?' });
    await dialog.waitFor({ timeout: 15_000 });
    await dialog.locator('.dialog-message-detail', { hasText: 'anyone who has it can also write records that verify' }).waitFor({ timeout: 5000 });
    await shot('export-audit-key');
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'Export Key…' }).click();
    // code-server's save dialog is a quick input holding a path: MCP Warden suggests ~/mcp-warden-audit-key-<id>.json
    // (the run's home here). Once the dialog shows that path, OK takes it.
    const saveDialog = page.locator('.quick-input-widget', { has: page.locator('.quick-input-title', { hasText: 'Export Audit Verification Key' }) });
    const suggested = /\/home\/mcp-warden-audit-key-[0-9a-f]{16}\.json$/;
    await page.waitForFunction(([el, pattern]) => new RegExp(pattern).test((el as { value?: string } | null)?.value ?? ''), [await saveDialog.locator('input').elementHandle(), suggested.source] as const, { timeout: 30_000 });
    await saveDialog.locator('.monaco-button', { hasText: /^OK$/ }).click({ timeout: 15_000 });
    await page.locator('.notifications-toasts', { hasText: 'the audit verification key (id' }).waitFor({ timeout: 30_000 });
    const home = join(dirname(options.workspace), 'home');
    const written = readdirSync(home).find((f) => /^mcp-warden-audit-key-[0-9a-f]{16}\.json$/.test(f));
    if (!written) throw new Error(`no key file in ${home}`);
    copyFileSync(join(home, written), keyFile);
    const key = JSON.parse(readFileSync(keyFile, 'utf8')) as { keyId: string; key: string; warning: string };
    if (written !== `mcp-warden-audit-key-${key.keyId}.json`) throw new Error(`the key file ${written} holds key ${key.keyId}`);
    if (!/^[0-9a-f]{16}$/.test(key.keyId) || !key.key.startsWith('mcp-warden-audit-key-v1:')) throw new Error(`unexpected key file: ${JSON.stringify(key.keyId)}`);
    const verified = spawnSync(options.node, [CLI, 'verify', auditFolder(options.workspace), '--key-file', keyFile], { encoding: 'utf8' });
    if (verified.status !== 0 || !verified.stdout.includes(`every record's MAC checked with key ${key.keyId}`)) {
      throw new Error(`audit-cli verify with the exported key: ${verified.status}\n${verified.stdout}${verified.stderr}`);
    }
    options.log(`UI: Export Audit Verification Key warned first; the CLI checked every MAC with it: ${verified.stdout.split('\n')[0]}`);
    return 0;
  } catch (error) {
    options.log(`audit key UI test failed: ${error instanceof Error ? error.message : String(error)}`);
    await shot('audit-key-failure').catch(() => undefined);
    return 1;
  } finally {
    await browser.close();
  }
}

/**
 * What a same-user script that cannot read SecretStorage can do: rewrite every record (here: hide that a tool was
 * called) and recompute the chain and head.json with sha256. Returns the number of records rewritten.
 */
export function tamperAuditLog(workspace: string): number {
  const dir = auditFolder(workspace);
  let prev = '0'.repeat(64);
  let count = 0;
  let last = { seq: 0, mac: prev };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n').filter((l) => l !== '');
    const forged = lines.map((line) => {
      const { mac: _mac, ...record } = JSON.parse(line) as Record<string, unknown>;
      if (record['target'] === 'echo') record['target'] = 'nothing-to-see';
      record['prev'] = prev;
      const body = JSON.stringify(sortKeys(record));
      const mac = createHash('sha256').update(body).digest('hex');
      prev = mac;
      last = { seq: record['seq'] as number, mac };
      count++;
      return JSON.stringify(sortKeys({ ...record, mac }));
    });
    writeFileSync(join(dir, file), forged.map((l) => `${l}\n`).join(''));
  }
  const head = JSON.parse(readFileSync(join(dir, 'head.json'), 'utf8')) as { keyId: string };
  writeFileSync(join(dir, 'head.json'), JSON.stringify({ ...last, keyId: head.keyId, headMac: createHash('sha256').update(`${last.seq}:${last.mac}`).digest('hex') }));
  return count;
}

export async function runAuditTamperTests(options: AuditUiOptions): Promise<number> {
  const browser = await options.launchBrowser();
  const page = browser.pages()[0] ?? (await browser.newPage());
  const shot = (name: string) => page.screenshot({ path: join(options.results, `${name}.png`) });
  try {
    await openWorkspace(page, options);
    // Approved in the first editor, the servers start on their own; server "helper" must run (see above).
    await page.locator('.statusbar-item', { hasText: /MCP 4\/5/ }).waitFor({ timeout: 60_000 });
    const warning = page.locator('.notifications-toasts .notification-toast', { hasText: 'the audit log was changed outside MCP Warden' });
    await warning.waitFor({ timeout: 60_000 });
    await warning.locator('.monaco-button', { hasText: 'Verify' }).waitFor({ timeout: 5000 });
    await shot('audit-tamper-suspected');
    await warning.locator('.monaco-button', { hasText: 'Verify' }).click();
    await waitForNotification(page, /the audit log is broken at \d{4}-\d{2}-\d{2}-\d{4}\.jsonl:1: the record's MAC does not match/);
    await shot('audit-verify-broken');
    const suspected = await waitForRecord(auditFolder(options.workspace), (r) => r['action'] === 'tamper-suspected');
    if (!/does not carry this workspace's MAC/.test(String(suspected['detail']))) throw new Error(`unexpected tamper-suspected record: ${String(suspected['detail'])}`);
    const cli = spawnSync(options.node, [CLI, 'verify', auditFolder(options.workspace), '--key-file', keyFileOf(options.workspace)], { encoding: 'utf8' });
    if (cli.status !== 1 || !/^broken: .*MAC does not match/m.test(cli.stdout)) throw new Error(`audit-cli verify of the forged log: ${cli.status}\n${cli.stdout}${cli.stderr}`);
    options.log('UI: a log rewritten without the key was reported when the editor opened, and Verify named its first record');
    return 0;
  } catch (error) {
    options.log(`audit tamper UI test failed: ${error instanceof Error ? error.message : String(error)}`);
    await shot('audit-tamper-failure').catch(() => undefined);
    return 1;
  } finally {
    await browser.close();
  }
}

/** Polls the log's segments until a record matches (records are written in batches, a moment after the event). */
export async function waitForRecord(dir: string, match: (record: Record<string, unknown>) => boolean, timeoutMs = 15_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl'))) {
      for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
        if (!line) continue;
        try {
          const record = JSON.parse(line) as Record<string, unknown>;
          if (match(record)) return record;
        } catch {
          // a line being written
        }
      }
    }
    if (Date.now() > deadline) throw new Error(`no matching record in ${dir} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function openWorkspace(page: Page, options: AuditUiOptions): Promise<void> {
  await page.goto(`${options.serverUrl}/?folder=${encodeURIComponent(options.workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.activitybar [aria-label^="MCP Warden"]').first().waitFor({ timeout: 60_000 });
  // The status bar item comes with activation: by then the palette lists the extension's commands.
  await page.locator('.statusbar-item', { hasText: /MCP \d+\/\d+/ }).waitFor({ timeout: 60_000 });
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}
