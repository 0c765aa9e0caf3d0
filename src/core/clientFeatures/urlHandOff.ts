import { cleanServerText } from './elicitationForm';

/** A URL longer than this is not shown (nor opened): nobody can check it. */
export const URL_HAND_OFF_MAX = 2000;

/** What the user is shown of a URL a server wants opened, or why it is refused. */
export type UrlHandOff =
  | {
      readonly ok: true;
      /** The full URL as it will be opened, host in punycode (a lookalike shows as `xn--…`). */
      readonly href: string;
      readonly host: string;
      /** The host has an internationalized label: the user is told to look twice. */
      readonly international: boolean;
    }
  | { readonly ok: false; readonly reason: string };

/** Checks a URL elicitation's URL: only http(s), of a size a user can read; never throws. */
export function urlHandOff(text: string): UrlHandOff {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: `"${cleanServerText(text, 100)}" is not a valid URL` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: `"${cleanServerText(text, 100)}" is a ${url.protocol} link, not a web page` };
  // https://github.com@evil.example/ reads as github.com but goes to evil.example; no sign-in page needs it.
  if (url.username !== '' || url.password !== '') return { ok: false, reason: `the URL carries a user name or password before its host (${cleanServerText(url.host, 100)})` };
  if (url.href.length > URL_HAND_OFF_MAX) return { ok: false, reason: `the URL is longer than ${URL_HAND_OFF_MAX} characters` };
  return { ok: true, href: url.href, host: url.host, international: url.hostname.split('.').some((label) => label.startsWith('xn--')) };
}
