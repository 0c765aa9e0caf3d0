// What the user reads about sign-in and accounts: the notification, the Servers view's account row and its
// tooltip. Plain functions (no 'vscode'), so the unit tests check the wording and that no secret can reach it:
// an AccountSummary has no token, and nothing here takes anything but a summary.
import type { AccountSummary, SignInRequest } from '../../core/auth/authPorts';

/** The sign-in notification: "Server 'x' needs you to sign in to <issuer>." and its variants. */
export function signInMessage(request: SignInRequest): string {
  const server = `MCP Warden: Server '${request.server}'`;
  switch (request.reason) {
    case 'expired':
      return `${server} needs you to sign in to ${request.issuer} again.`;
    case 'step-up':
      return `${server} needs more access${request.scope ? ` (${request.scope})` : ''} from ${request.issuer}.`;
    case 'sign-in':
      return `${server} needs you to sign in to ${request.issuer}.`;
  }
}

/** "expires in 4 min", "expired" …: when the access token runs out, from now. */
export function expiryText(account: AccountSummary, now: number): string | undefined {
  if (account.expiresAt === undefined) return undefined;
  const left = account.expiresAt - now;
  if (left <= 0) return account.hasRefreshToken ? 'expired, renews on next use' : 'expired';
  const minutes = Math.round(left / 60_000);
  if (minutes < 1) return 'expires in under a minute';
  if (minutes < 120) return `expires in ${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `expires in ${hours} h`;
  return `expires in ${Math.round(hours / 24)} days`;
}

/** The account row's description: issuer · scopes · expiry. */
export function accountDescription(account: AccountSummary, now: number): string {
  return [account.issuer, account.scope, expiryText(account, now)].filter((part) => part !== undefined && part !== '').join(' · ');
}

/** The account row's tooltip, one fact a line (Markdown-free text). */
export function accountTooltip(account: AccountSummary, now: number): string {
  const expiry = account.expiresAt === undefined ? 'not stated by the server' : `${new Date(account.expiresAt).toISOString()} (${expiryText(account, now)})`;
  return [
    `Signed in to ${account.issuer}`,
    `For: ${account.resource}`,
    `Scopes: ${account.scope || 'none stated'}`,
    `Access expires: ${expiry}`,
    account.hasRefreshToken ? 'Renews itself with a refresh token' : 'No refresh token: you sign in again when it expires',
    'Tokens are kept in VS Code’s secret storage only.',
  ].join('\n');
}
