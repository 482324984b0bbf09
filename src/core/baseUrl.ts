/**
 * Turns whatever a person pastes into the gateway's base URL (the console and Anthropic root, without /v1).
 * Fixes are explained, never silent: the caller shows `notes` to the user.
 */
import * as l10n from '@vscode/l10n';

export interface NormalizedUrl {
  baseUrl: string; // scheme://host[:port][/sub/path], no trailing slash, no /v1
  notes: string[];
  /** Plain http to a host that is not this machine: keys would cross the network in clear text. */
  insecure: boolean;
}

export type NormalizeResult = { ok: true; value: NormalizedUrl } | { ok: false; error: string };

const CONSOLE_PATHS = /\/(console|login|token|tokens|panel|dashboard|pricing|about|setting|settings)(\/.*)?$/i;

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export function normalizeBaseUrl(input: string): NormalizeResult {
  let text = input.trim();
  if (!text) return { ok: false, error: l10n.t('Enter the gateway address, for example https://api.tokaify.com.') };
  const notes: string[] = [];
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    text = `https://${text}`;
    notes.push(l10n.t('No scheme given: using https://.'));
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, error: l10n.t('"{0}" is not a web address.', input.trim()) };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, error: l10n.t('The gateway address must start with https:// (got {0}//).', url.protocol) };
  }
  if (url.username || url.password) {
    return { ok: false, error: l10n.t('Remove the user name and password from the address; you sign in in the next step.') };
  }
  if (url.search || url.hash) notes.push(l10n.t('Removed the query string and fragment, which a gateway address never needs.'));

  let path = url.pathname.replace(/\/+$/, '');
  const v1 = /(\/v1)+$/i.exec(path);
  if (v1) {
    const count = v1[0].length / 3;
    path = path.slice(0, -v1[0].length);
    notes.push(
      count > 1
        ? l10n.t('Removed the repeated "/v1/v1" at the end: it is the classic cause of 404 errors. The extension adds /v1 itself where a tool needs it.')
        : l10n.t('Removed "/v1" at the end: this is the gateway root. The extension adds /v1 for Codex and OpenCode and leaves it out for Claude Code.'),
    );
  }
  const consolePath = CONSOLE_PATHS.exec(path);
  if (consolePath) {
    path = path.slice(0, consolePath.index);
    notes.push(l10n.t('Removed the console page path "{0}": the API lives at the site root.', consolePath[0]));
  }
  const baseUrl = `${url.protocol}//${url.host}${path}`;
  return { ok: true, value: { baseUrl, notes, insecure: url.protocol === 'http:' && !isLoopbackHost(url.hostname) } };
}

/** The OpenAI-compatible base for tools such as Codex and OpenCode. */
export function openAiBase(baseUrl: string): string {
  return `${baseUrl}/v1`;
}

export function hostLabel(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}
