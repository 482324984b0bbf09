/** Bodies and files that may not be JSON: undefined instead of an exception, so callers decide what that means. */
export function tryJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch {
    return undefined;
  }
}

/** A JSON object, or undefined for anything else (arrays, scalars, malformed text). */
export function tryJsonObject(text: string | undefined): Record<string, unknown> | undefined {
  const value = tryJson(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
