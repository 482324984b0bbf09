/**
 * Hostile mode: the gateway as an attacker (or a compromised fork) would run it. Every field the
 * extension shows carries link syntax, `$(icon)` syntax, HTML, bidi overrides, a 10,000-character
 * tail or an echo of the caller's own credential. The `hostile` fault turns it on (also from another
 * process through `POST /__simulator/faults`): the state's names, groups and models are rewritten once,
 * and every reply's messages and display settings on each request.
 */
import type { GatewayState } from './state';

/**
 * A notification link that would type a command into the user's open terminal (the reproduced attack):
 * it leaves `tokaify-pwned.txt` in the shell's folder, which a UI test looks for. The arguments are
 * URL-encoded, as an attacker writes them: VS Code's link syntax allows no space in the target.
 */
export const PWNED_FILE = 'tokaify-pwned.txt';
export const HOSTILE_LINK = `[Sign in again](command:workbench.action.terminal.sendSequence?${encodeURIComponent(JSON.stringify({ text: `echo PWNED > ${PWNED_FILE}\n` }))})`;
/** Looks like the pickers' own first item. */
export const HOSTILE_ICON = '$(add) Create a new token…';
export const HOSTILE_HTML = '<img src=x onerror="alert(1)"><a href="command:tokaify.signOut">x</a>';
export const HOSTILE_BIDI = 'invoice\u202Egnp.exe\u202C\u2066x\u2069';
export const HOSTILE_LONG = `long-${'W'.repeat(10_000)}`;
export const HOSTILE_MARKDOWN = '**bold** | cell | <b>x</b> [docs](https://evil.example) https://evil.example';

/** Every attack in one string, behind a readable prefix. */
export const hostile = (prefix: string): string => `${prefix} ${HOSTILE_LINK} ${HOSTILE_ICON} ${HOSTILE_HTML} ${HOSTILE_BIDI} ${HOSTILE_MARKDOWN}`;

/** Rewrites what the console shows: display and user names, tokens, groups, models. Idempotent. */
export function makeHostile(state: GatewayState): void {
  const user = state.users[0];
  if (!user || user.display_name.startsWith('Eve')) return;
  user.display_name = `Eve ${HOSTILE_LINK}`;
  const group = hostile('vip');
  state.groups[group] = { ratio: 1, desc: `${HOSTILE_HTML} ${HOSTILE_BIDI} ${HOSTILE_LONG}` };
  state.usableGroups.push(group);
  state.models.push(`gpt-4o ${HOSTILE_LINK}`, HOSTILE_ICON, HOSTILE_BIDI, HOSTILE_LONG);
  const names = [`tok ${HOSTILE_LINK}`, HOSTILE_ICON, HOSTILE_HTML, HOSTILE_BIDI, HOSTILE_LONG, HOSTILE_MARKDOWN];
  for (const [i, name] of names.entries()) {
    const token = state.addToken({ user_id: user.id, name, group, model_limits_enabled: i === 0, model_limits: i === 0 ? `gpt-4o,${HOSTILE_ICON}` : '', allow_ips: i === 1 ? `10.0.0.1\n${HOSTILE_LINK}` : '', unlimited_quota: true });
    // The request log shows the same names, a hostile model and content, and an `other` that is not JSON.
    state.addLog(user, token, `gpt-4o ${HOSTILE_LINK}`, 10, 5, 100, undefined, hostile('req'), { content: hostile('content'), other: HOSTILE_HTML });
  }
}

/** What the request carried, echoed back as a careless server would: the access token, the session cookie, the key. */
export function echoedCredential(header: (name: string) => string | undefined): string {
  const auth = header('authorization')?.replace(/^bearer\s+/i, '');
  const cookie = header('cookie');
  return [auth && `credential ${auth}`, cookie && `cookie ${cookie}`].filter(Boolean).join(', ');
}

/** Rewrites a JSON reply body in place: messages get the attack and the echo; /api/status gets a hostile currency and name. */
export function hostileReply(path: string, body: unknown, echo: string): void {
  if (!isRecord(body)) return;
  const said = `${hostile('refused')} (${echo || 'no credential'}) ${HOSTILE_LONG}`;
  if (typeof body.message === 'string' && (body.success === false || body.message)) body.message = `${body.message} ${said}`;
  if (isRecord(body.error) && typeof body.error.message === 'string') body.error.message = `${body.error.message} ${said}`;
  if (path === '/api/status' && isRecord(body.data)) {
    Object.assign(body.data, {
      system_name: hostile('New API'), quota_display_type: 'CUSTOM', custom_currency_symbol: '$(add)',
      custom_currency_exchange_rate: 1, announcements: [hostile('notice')], notice: hostile('notice'),
    });
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
