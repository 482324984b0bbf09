/**
 * Removes secrets from any text that may reach a log, an error message or a snapshot.
 * `sk-` keys are recognised by shape; other secrets (access tokens, session cookies, passwords)
 * are registered once they are known, because they have no recognisable shape.
 */
const KEY_PATTERN = /\bsk-[A-Za-z0-9_\-*]{6,}/g;
const AUTH_HEADER_PATTERN = /\b(authorization|x-api-key|cookie|set-cookie)(["']?\s*[:=]\s*["']?)(bearer\s+)?([^\s"',;]+)/gi;

const knownSecrets = new Set<string>();

/** Remembers a secret so that every later `redact()` hides it. Short values are ignored (too many false hits). */
export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length >= 6) knownSecrets.add(secret);
}

export function forgetSecret(secret: string | undefined): void {
  if (secret) knownSecrets.delete(secret);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of knownSecrets) out = out.split(secret).join('«redacted»');
  return out
    .replace(KEY_PATTERN, (key) => (key.length > 14 ? `sk-…${key.slice(-4)}` : 'sk-…'))
    // Kept: a value already masked (it has "…": it tells two masked values apart) and an OpenCode
    // `{env:…}`/`{file:…}` reference (it names where the secret is, it is not one).
    .replace(AUTH_HEADER_PATTERN, (match: string, name: string, sep: string, bearer: string | undefined, value: string) =>
      value.includes('…') || /^\{(?:env|file):/.test(value) ? match : `${name}${sep}${bearer ?? ''}«redacted»`);
}

/** How a key is shown to a person: enough to recognise it, never enough to use it. */
export function maskKey(key: string): string {
  const bare = key.startsWith('sk-') ? key.slice(3) : key;
  return bare.length > 8 ? `sk-${bare.slice(0, 4)}…${bare.slice(-4)}` : 'sk-…';
}
