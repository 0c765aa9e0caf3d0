// Driving the workbench the way a user does, shared by the UI tests: the command palette and its rows.
import type { Locator, Page } from 'playwright-core';

/** F1, the command's title; then, if given, the quick pick item whose label is exactly `item`. */
export async function runCommand(page: Page, title: string, item?: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(`>${title}`);
  await exactRow(page, title).click({ timeout: 15_000 });
  if (item === undefined) return;
  await input.fill(item);
  await exactRow(page, item).click({ timeout: 15_000 });
}

/** The quick pick row labelled exactly `label` (fuzzy matching also shows "Stop All Servers" for "Stop Server"). */
export function exactRow(page: Page, label: string, shown = label): Locator {
  const exact = new RegExp(`^\\s*${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  return page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
}
