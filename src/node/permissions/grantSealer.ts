import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { formatSeal, parseSeal, sealMessage } from '../../core/permissions/grantSeal';
import type { Grant, GrantSealer, GrantStatus } from '../../core/permissions/permission';

/**
 * Seals workspace grants made on this machine with an HMAC-SHA-256 whose key never leaves it (SecretStorage), and
 * tells where a grant stands. The message binds the grant to one workspace, so a grant copied into another
 * workspace is not sealed there. `confirmed` is not decided here: the vscode layer keeps confirmations (see
 * `confirmation`) and upgrades `proposed` itself.
 */
export class HmacGrantSealer implements GrantSealer {
  /** First 16 hex digits of sha256(key): names the key in seals without revealing it. */
  readonly keyId: string;

  constructor(
    private readonly key: Uint8Array,
    private readonly workspaceId: string,
  ) {
    if (key.length !== 32) throw new Error(`a grant key is 32 bytes, not ${key.length}`);
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 16);
  }

  seal(grant: Grant): Grant {
    return { ...grant, seal: formatSeal(this.keyId, this.mac(grant)) };
  }

  status(grant: Grant): GrantStatus {
    const seal = parseSeal(grant.seal);
    // Unsealed, unreadable, or sealed by a teammate's key: someone else's proposal.
    if (!seal || seal.keyId !== this.keyId) return 'proposed';
    return sameText(seal.mac, this.mac(grant)) ? 'sealed' : 'tampered';
  }

  /**
   * What the UI keeps (in workspaceState) when the user confirms a proposed grant: this machine's HMAC of the
   * grant's message, so a confirmation covers exactly that grant in this workspace and nothing edited since.
   */
  confirmation(grant: Grant): string {
    return this.mac(grant);
  }

  /** True when `confirmation` was made by `confirmation(grant)` for this very grant (constant time). */
  confirms(grant: Grant, confirmation: string): boolean {
    return sameText(confirmation, this.mac(grant));
  }

  private mac(grant: Grant): string {
    return createHmac('sha256', this.key).update(sealMessage(grant, this.workspaceId), 'utf8').digest('base64url');
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
