// Sampling in the real editor: server-everything's trigger-sampling-request, called through MCP Warden: Call Tool…,
// asks for a completion; the consent notification shows the request (server, message, system prompt, limit);
// Details opens all of it and asks again; Allow runs it on the editor's language model and the server's answer, with the model's text, is the call's result.
// code-server has no language model offline: the test-only extension test/e2e/fixtures/lm-provider provides
// "Warden Test Model" (vscode.lm.registerLanguageModelChatProvider), which answers "echo: <last user text>".
import { join } from 'node:path';
import { answerToast, exactRow, pane, runCommand, settled, toast, widenSideBar, type UiStepOptions, writeServersWorkspace } from './workbench';

const PROMPT = 'name a colour';

/** The workspace: server-everything over stdio as server "everything". */
export function writeSamplingWorkspace(dir: string, { node, everything, env }: { node: string; everything: string; env: Record<string, string> }): void {
  const servers = { everything: { command: node, args: [everything, 'stdio'], env } };
  writeServersWorkspace(dir, servers, 'sampling');
}

/** Returns the number of failed steps (0 or 1). */
export async function runSamplingTests(options: UiStepOptions): Promise<number> {
  const browser = await options.launchBrowser();
  const page = browser.pages()[0] ?? (await browser.newPage());
  try {
    await page.goto(`${options.serverUrl}/?folder=${encodeURIComponent(options.workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar [aria-label^="MCP Warden"]').first().click({ timeout: 60_000 });
    await widenSideBar(page, 480);
    await answerToast(page, "Start server 'everything'?", 'Approve', 60_000);
    const row = pane(page, 'Servers').locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^everything$/ }) });
    await row.locator('.label-description', { hasText: / · stdio/ }).waitFor({ timeout: 60_000 });
    // server-everything asks for the roots as soon as it runs; denied here, so its question does not stay open.
    await answerToast(page, "Server 'everything' asks to see your workspace folders (roots)", 'Deny', 30_000);

    // Call Tool… → everything → trigger-sampling-request, prompt, default maxTokens; the tool call itself is asked
    // about first.
    const input = page.locator('.quick-input-widget');
    await runCommand(page, 'MCP Warden: Call Tool…', 'everything');
    await input.locator('input').fill('trigger-sampling-request');
    await exactRow(page, 'trigger-sampling-request').click({ timeout: 30_000 });
    await input.locator('.quick-input-title', { hasText: 'everything/trigger-sampling-request (1/2): prompt' }).waitFor({ timeout: 15_000 });
    await input.locator('input').fill(PROMPT);
    await page.keyboard.press('Enter');
    await input.locator('.quick-input-title', { hasText: 'everything/trigger-sampling-request (2/2): maxTokens' }).waitFor({ timeout: 15_000 });
    await input.locator('input').fill('64');
    await page.keyboard.press('Enter');
    // server-everything marks the tool openWorldHint: MCP Warden asks in a modal dialog of its own.
    const toolQuestion = page.locator('.monaco-dialog-box', { hasText: "asks to call its tool 'trigger-sampling-request'" });
    await toolQuestion.waitFor({ timeout: 30_000 });
    await toolQuestion.locator('.dialog-buttons .monaco-button', { hasText: /^Allow Once$/ }).click({ timeout: 15_000 });
    options.log('UI: the tool call was allowed once; the server now asks for a completion');

    // The consent: what the server asks, of which model.
    const consent = toast(page, /Server "everything" wants to use a language model/);
    await consent.waitFor({ timeout: 30_000 });
    const text = await consent.innerText();
    for (const expected of [
      `Last user message: "Resource trigger-sampling-request context: ${PROMPT}"`,
      'System prompt: "You are a helpful test server."',
      'At most 64 tokens.',
      'Model: "Warden Test Model"',
    ]) {
      if (!text.includes(expected)) throw new Error(`the consent does not say ${expected}: ${text}`);
    }
    await settled(consent.locator('.monaco-button', { hasText: /^Allow$/ }));
    // Every button readable in full: VS Code cuts a label that does not fit to "All…".
    const buttons = await consent.locator('.monaco-button').evaluateAll((all) => all.map((b) => ({ text: b.textContent ?? '', cut: [b, ...b.querySelectorAll('*')].some((e) => e.scrollWidth > e.clientWidth) })));
    const labels = buttons.map((b) => b.text).join(', ');
    if (labels !== 'Allow, Allow for Session, Choose Model…, Details, Deny') throw new Error(`the consent offers ${labels}`);
    if (buttons.some((b) => b.cut)) throw new Error(`a consent button is cut short: ${buttons.filter((b) => b.cut).map((b) => b.text).join(', ')}`);
    await page.screenshot({ path: join(options.images, 'sampling-consent.png') });
    options.log('UI: the consent shows the request and the model');

    // Details: the whole request, read-only, the server's text marked; then the same question again.
    await consent.locator('.monaco-button', { hasText: /^Details$/ }).click();
    const details = page.locator('.editor-instance .view-lines');
    await details.filter({ hasText: 'Sampling request from MCP server "everything"' }).first().waitFor({ timeout: 15_000 });
    await details.filter({ hasText: '│ You are a helpful test server.' }).first().waitFor({ timeout: 15_000 });
    await details.filter({ hasText: `│ Resource trigger-sampling-request context: ${PROMPT}` }).first().waitFor({ timeout: 15_000 });
    options.log('UI: Details opened the whole request read-only');
    await consent.waitFor({ timeout: 15_000 });
    await runCommand(page, 'View: Close All Editors');
    await consent.locator('.monaco-button', { hasText: /^Allow$/ }).click({ timeout: 15_000 });
    // The server's result quotes the model's answer and names the model.
    const result = page.locator('.editor-instance .view-lines');
    await result.filter({ hasText: `echo: Resource trigger-sampling-request context: ${PROMPT}` }).first().waitFor({ timeout: 30_000 });
    await result.filter({ hasText: 'warden-test-echo' }).first().waitFor({ timeout: 15_000 });
    options.log("UI: Allow ran the request on the editor's model, and the server returned its answer");
    await runCommand(page, 'View: Close All Editors');
    return 0;
  } catch (error) {
    options.log(`sampling UI test failed: ${error instanceof Error ? error.message : String(error)}`);
    await page.screenshot({ path: join(options.results, 'sampling-failure.png') }).catch(() => undefined);
    return 1;
  } finally {
    await browser.close();
  }
}
