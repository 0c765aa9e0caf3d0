// Elicitation in the real workbench, as a user meets it: a tool called through MCP Warden: Call Tool… makes its
// server ask for a profile; the form is a sequence of quick inputs titled with the server's question, defaults
// filled in, a validation message while typing, Back to the field before, and a last step with Submit. The answer
// reaches the server and comes back in the tool's result. Every wait is for a state of the page, never a time.
import { join } from 'node:path';
import { answerToast, exactRow, pane, runCommand, settled, toast, widenSideBar, type UiStepOptions, writeServersWorkspace } from './workbench';

/** The workspace: the elicitation fixture (initialize era) as server "asker". */
export function writeElicitationWorkspace(dir: string, { node, fixture, env }: { node: string; fixture: string; env: Record<string, string> }): void {
  const servers = { asker: { command: node, args: [fixture], env } };
  writeServersWorkspace(dir, servers, 'elicitation');
}

/** Returns the number of failed steps (0 or 1). */
export async function runElicitationTests(options: UiStepOptions): Promise<number> {
  const browser = await options.launchBrowser();
  const page = browser.pages()[0] ?? (await browser.newPage());
  const input = page.locator('.quick-input-widget');
  const box = input.locator('.quick-input-box input');
  const title = (text: string | RegExp) => input.locator('.quick-input-title', { hasText: text });
  const step = (n: number) => input.locator('.quick-input-title', { hasText: `${n}/6` });
  try {
    await page.goto(`${options.serverUrl}/?folder=${encodeURIComponent(options.workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar [aria-label^="MCP Warden"]').first().click({ timeout: 60_000 });
    await widenSideBar(page, 480);
    const row = pane(page, 'Servers').locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^asker$/ }) });
    await answerToast(page, "Start server 'asker'?", 'Approve', 60_000);
    await row.locator('.label-description', { hasText: / · stdio/ }).waitFor({ timeout: 60_000 });

    await askProfile();

    // Step 1: the nickname, its default filled in; too short a name is explained while typing, then fixed.
    await title("Server 'asker' asks: Set up your profile").waitFor({ timeout: 30_000 });
    await step(1).waitFor({ timeout: 15_000 });
    if ((await box.inputValue()) !== 'anon') throw new Error(`the default nickname is not filled in: '${await box.inputValue()}'`);
    await box.fill('A');
    await input.locator('.quick-input-message', { hasText: 'Nickname must be between 2 and 20 characters (now 1)' }).waitFor({ timeout: 15_000 });
    await box.fill('Ada');
    await page.keyboard.press('Enter');

    // Step 2: the age, a rule shown as the user types; Back returns to the nickname, kept as typed.
    await step(2).waitFor({ timeout: 15_000 });
    await box.fill('500');
    const ageRule = input.locator('.quick-input-message', { hasText: 'Age must be an integer between 1 and 120' });
    await ageRule.waitFor({ timeout: 15_000 });
    await settled(ageRule);
    await page.screenshot({ path: join(options.images, 'elicitation-form.png') });
    await page.keyboard.press('Enter'); // refused: the step stays
    await ageRule.waitFor({ timeout: 15_000 });
    await input.getByRole('button', { name: 'Back' }).click({ timeout: 15_000 });
    await step(1).waitFor({ timeout: 15_000 });
    if ((await box.inputValue()) !== 'Ada') throw new Error(`Back lost the nickname: '${await box.inputValue()}'`);
    await page.keyboard.press('Enter');
    await step(2).waitFor({ timeout: 15_000 });
    await box.fill('36');
    await page.keyboard.press('Enter');
    options.log('UI: the form showed the server question, defaults, validation messages as typed, and Back');

    // Step 3: a choice with titles; 4: a multiple choice (its default kept); 5: yes/no; 6: Submit.
    await step(3).waitFor({ timeout: 15_000 });
    await exactRow(page, 'Red').click({ timeout: 15_000 });
    await step(4).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await step(5).waitFor({ timeout: 15_000 });
    await exactRow(page, 'Yes').click({ timeout: 15_000 });
    await step(6).waitFor({ timeout: 15_000 });
    await exactRow(page, 'Submit').click({ timeout: 15_000 });

    // The server got the answer: the tool's result says so.
    const result = page.locator('.editor-instance .view-lines');
    await result.filter({ hasText: /nickname\\?":\\?"Ada/ }).waitFor({ timeout: 30_000 });
    const text = await result.first().innerText();
    for (const expected of [/age\\?":36/, /color\\?":\\?"r\\?"/, /tags\\?":\[\\?"a\\?"\]/, /subscribe\\?":true/]) {
      if (!expected.test(text.replace(/\s/g, ''))) throw new Error(`the result lacks ${expected}: ${text}`);
    }
    if ((await toast(page, /reported an error/).count()) > 0) throw new Error('the call reported an error');
    options.log('UI: Submit sent the answers, and the tool result shows what the server received');

    // Escape closes the form: the server is told cancel. Enter through the defaults, then Decline: decline.
    const lastResult = async (action: 'cancel' | 'decline') => {
      await result.filter({ hasText: new RegExp(`action\\\\?":\\\\?"${action}`) }).waitFor({ timeout: 30_000 });
      await runCommand(page, 'View: Close All Editors');
    };
    await runCommand(page, 'View: Close All Editors');
    await askProfile();
    await step(1).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Escape');
    await lastResult('cancel');
    await askProfile();
    for (const n of [1, 2, 3, 4, 5]) {
      await step(n).waitFor({ timeout: 15_000 });
      await page.keyboard.press('Enter');
    }
    await step(6).waitFor({ timeout: 15_000 });
    await input.locator('.quick-input-list .monaco-list-row', { hasText: 'Nickname: anon · Age: 30 · Colour: Green · Tags: a · Subscribe: No' }).waitFor({ timeout: 15_000 });
    await exactRow(page, 'Decline').click({ timeout: 15_000 });
    await lastResult('decline');
    options.log('UI: Escape answered cancel; the defaults were preselected; Decline answered decline');

    // URL mode: a notification (not a dialog) with the server's reason and the full URL, its host as it will be
    // reached (punycode); nothing opens unless the user clicks. Decline is answered as such.
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'MCP Warden: Call Tool…', 'asker');
    await box.fill('open_page');
    await exactRow(page, 'open_page').click({ timeout: 15_000 });
    await title('asker/open_page (1/1)').waitFor({ timeout: 15_000 });
    await box.fill('https://exämple.com/sign-in?next=/home');
    await page.keyboard.press('Enter');
    await answerToast(page, "Server 'asker' asks to call its tool 'open_page'", 'Allow Once', 30_000);
    const handOff = toast(page, "server 'asker' asks you to open a page in your browser");
    await handOff.waitFor({ timeout: 30_000 });
    const shown = await handOff.innerText();
    for (const expected of ['"Sign in to continue"', 'https://xn--exmple-cua.com/sign-in?next=/home', 'an internationalized name']) {
      if (!shown.includes(expected)) throw new Error(`the URL notification lacks ${expected}: ${shown}`);
    }
    await settled(handOff.locator('.monaco-button', { hasText: /^Open in Browser$/ }));
    await page.screenshot({ path: join(options.images, 'elicitation-url.png') });
    await handOff.locator('.monaco-button', { hasText: /^Decline$/ }).click({ timeout: 15_000 });
    await page.locator('.editor-instance .view-lines').filter({ hasText: /action\\?":\\?"decline/ }).waitFor({ timeout: 30_000 });
    options.log('UI: a URL elicitation showed the reason and the full punycode URL; Decline reached the server');
    return 0;
  } catch (error) {
    options.log(`elicitation UI test failed: ${error instanceof Error ? error.message : String(error)}`);
    await page.screenshot({ path: join(options.results, 'elicitation-failure.png') }).catch(() => undefined);
    return 1;
  } finally {
    await browser.close();
  }

  /** Call Tool… → asker → profile (no arguments); the call itself is allowed once. */
  async function askProfile(): Promise<void> {
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'MCP Warden: Call Tool…', 'asker');
    await box.fill('profile');
    await exactRow(page, 'profile').click({ timeout: 15_000 });
    await answerToast(page, "Server 'asker' asks to call its tool 'profile'", 'Allow Once', 30_000);
  }
}
