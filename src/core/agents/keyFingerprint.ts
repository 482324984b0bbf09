/**
 * Keys are compared by a keyed hash, never kept: HMAC-SHA256 under a random 32-byte secret that the
 * extension keeps in SecretStorage. A fingerprint without the secret cannot be tested against guessed
 * keys, and the scan of agent files holds only fingerprints and masks.
 */
import { createHmac, randomBytes } from 'node:crypto';
import * as l10n from '@vscode/l10n';

export const FINGERPRINT_SECRET_BYTES = 32;

/**
 * The form a key is compared in: new-api accepts a key with or without its `sk-` prefix, so
 * `sk-abc…` placed by the console and `abc…` placed by hand are the same key.
 */
export function bareKey(key: string): string {
  return key.startsWith('sk-') ? key.slice(3) : key;
}

/** Whether two spellings name the same gateway key (prefix aside). */
export function sameKey(a: string, b: string): boolean {
  return bareKey(a) === bareKey(b);
}

/** How a key found in a file is shown: its last four characters only (`sk-…abcd`). */
export function maskKeyTail(key: string): string {
  const bare = bareKey(key);
  return bare.length >= 12 ? `sk-…${bare.slice(-4)}` : 'sk-…';
}

export class KeyFingerprinter {
  private readonly secret: Buffer;

  /** `secret`: 32 random bytes, the same across sessions (from SecretStorage) so fingerprints stay comparable. */
  constructor(secret: Uint8Array) {
    if (secret.length !== FINGERPRINT_SECRET_BYTES) throw new Error(l10n.t('The key fingerprint secret must be {0} bytes long.', FINGERPRINT_SECRET_BYTES));
    this.secret = Buffer.from(secret);
  }

  /** A fresh secret, for the first run (the caller stores it). */
  static newSecret(): Buffer {
    return randomBytes(FINGERPRINT_SECRET_BYTES);
  }

  /** Hex HMAC-SHA256 of the key without its `sk-` prefix. */
  fingerprint(key: string): string {
    return createHmac('sha256', this.secret).update(bareKey(key), 'utf8').digest('hex');
  }
}
