/** Which key names name secrets: of headers, env variables, JSON members and `key=value` text. */

/**
 * Words that make a key name secret wherever they stand in it (password, DB_PASS, X-Auth-Key, accessToken); `pass`
 * only with another word, as a lone "pass" is more often a test count than a password.
 */
const SECRET_WORDS = new Set([
  'token', 'secret', 'secrets', 'password', 'passwords', 'passwd', 'passphrase', 'pass', 'pwd', 'auth', 'authorization', 'cookie',
  'cookies', 'credential', 'credentials', 'creds', 'apikey', 'apikeys', 'privatekey', 'secretkey', 'accesskey',
]);
/** Run-together names: accesstoken, clientsecret, dbpassword. */
const SECRET_ENDINGS = ['token', 'secret', 'password', 'passwd', 'apikey', 'privatekey', 'secretkey'];
/** `<word> key` pairs that name a secret (api key, subscription key); a plain or a sort/cache/partition key does not. */
const KEY_QUALIFIERS = new Set([
  'api', 'private', 'secret', 'subscription', 'access', 'signing', 'sign', 'encryption', 'encrypt', 'client', 'master', 'account', 'app',
  'application', 'service', 'license', 'licence', 'ssh', 'session', 'shared', 'webhook', 'deploy', 'auth', 'admin', 'ingest', 'write',
  'function', 'functions', 'hmac', 'jwt', 'root', 'storage', 'consumer',
]);
/** Last words that make a name about a secret rather than the secret: token_count, auth_url, password_file, secret_name. */
const METADATA_WORDS = new Set([
  'count', 'counts', 'type', 'types', 'limit', 'limits', 'usage', 'used', 'url', 'urls', 'uri', 'endpoint', 'endpoints', 'method', 'methods',
  'mode', 'provider', 'enabled', 'disabled', 'required', 'file', 'path', 'dir', 'policy', 'length', 'len', 'hint', 'expiry', 'expires',
  'expiration', 'ttl', 'at', 'scheme', 'kind', 'name', 'names', 'field', 'format', 'version', 'strategy', 'flow', 'server', 'host',
  'domain', 'location', 'label', 'prompt',
]);
/** Names that hold the working directory, not a password. */
const NOT_SECRET_NAMES = new Set(['pwd', 'oldpwd']);

/** The lower-case words of a key name: `X-Auth-Key` → x auth key, `APIKey` → api key, `max_tokens` → max tokens. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

function decideSecretKey(key: string): boolean {
  const words = keyWords(key);
  if (words.length === 0 || NOT_SECRET_NAMES.has(words.join(''))) return false;
  let secret = false;
  for (let i = 0; i < words.length && !secret; i++) {
    const word = words[i]!;
    secret =
      (SECRET_WORDS.has(word) && !(word === 'pass' && words.length === 1)) ||
      SECRET_ENDINGS.some((ending) => word.length > ending.length && word.endsWith(ending)) ||
      ((word === 'key' || word === 'keys') && i > 0 && KEY_QUALIFIERS.has(words[i - 1]!));
  }
  return secret && !METADATA_WORDS.has(words.at(-1)!);
}

const keyCache = new Map<string, boolean>();

/**
 * True for names of secrets: password, db_pass, MYSQL_PWD, AUTH, X-Auth-Key, DD-API-KEY, Ocp-Apim-Subscription-Key,
 * accessToken, client_secret, private_key… Not for max_tokens, token_count, auth_url, author, path, PWD or a plain key.
 */
export function isSecretKey(key: string): boolean {
  let secret = keyCache.get(key);
  if (secret === undefined) {
    secret = decideSecretKey(key);
    if (keyCache.size >= 4096) keyCache.clear();
    keyCache.set(key, secret);
  }
  return secret;
}
