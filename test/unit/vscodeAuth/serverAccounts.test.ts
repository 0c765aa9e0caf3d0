import * as assert from 'node:assert/strict';
import type { AccountSummary } from '../../../src/core/auth/authPorts';
import { ServerAccounts, type RemoteServer } from '../../../src/vscode/auth/serverAccounts';

const summary = (issuer: string, resource: string, extra: Partial<AccountSummary> = {}): AccountSummary => ({ issuer, resource, hasRefreshToken: true, ...extra });

function harness(servers: RemoteServer[], byUrl: Map<string, AccountSummary>) {
  const errors: unknown[] = [];
  let changes = 0;
  const accounts = new ServerAccounts({ servers: () => servers, accountOf: async (url) => byUrl.get(url), onError: (e) => errors.push(e) });
  accounts.onDidChange(() => changes++);
  return { accounts, errors, changes: () => changes };
}

describe('ServerAccounts', () => {
  it('finds each remote server’s account by its URL, and says when one appears, changes or goes', async () => {
    const docs = { name: 'docs', url: 'https://mcp.example.com/mcp' };
    const wiki = { name: 'wiki', url: 'https://wiki.example.com/mcp' };
    const byUrl = new Map([[docs.url, summary('https://auth.example.com', docs.url, { scope: 'read' })]]);
    const { accounts, changes } = harness([docs, wiki], byUrl);
    await accounts.refresh();
    assert.equal(accounts.get('docs')?.issuer, 'https://auth.example.com');
    assert.equal(accounts.get('wiki'), undefined);
    assert.deepEqual(accounts.signedIn, ['docs']);
    assert.equal(changes(), 1);

    await accounts.refresh();
    assert.equal(changes(), 1, 'nothing changed: no redraw');

    byUrl.set(docs.url, summary('https://auth.example.com', docs.url, { scope: 'read write' }));
    await accounts.refresh();
    assert.equal(accounts.get('docs')?.scope, 'read write');
    assert.equal(changes(), 2);

    byUrl.delete(docs.url);
    await accounts.refresh();
    assert.equal(accounts.get('docs'), undefined);
    assert.equal(accounts.any, false);
    assert.equal(changes(), 3);
  });

  it('keeps what it had when the store cannot be read, and reports why', async () => {
    const docs = { name: 'docs', url: 'https://mcp.example.com/mcp' };
    let fail = false;
    const errors: unknown[] = [];
    const accounts = new ServerAccounts({
      servers: () => [docs],
      accountOf: async (url) => {
        if (fail) throw new Error('keychain locked');
        return summary('https://auth.example.com', url);
      },
      onError: (e) => errors.push(e),
    });
    await accounts.refresh();
    fail = true;
    await accounts.refresh();
    assert.equal(accounts.get('docs')?.issuer, 'https://auth.example.com');
    assert.equal(errors.length, 1);
  });

  it('lets the newest of overlapping refreshes win', async () => {
    const docs = { name: 'docs', url: 'https://mcp.example.com/mcp' };
    const answers: ((value: AccountSummary | undefined) => void)[] = [];
    const accounts = new ServerAccounts({ servers: () => [docs], accountOf: () => new Promise((resolve) => answers.push(resolve)), onError: () => undefined });
    const older = accounts.refresh();
    const newer = accounts.refresh();
    answers[1]!(undefined); // signed out since
    answers[0]!(summary('https://auth.example.com', docs.url));
    await Promise.all([older, newer]);
    assert.equal(accounts.get('docs'), undefined);
  });
});
