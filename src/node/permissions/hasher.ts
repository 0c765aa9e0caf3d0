import { createHash } from 'node:crypto';
import type { Hasher } from '../../core/permissions/permission';

/** sha256 of UTF-8 text, lowercase hex. */
export const nodeHasher: Hasher = {
  sha256: (text) => createHash('sha256').update(text, 'utf8').digest('hex'),
};
