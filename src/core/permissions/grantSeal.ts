/**
 * The message a workspace grant's seal authenticates, and the seal's text form. The HMAC itself is computed in
 * the node layer (src/node/permissions/grantSealer.ts) with a key the core never sees.
 */
import { canonicalJson } from '../canonicalJson';
import type { Grant } from './permission';

export const SEAL_ALGORITHM = 'hmac-sha256';

/** `{v:1, workspace, grant}` in canonical JSON, the grant without its seal: key order and the seal do not change it. */
export function sealMessage(grant: Grant, workspaceId: string): string {
  const { seal: _seal, ...unsealed } = grant;
  return canonicalJson({ v: 1, workspace: workspaceId, grant: unsealed });
}

export interface ParsedSeal {
  /** First 16 hex digits of sha256(key): which machine's key sealed it. */
  readonly keyId: string;
  /** base64url HMAC-SHA-256 of the seal message. */
  readonly mac: string;
}

const SEAL = /^hmac-sha256:([0-9a-f]{16}):([A-Za-z0-9_-]{16,128})$/;

/** Reads `hmac-sha256:<keyId>:<mac>`; undefined for anything else (a grant sealed so counts as proposed). */
export function parseSeal(seal: unknown): ParsedSeal | undefined {
  if (typeof seal !== 'string') return undefined;
  const match = SEAL.exec(seal);
  return match ? { keyId: match[1]!, mac: match[2]! } : undefined;
}

export function formatSeal(keyId: string, mac: string): string {
  return `${SEAL_ALGORITHM}:${keyId}:${mac}`;
}
