// OAuth sign-in in the real workbench, as a user meets it: an http server protected by a real authorization server
// (oidc-provider, test/fixtures/oauth) waits in "needs sign-in" and a notification asks; Sign In opens the browser
// (code-server's openExternal opens a page of the test's browser); the login and consent forms are filled there;
// the redirect reaches MCP Warden's loopback callback (through env.asExternalUri); the server then runs with its
// tool `whoami`, which answers with the signed-in user; the Servers view shows the account (issuer, scopes,
// expiry); the audit log has the sign-in and no token; settings.json has nothing of it; Sign Out forgets the
// account and the server asks again; Sign In from the palette signs in again. Screenshots go to docs/images. Every wait is for a state of a page or a file, never a fixed time.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
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
  await reachAuthorizationServerDirectly(browser, options);
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
    await signInThere(await signInPage(await opened, options), options, 'oauth-browser-login');
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

    // Sign Out on the Account row: the account goes; the running server restarts and asks again; Cancel leaves it
    // stopped with an error that says how to sign in.
    await runCommand(page, 'Notifications: Clear All Notifications');
    await account.hover();
    await account.locator('.action-label[aria-label^="Sign Out"]').click({ timeout: 15_000 });
    await account.waitFor({ state: 'detached', timeout: 30_000 });
    await answerToast(page, `Server '${SERVER}' needs you to sign in to ${options.issuer}.`, 'Cancel', 60_000);
    await serverRow.locator('.label-description', { hasText: /^error: sign-in to .* was cancelled/ }).waitFor({ timeout: 30_000 });
    const signedOut = await waitForRecord(auditFolder(options.workspace), (r) => r['type'] === 'auth' && r['action'] === 'signed-out' && r['server'] === SERVER, 30_000);
    if (signedOut['issuer'] !== options.issuer) throw new Error(`unexpected sign-out record: ${JSON.stringify(signedOut)}`);
    options.log(`UI: Sign Out removed the account (audited: ${String(signedOut['detail'])}) and restarted the server, which asked again; Cancel stopped it with an error`);

    // Sign In from the palette: the server starts again and asks; the browser still has its session at the
    // authorization server, so it goes straight back to the callback.
    await runCommand(page, 'MCP Warden: Sign In', SERVER);
    const again = browser.waitForEvent('page', { timeout: 30_000 });
    await answerToast(page, `Server '${SERVER}' needs you to sign in to ${options.issuer}.`, 'Sign In', 60_000);
    await signInThere(await signInPage(await again, options), options);
    await serverRow.locator('.label-description', { hasText: / · streamable-http$/ }).waitFor({ timeout: 60_000 });
    await description.filter({ hasText: options.issuer }).waitFor({ timeout: 30_000 });
    options.log('UI: Sign In from the palette signed in again; the server runs and shows its account');
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
 * code-server sends a link to a loopback address through its port proxy (/proxy/<port>/), as it must for a user
 * whose browser runs on another machine. The fixture's authorization server runs on the code-server machine's
 * loopback, and its pages use absolute paths that a path proxy breaks; this test's browser reaches it directly, so
 * its proxied links are redirected to it. (A real authorization server is not on loopback: code-server leaves its
 * links alone.) MCP Warden's own callback stays behind the proxy, as `env.asExternalUri` made it.
 */
async function reachAuthorizationServerDirectly(browser: BrowserContext, options: OAuthUiOptions): Promise<void> {
  const editor = new URL(options.serverUrl).origin;
  const issuer = new URL(options.issuer);
  const prefix = `/proxy/${issuer.port}/`;
  await browser.route(
    (url) => url.origin === editor && url.pathname.startsWith(prefix),
    (route) => {
      const url = new URL(route.request().url());
      options.log(`UI: the browser was sent to ${url.pathname.split('/').slice(0, 4).join('/')}… through code-server's port proxy: redirected to ${issuer.origin}`);
      return route.fulfill({ status: 302, headers: { location: `${issuer.origin}/${url.pathname.slice(prefix.length)}${url.search}` } });
    },
  );
}

/** The page Sign In opened: the authorization server's (its login form comes next). */
async function signInPage(opened: Page, options: OAuthUiOptions): Promise<Page> {
  await opened.waitForLoadState('domcontentloaded');
  const url = new URL(opened.url());
  const error = url.searchParams.get('error');
  if (error) throw new Error(`the authorization server answered ${error}: ${url.searchParams.get('error_description') ?? ''} (at ${url.origin}${url.pathname})`);
  if (url.origin !== new URL(options.issuer).origin) throw new Error(`Sign In opened ${url.origin}${url.pathname}, not the authorization server ${options.issuer}`);
  options.log(`UI: Sign In opened ${url.origin}${url.pathname} in the browser`);
  return opened;
}

/**
 * oidc-provider's dev forms: login (any user, any password), then consent, each only if the provider asks (a second
 * sign-in in the same browser has a session and a grant already); then the redirect to MCP Warden's callback.
 */
async function signInThere(page: Page, options: OAuthUiOptions, screenshot?: string): Promise<void> {
  const loginField = page.locator('input[name=login]');
  const consent = page.locator('button[type=submit]', { hasText: /continue/i });
  const atCallback = () => new URL(page.url()).pathname.endsWith('/callback');
  const callback = page.waitForURL((url) => url.pathname.endsWith('/callback'), { timeout: 60_000 });
  callback.catch(() => undefined);
  while (!atCallback()) {
    const next = await Promise.race([loginField.waitFor({ timeout: 30_000 }).then(() => 'login' as const), consent.waitFor({ timeout: 30_000 }).then(() => 'consent' as const), callback.then(() => 'callback' as const)]);
    if (next === 'login') {
      await loginField.fill(LOGIN);
      await page.locator('input[name=password]').fill('any password');
      if (screenshot) await page.screenshot({ path: join(options.results, `${screenshot}.png`) });
      await page.locator('button[type=submit]').click();
      await loginField.waitFor({ state: 'detached', timeout: 30_000 });
    } else if (next === 'consent') {
      await consent.click();
      await consent.waitFor({ state: 'detached', timeout: 30_000 });
    } else break;
  }
  await callback;
  const params = new URL(page.url()).searchParams;
  if (!params.get('code') || params.get('error')) throw new Error(`the callback got no code: error=${params.get('error')} ${params.get('error_description') ?? ''}`);
  options.log(`UI: the callback page says: "${(await page.locator('body').innerText({ timeout: 15_000 })).trim().split('\n')[0]}"`);
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
