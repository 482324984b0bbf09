/**
 * Everything a gateway, a workspace or a file says is untrusted text: a display name, a token name, a
 * server message, a model id, a currency symbol. It reaches a person only through the helper for the
 * surface it lands on, and each helper makes it inert there:
 *
 * - secrets are redacted (a server that echoes a credential does not get it shown);
 * - bidi overrides, zero-width and control characters are removed (no reordered or hidden text);
 * - `[label](target)` link syntax and `$(icon)` syntax are broken with a zero-width space, so a
 *   notification, prompt, picker or status bar shows them as the characters they are;
 * - length is capped with an ellipsis.
 *
 * Markdown and HTML get their own escaping on top. Our own strings (templates, icons, links we mean)
 * are never passed through these helpers' neutralisation, only the untrusted parts.
 */
import { redact } from './redact';

/** Visible-length caps per surface, in characters. */
export const TEXT_LIMITS = {
  /** Tree labels, picker labels, status-bar text. */
  label: 80,
  /** Tree and picker descriptions and details, input-box prompts and titles. */
  description: 160,
  /** A whole notification message. */
  notification: 500,
  /** One value inside a tooltip or report. */
  tooltip: 600,
} as const;

const BIDI_AND_INVISIBLE = /[\u00AD\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF9-\uFFFB]/g;
// C0 and C1 controls, DEL, line and paragraph separators: one space each run (a newline must not start a fake line).
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g;
/** Zero-width space: invisible, and it breaks `](` and `$(` so no renderer sees link or icon syntax. */
const BREAK = '\u200B';
/** Work on at most this much of a hostile string; the output is far shorter anyway. */
const MAX_INPUT = 64 * 1024;

/** Redacted, free of bidi/invisible/control characters, on one line, at most `max` characters. */
export function plainText(value: unknown, max: number = TEXT_LIMITS.description): string {
  let text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  if (text.length > MAX_INPUT) text = text.slice(0, MAX_INPUT);
  text = redact(text).replace(BIDI_AND_INVISIBLE, '').replace(CONTROL, ' ').replace(/ {2,}/g, ' ').trim();
  return cap(text, max);
}

/** Cuts at `max` characters (code points, so no surrogate pair is split), marking the cut with an ellipsis. */
function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('').trimEnd()}…`;
}

/** Breaks link syntax `](` and icon syntax `$(` without changing what a person reads. */
function inert(text: string): string {
  return text.replace(/\]\s*\(/g, `]${BREAK}(`).replace(/\$\s*\(/g, `$${BREAK}(`);
}

/** Tree item labels and descriptions, QuickPick label/description/detail, status-bar text, input-box title/prompt/placeholder. */
export function labelText(value: unknown, max: number = TEXT_LIMITS.label): string {
  return inert(plainText(value, max));
}

/** A notification's whole message (information, warning, error, modal), and its modal detail. */
export function notificationText(value: unknown, max: number = TEXT_LIMITS.notification): string {
  return inert(plainText(value, max));
}

/** Plain-string tooltips (not Markdown). */
export function tooltipText(value: unknown, max: number = TEXT_LIMITS.tooltip): string {
  return inert(plainText(value, max));
}

/**
 * A value inside a MarkdownString (tree and status-bar tooltips): every ASCII punctuation character is
 * backslash-escaped, which CommonMark allows for all of them, so no link, autolink, emphasis, HTML,
 * table cell or heading can form; `$(` stays broken for renderers that support theme icons.
 */
export function markdownText(value: unknown, max: number = TEXT_LIMITS.tooltip): string {
  return plainText(value, max).replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`).replace(/\\\$\\\(/g, `\\$${BREAK}\\(`);
}

/** A value inside HTML (the Verify report webview): plain, then entity-escaped. */
export function htmlText(value: unknown, max: number = TEXT_LIMITS.tooltip): string {
  return plainText(value, max).replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}
