// OAuth sign-in in the real workbench, as a user meets it: an http server protected by a real authorization server
// (oidc-provider, test/fixtures/oauth) waits in "needs sign-in" and a notification asks; Sign In opens the browser
// (code-server's openExternal opens a page of the test's browser); the login and consent forms are filled there;
// the redirect reaches MCP Warden's loopback callback (through env.asExternalUri); the server then runs with its
// tool `whoami`, which answers with the signed-in user; the Servers view shows the account (issuer, scopes,
// expiry); the audit log has the sign-in and no token; settings.json has nothing of it. Screenshots go to
// docs/images. Every wait is for a state of a page or a file, never a fixed time.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { auditFolder, waitForRecord } from './audit.ui';
import { answerToast, exactRow, pane, runCommand, settled, toast, type UiStepOptions, widenSideBar, writeServersWorkspace } from './workbench';

const SERVER = 'docs';
/** Any login and password sign in at the fixture's authorization server. */
const LOGIN = 'alice';

/** The workspace: one http server, the fixture's protected MCP server, and nothing about OAuth in it. */
export function writeOAuthWorkspace(dir: string, { url }: { url: string }): void {
  writeServersWorkspace(dir, { [SERVER]: { type: 'http', url } }, 'oauth');
}

export interface OAuthUiOptions extends UiStepOptions {
  /** The authorization server's issuer and the protected server's URL (test/fixtures/oauth/oauth-servers.mjs). */
  readonly issuer: string;
  readonly url: string;
}

/** Returns the number of failed steps (0 or 1). */
export async function runOAuthTests(options: OAuthUiOptions): Promise<number> {
  const browser = await options.launchBrowser();
  // The authorization server's dev pages import web fonts: answer every request off this machine at once.
  await browser.route((url) => !['127.0.0.1', 'localhost'].includes(url.hostname), (route) => route.fulfill({ status: 204, body: '' }));
  const page = browser.pages()[0] ?? (await browser.newPage());
  const image = (name: string) => page.screenshot({ path: join(options.images, `${name}.png`) });
  try {
    await page.goto(`${options.serverUrl}/?folder=${encodeURIComponent(options.workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar [aria-label^="MCP Warden"]').first().click({ timeout: 60_000 });
    await widenSideBar(page, 560);
    const servers = pane(page, 'Servers');
    const row = (label: string | RegExp) => servers.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: label }) }).first();
    const serverRow = row(new RegExp(`^${SERVER}$`));

    // Its launch is approved like any other; then the server answers 401 and MCP Warden asks to sign in.
    await answerToast(page, `Start server '${SERVER}'?`, 'Approve', 60_000);
    await serverRow.locator('.label-description', { hasText: `needs sign-in — ${options.issuer}` }).waitFor({ timeout: 60_000 });
    const ask = toast(page, `Server '${SERVER}' needs you to sign in to ${options.issuer}.`);
    await ask.waitFor({ timeout: 30_000 });
    await ask.locator('.monaco-button', { hasText: /^Cancel$/ }).waitFor({ timeout: 5_000 });
    await settled(ask.locator('.monaco-button', { hasText: /^Sign In$/ }));
    await image('oauth-sign-in');
    options.log(`UI: server '${SERVER}' waits in "needs sign-in" and the notification asks to sign in to ${options.issuer}`);

    // Sign In: the browser opens the authorization server's login page.
    const opened = browser.waitForEvent('page', { timeout: 30_000 });
    await ask.locator('.monaco-button', { hasText: /^Sign In$/ }).click();
    const login = await signInPage(await opened, options);
    await signInThere(login, options);
    options.log(`UI: the browser signed in at ${options.issuer} and was sent back to MCP Warden's callback`);

    // The server runs with its tools, signed in.
    await serverRow.locator('.label-description', { hasText: / · streamable-http$/ }).waitFor({ timeout: 60_000 });
    await serverRow.click();
    await page.keyboard.press('ArrowRight');
    const account = row(/^Account$/);
    const description = account.locator('.label-description');
    await description.filter({ hasText: options.issuer }).waitFor({ timeout: 30_000 });
    const accountText = await description.innerText();
    if (!/mcp:tools/.test(accountText) || !/expires in \d+ (min|h)/.test(accountText)) throw new Error(`the account row lacks scopes or expiry: "${accountText}"`);
    await row(/^Tools$/).click({ timeout: 30_000 });
    await page.keyboard.press('ArrowRight');
    await row(/^whoami$/).waitFor({ timeout: 30_000 });
    await page.mouse.move(0, 0);
    await image('oauth-signed-in');
    options.log(`UI: the server runs with tool whoami; its Account row says "${accountText}"`);

    // A tool call goes through with the token: whoami returns the user who signed in.
    await callWhoami(page);
    options.log(`UI: whoami answers with the user who signed in ("${LOGIN}")`);

    // Audited, and nothing of it in settings.
    const record = await waitForRecord(auditFolder(options.workspace), (r) => r['type'] === 'auth' && r['action'] === 'signed-in' && r['server'] === SERVER, 30_000);
    if (record['issuer'] !== options.issuer) throw new Error(`unexpected auth record: ${JSON.stringify(record)}`);
    const settings = readFileSync(join(options.workspace, '.vscode', 'settings.json'), 'utf8');
    if (/token|oauth|code_verifier/i.test(settings)) throw new Error(`settings.json holds something of the sign-in:\n${settings}`);
    assertNoTokenIn(auditFolder(options.workspace), record);
    options.log('UI: the audit log records the sign-in (no token); settings.json holds nothing of it');
    return 0;
  } catch (error) {
    options.log(`OAuth UI test failed: ${error instanceof Error ? error.message : String(error)}`);
    await page.screenshot({ path: join(options.results, 'oauth-failure.png') }).catch(() => undefined);
    for (const other of browser.pages().filter((p) => p !== page)) await other.screenshot({ path: join(options.results, 'oauth-failure-browser.png') }).catch(() => undefined);
    return 1;
  } finally {
    await browser.close();
  }
}

/**
 * The page Sign In opened. code-server sends a link to a loopback address through its port proxy (/proxy/<port>/),
 * as it must for a user whose browser runs on another machine; the fixture's authorization server runs on the
 * code-server machine's loopback, where this test's browser reaches it directly, and its pages use absolute paths
 * that a path proxy breaks. So a proxied link is followed to the same path on the authorization server itself.
 * (A real authorization server is not on loopback, and code-server leaves its link alone.)
 */
async function signInPage(opened: Page, options: OAuthUiOptions): Promise<Page> {
  await opened.waitForLoadState('domcontentloaded');
  const url = new URL(opened.url());
  const issuer = new URL(options.issuer);
  const proxied = /^\/proxy\/(\d+)(\/.*)$/.exec(url.pathname);
  options.log(`UI: Sign In opened ${url.origin}${url.pathname}${proxied ? ' (code-server port proxy)' : ''}`);
  if (proxied && proxied[1] === issuer.port) await opened.goto(`${issuer.origin}${proxied[2]}${url.search}`, { waitUntil: 'domcontentloaded' });
  else if (url.origin !== issuer.origin) throw new Error(`Sign In opened ${url.origin}${url.pathname}, not the authorization server ${issuer.origin}`);
  return opened;
}

/** oidc-provider's dev forms: login (any user, any password), then consent; then the redirect to the callback. */
async function signInThere(login: Page, options: OAuthUiOptions): Promise<void> {
  await login.locator('input[name=login]').fill(LOGIN, { timeout: 30_000 });
  await login.locator('input[name=password]').fill('any password');
  await login.screenshot({ path: join(options.images, 'oauth-browser-login.png') });
  await login.locator('button[type=submit]').click();
  // Consent (the client asks for scopes): one more form, unless the provider already has the grant.
  const consent = login.locator('button[type=submit]', { hasText: /continue/i });
  const callback = (url: URL) => url.pathname.endsWith('/callback');
  await Promise.race([consent.waitFor({ timeout: 30_000 }), login.waitForURL(callback, { timeout: 30_000 })]);
  if (!callback(new URL(login.url()))) await consent.click();
  await login.waitForURL(callback, { timeout: 30_000 });
  const params = new URL(login.url()).searchParams;
  if (!params.get('code') || params.get('error')) throw new Error(`the callback got no code: error=${params.get('error')} ${params.get('error_description') ?? ''}`);
  await login.locator('body').waitFor({ timeout: 15_000 });
  options.log(`UI: the callback page says: "${(await login.locator('body').innerText()).trim().split('\n')[0]}"`);
}

/** MCP Warden: Call Tool… → docs → whoami, allowed once; the result names the user. */
async function callWhoami(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await runCommand(page, 'MCP Warden: Call Tool…', SERVER);
  await page.locator('.quick-input-widget input').fill('whoami');
  await exactRow(page, 'whoami').click({ timeout: 15_000 });
  await answerToast(page, `Server '${SERVER}' asks to call its tool 'whoami'`, 'Allow Once', 30_000);
  await page.locator('.editor-instance .view-lines', { hasText: new RegExp(`"sub":\\s*"${LOGIN}"`) }).first().waitFor({ timeout: 30_000 });
  await runCommand(page, 'View: Close All Editors');
}

/** No audit file holds anything shaped like a JWT (the fixture's access tokens are JWTs). */
function assertNoTokenIn(folder: string, record: Record<string, unknown>): void {
  const jwt = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;
  for (const name of readdirSync(folder, { recursive: true }) as string[]) {
    let text: string;
    try {
      text = readFileSync(join(folder, name), 'utf8');
    } catch {
      continue; // a folder
    }
    if (jwt.test(text)) throw new Error(`audit file ${name} holds a token`);
  }
  if (jwt.test(JSON.stringify(record))) throw new Error('the auth record holds a token');
}
