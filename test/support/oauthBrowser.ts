// A headless "browser" and the user at it: a SignInUser whose openBrowser follows the authorization URL over plain
// HTTP with a cookie jar, fills oidc-provider's devInteractions login form (any login, any password) and consent form,
// and finally GETs the redirect to MCP Warden's loopback callback, so the real receiver gets the code. The jar lives
// as long as the browser: a second visit (step-up) finds the AS session and is asked for consent only.
import type { SignInRequest, SignInUser } from '../../src/core/auth/authPorts';

/** What the user does when asked to sign in. */
export type BrowserBehaviour =
  /** Sign In, then log in and consent in the browser. */
  | { readonly kind: 'complete'; readonly delayMs?: number }
  /** Cancel in the notification. */
  | { readonly kind: 'cancel' }
  /** Sign In, but never finish in the browser (the tab is left open). */
  | { readonly kind: 'never' };

/** One trip through the browser: the authorization URL and the forms the AS showed. */
export interface BrowserVisit {
  readonly url: URL;
  readonly prompts: string[];
  /** Where the AS finally redirected (the callback URL with `code`, `state`, `iss` or `error`). */
  callback?: URL;
  error?: string;
}

export class HeadlessBrowser implements SignInUser {
  /** Every "needs you to sign in" notification, in order. */
  readonly asked: SignInRequest[] = [];
  readonly visits: BrowserVisit[] = [];
  /** Visits in flight (a test waits for them before it ends, so no fetch outlives it). */
  private readonly pending = new Set<Promise<void>>();
  private readonly jar = new CookieJar();
  behaviour: BrowserBehaviour;

  constructor(behaviour: BrowserBehaviour = { kind: 'complete' }) {
    this.behaviour = behaviour;
  }

  /** The client id the user enters when MCP Warden asks for one (undefined: the user enters nothing). */
  clientId: string | undefined;
  /** Every "enter the client id" question: the issuer it named. */
  readonly askedForClientId: string[] = [];

  async askClientId(request: { readonly server: string; readonly issuer: string }): Promise<string | undefined> {
    this.askedForClientId.push(request.issuer);
    return this.clientId;
  }

  async confirm(request: SignInRequest, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) throw signal.reason;
    this.asked.push(request);
    return this.behaviour.kind !== 'cancel';
  }

  async openBrowser(url: string): Promise<boolean> {
    const visit: BrowserVisit = { url: new URL(url), prompts: [] };
    this.visits.push(visit);
    if (this.behaviour.kind !== 'complete') return true;
    const delayMs = this.behaviour.delayMs ?? 0;
    // Like a real browser: opening it returns at once, the user finishes later.
    const run = (async () => {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      await this.follow(visit);
    })().catch((error: unknown) => {
      visit.error = error instanceof Error ? error.message : String(error);
    });
    this.pending.add(run);
    void run.finally(() => this.pending.delete(run));
    return true;
  }

  /** Waits for the visits in flight to end. */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  /** The authorization requests the user was sent with (query parameters of each visit). */
  get authorizationRequests(): URLSearchParams[] {
    return this.visits.map((v) => v.url.searchParams);
  }

  /** Follows redirects and fills forms until the AS sends the browser off its own origin (to the callback). */
  private async follow(visit: BrowserVisit): Promise<void> {
    const authOrigin = visit.url.origin;
    let url = visit.url;
    let method = 'GET';
    let body: string | undefined;
    for (let hop = 0; hop < 20; hop++) {
      if (url.origin !== authOrigin) {
        visit.callback = url;
        const answer = await fetch(url, { redirect: 'manual' });
        await answer.text();
        return;
      }
      const headers: Record<string, string> = { cookie: this.jar.header(url) };
      if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
      const res = await fetch(url, { method, ...(body && { body }), headers, redirect: 'manual' });
      this.jar.store(res.headers.getSetCookie());
      if (res.status >= 300 && res.status < 400) {
        await res.arrayBuffer();
        url = new URL(res.headers.get('location') ?? '', url);
        method = 'GET';
        body = undefined;
        continue;
      }
      const html = await res.text();
      if (res.status !== 200) throw new Error(`browser: HTTP ${res.status} at ${url.pathname}: ${html.slice(0, 300)}`);
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
      const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
      if (!action || !prompt) throw new Error(`browser: no login or consent form at ${url.pathname}: ${html.slice(0, 300)}`);
      visit.prompts.push(prompt);
      body = new URLSearchParams(prompt === 'login' ? { prompt, login: 'alice', password: 'any' } : { prompt }).toString();
      url = new URL(action, url);
      method = 'POST';
    }
    throw new Error('browser: too many redirects');
  }
}

/** Just enough of a cookie jar for oidc-provider: `_session` (/), `_interaction` and `_interaction_resume` (by Path). */
class CookieJar {
  private readonly cookies = new Map<string, { name: string; value: string; path: string }>();

  store(setCookies: readonly string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const path = attributes.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
      const expired =
        attributes.some((a) => /^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now()) || attributes.some((a) => /^max-age=0$/i.test(a));
      const key = `${name};${path}`;
      if (expired || value === '') this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path });
    }
  }

  header(url: URL): string {
    return [...this.cookies.values()]
      .filter((c) => url.pathname.startsWith(c.path))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }
}
