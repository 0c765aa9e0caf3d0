/** Why a server URL is unacceptable, or undefined when it is fine. */
export function checkServerUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `'${text}' is not a valid URL`;
  }
  if (url.username || url.password) {
    return 'must not contain credentials; send them in `headers` with ${input:id} instead';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    return isLoopbackHost(url.hostname)
      ? undefined
      : `must be https: plain http is only allowed to a loopback host (localhost, 127.0.0.1, [::1]), not '${url.hostname}'`;
  }
  return `must be an https:// URL, not ${url.protocol.replace(/:$/, '')}:`;
}

/** True for hosts that never leave this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1') return true;
  return /^127(\.\d{1,3}){3}$/.test(host);
}
