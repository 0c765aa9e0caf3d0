// The user of a sign-in in the conformance run: agrees, and "opens the browser" by fetching the authorization URL
// without following its redirect (the suite's authorization server approves at once), then following the Location
// itself, so the code and `iss` reach MCP Warden's real loopback receiver as a browser would bring them.
import type { SignInRequest, SignInUser } from '../../core/auth/authPorts';
import { errorMessage, type Logger } from '../../core/ports';

export class HeadlessSignInUser implements SignInUser {
  readonly requests: SignInRequest[] = [];
  readonly opened: string[] = [];

  constructor(private readonly logger: Logger) {}

  async confirm(request: SignInRequest): Promise<boolean> {
    this.requests.push(request);
    this.logger.info(`asked to sign in to ${request.issuer} for ${request.server} (${request.reason}${request.scope ? `, scope ${request.scope}` : ''}): sign in`);
    return true;
  }

  async openBrowser(url: string): Promise<boolean> {
    this.opened.push(url);
    try {
      const answer = await fetch(url, { redirect: 'manual' });
      const location = answer.headers.get('location');
      if (!location) {
        this.logger.warn(`the authorization server answered HTTP ${answer.status} without a redirect`);
        return true; // the browser opened; the sign-in then times out, as a user who stops would
      }
      const callback = await fetch(new URL(location, url), { redirect: 'manual' });
      this.logger.info(`the browser came back to MCP Warden: HTTP ${callback.status}`);
      return true;
    } catch (error) {
      this.logger.warn(`the browser could not reach the authorization server: ${errorMessage(error)}`);
      return true;
    }
  }
}
