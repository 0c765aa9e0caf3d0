import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { ValueDigester } from '../../core/audit/auditEvent';

const SECRET_BYTES = 32;
const TEXT_PREFIX = 'mcp-warden-audit-key-v1:';
const FILE_FORMAT = 'mcp-warden-audit-verification-key';

/**
 * The key of one workspace's audit log: 32 random bytes, kept only in VS Code's SecretStorage. Three HMAC-SHA-256
 * keys are derived from it, one per purpose, so that no value made for one purpose is valid for another: a tool
 * argument whose canonical JSON happened to equal a forged record must not give that record a valid MAC through
 * `argsDigest`. docs/audit-log-format.md specifies the derivation for third-party verifiers.
 */
export class AuditKey implements ValueDigester {
  /** A short public name of the key (16 hex), so a verifier can tell "wrong key" from "edited record". */
  readonly id: string;
  private readonly recordKey: KeyObject;
  private readonly valueKey: KeyObject;
  private readonly headKey: KeyObject;

  private constructor(secret: Buffer) {
    if (secret.length !== SECRET_BYTES) throw new Error(`an audit key has ${SECRET_BYTES} bytes, this one ${secret.length}`);
    const derive = (purpose: string) => createHmac('sha256', secret).update(`mcp-warden audit v1 ${purpose}`).digest();
    // KeyObjects: createHmac with a KeyObject is ~5× faster than with a Buffer key, which it imports each time.
    this.recordKey = createSecretKey(derive('record-mac'));
    this.valueKey = createSecretKey(derive('value-digest'));
    this.headKey = createSecretKey(derive('head-mac'));
    this.id = derive('key-id').toString('hex').slice(0, 16);
    this.secretText = TEXT_PREFIX + secret.toString('base64url');
  }

  /** The form kept in SecretStorage and in an exported key file. */
  private readonly secretText: string;

  static generate(): AuditKey {
    return new AuditKey(randomBytes(SECRET_BYTES));
  }

  /** A key from its SecretStorage form; throws on anything else. */
  static fromText(text: string): AuditKey {
    if (!text.startsWith(TEXT_PREFIX)) throw new Error('this is not an MCP Warden audit key');
    return new AuditKey(Buffer.from(text.slice(TEXT_PREFIX.length), 'base64url'));
  }

  /** A key from an exported key file (JSON), or from the bare SecretStorage form. */
  static fromFile(content: string): AuditKey {
    const text = content.trim();
    if (text.startsWith(TEXT_PREFIX)) return AuditKey.fromText(text);
    let parsed: { format?: unknown; key?: unknown; keyId?: unknown };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      throw new Error('the key file is neither JSON nor an MCP Warden audit key');
    }
    if (parsed.format !== FILE_FORMAT || typeof parsed.key !== 'string') throw new Error(`the key file is not an ${FILE_FORMAT} file`);
    const key = AuditKey.fromText(parsed.key);
    if (typeof parsed.keyId === 'string' && parsed.keyId !== key.id) throw new Error(`the key file is damaged: it names key ${parsed.keyId}, but holds key ${key.id}`);
    return key;
  }

  toText(): string {
    return this.secretText;
  }

  /** The content of an exported key file: the key, its id, and what it is for. */
  toFile(about: { readonly logFolder: string; readonly exportedAt: string }): string {
    return `${JSON.stringify(
      {
        format: FILE_FORMAT,
        warning: 'Anyone with this key can write audit records that verify. Keep it where only auditors can read it.',
        keyId: this.id,
        key: this.secretText,
        logFolder: about.logFolder,
        exportedAt: about.exportedAt,
        verify: 'node <extension>/dist/audit-cli.js verify <log folder> --key-file <this file>',
      },
      null,
      2,
    )}\n`;
  }

  /** The MAC of a record: over its canonical JSON without the `mac` member. */
  recordMac(canonicalWithoutMac: string): string {
    return createHmac('sha256', this.recordKey).update(canonicalWithoutMac).digest('hex');
  }

  /** True when `mac` is the MAC of the record text (compared in constant time). */
  checkRecordMac(canonicalWithoutMac: string, mac: string): boolean {
    return sameHex(this.recordMac(canonicalWithoutMac), mac);
  }

  /** Keyed digest of a value (tool arguments, env and header values): not guessable without the key. */
  digest(text: string): string {
    return createHmac('sha256', this.valueKey).update(text).digest('hex');
  }

  /** The MAC of the log's head: that record `seq`, with `mac`, was the newest when it was written. */
  headMac(seq: number, mac: string): string {
    return createHmac('sha256', this.headKey).update(`${seq}:${mac}`).digest('hex');
  }

  checkHeadMac(seq: number, mac: string, headMac: string): boolean {
    return sameHex(this.headMac(seq, mac), headMac);
  }
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1'));
}
