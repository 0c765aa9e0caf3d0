import * as assert from 'node:assert/strict';
import type { AccountSummary } from '../../../src/core/auth/authPorts';
import { accountDescription, accountTooltip, expiryText, signInMessage } from '../../../src/vscode/auth/signInText';

const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);
const ISSUER = 'https://auth.example.com';
const account = (extra: Partial<AccountSummary> = {}): AccountSummary => ({
  issuer: ISSUER,
  resource: 'https://mcp.example.com/mcp',
  scope: 'mcp:tools',
  expiresAt: NOW + 4 * 60_000,
  hasRefreshToken: true,
  ...extra,
});

describe('sign-in wording', () => {
  it('asks to sign in, to sign in again, or for more access, naming the server and the issuer', () => {
    assert.equal(signInMessage({ server: 'docs', issuer: ISSUER, reason: 'sign-in' }), `MCP Warden: Server 'docs' needs you to sign in to ${ISSUER}.`);
    assert.equal(signInMessage({ server: 'docs', issuer: ISSUER, reason: 'expired' }), `MCP Warden: Server 'docs' needs you to sign in to ${ISSUER} again.`);
    assert.equal(signInMessage({ server: 'docs', issuer: ISSUER, scope: 'mcp:tools mcp:admin', reason: 'step-up' }), `MCP Warden: Server 'docs' needs more access (mcp:tools mcp:admin) from ${ISSUER}.`);
    assert.equal(signInMessage({ server: 'docs', issuer: ISSUER, reason: 'step-up' }), `MCP Warden: Server 'docs' needs more access from ${ISSUER}.`);
  });

  it('says when the access token expires, in words', () => {
    assert.equal(expiryText(account(), NOW), 'expires in 4 min');
    assert.equal(expiryText(account({ expiresAt: NOW + 20_000 }), NOW), 'expires in under a minute');
    assert.equal(expiryText(account({ expiresAt: NOW + 3 * 3_600_000 }), NOW), 'expires in 3 h');
    assert.equal(expiryText(account({ expiresAt: NOW + 30 * 86_400_000 }), NOW), 'expires in 30 days');
    assert.equal(expiryText(account({ expiresAt: NOW - 1 }), NOW), 'expired, renews on next use');
    assert.equal(expiryText(account({ expiresAt: NOW - 1, hasRefreshToken: false }), NOW), 'expired');
    assert.equal(expiryText(account({ expiresAt: undefined }), NOW), undefined);
  });

  it('describes an account by issuer, scopes and expiry', () => {
    assert.equal(accountDescription(account(), NOW), `${ISSUER} · mcp:tools · expires in 4 min`);
    assert.equal(accountDescription(account({ scope: undefined, expiresAt: undefined }), NOW), ISSUER);
    const tooltip = accountTooltip(account(), NOW);
    for (const line of [`Signed in to ${ISSUER}`, 'For: https://mcp.example.com/mcp', 'Scopes: mcp:tools', 'Renews itself with a refresh token']) assert.ok(tooltip.includes(line), line);
    assert.ok(tooltip.includes(new Date(NOW + 4 * 60_000).toISOString()));
  });

  it('never shows a token, even when a summary carries one by mistake', () => {
    const leaky = { ...account(), access_token: 'at-SECRET-1', refresh_token: 'rt-SECRET-2', code_verifier: 'cv-SECRET-3' } as AccountSummary;
    for (const text of [accountDescription(leaky, NOW), accountTooltip(leaky, NOW)]) assert.doesNotMatch(text, /SECRET/);
  });
});
