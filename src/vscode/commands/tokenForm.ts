import * as vscode from 'vscode';
import { formatQuota, toQuota, type QuotaDisplay } from '../../core/quota';
import type { UserGroups } from '../../core/schemas';
import { formatDate } from '../../core/tokenFormat';
import type { Token, TokenInput } from '../../core/tokenModel';
import { labelText, TEXT_LIMITS } from '../../core/untrustedText';
import { parseExpiryDate, parseIpAllowlist, parseQuotaAmount, validateTokenName } from '../../core/tokenValidation';
import { BACK, input, pickMany, pickOne, type StepResult } from '../multiStep';

export interface TokenFormContext {
  flavor: 'new-api' | 'one-api';
  display: QuotaDisplay;
  /** Undefined when the gateway has no groups route (one-api). */
  groups?: UserGroups;
  models: readonly string[];
  /** Names in use, so a new token's name is unique (new-api's create does not return the id; we find it by name). */
  takenNames: ReadonlySet<string>;
  initial?: Token;
}

type Item<T> = vscode.QuickPickItem & { value: T };
const DAY = 86_400;

/** Create or edit a token: name, group, quota, models, IP allowlist, expiry, then a summary. */
export async function runTokenForm(ctx: TokenFormContext): Promise<TokenInput | undefined> {
  const editing = !!ctx.initial;
  const title = editing ? vscode.l10n.t('Edit Token "{0}"', labelText(ctx.initial?.name, 40)) : vscode.l10n.t('Create Token');
  const state: TokenInput = ctx.initial
    ? { name: ctx.initial.name, group: ctx.initial.group, unlimited: ctx.initial.unlimited, remainQuota: ctx.initial.remainQuota,
        modelLimits: [...ctx.initial.modelLimits], allowIps: [...ctx.initial.allowIps], expiredTime: ctx.initial.expiredTime, crossGroupRetry: ctx.initial.crossGroupRetry }
    : { name: '', group: '', unlimited: true, remainQuota: 0, modelLimits: [], allowIps: [], expiredTime: -1, crossGroupRetry: false };
  // The currency symbol of the gateway's display unit; amounts in plain tokens have their own sentences.
  const inTokens = ctx.display.type === 'TOKENS';
  const symbol = formatQuota(0, ctx.display).replace(/[\d.,\s]/g, '');

  const steps: ((n: number, total: number) => Promise<StepResult<true>>)[] = [
    async (step, totalSteps) => {
      const name = await input({ title, step, totalSteps, prompt: vscode.l10n.t('Token name: what it is for, e.g. "codex-laptop"'), value: state.name,
        validate: (v) => validateTokenName(v, ctx.flavor)
          ?? (v.trim() !== ctx.initial?.name && ctx.takenNames.has(v.trim()) ? vscode.l10n.t('A token with this name exists: pick a unique name.') : undefined) });
      if (typeof name !== 'string') return name;
      state.name = name.trim();
      return true;
    },
    ...(ctx.groups ? [async (step: number, totalSteps: number) => {
      const groups = ctx.groups ?? {};
      const items: Item<string>[] = [
        { label: vscode.l10n.t('Account default'), description: vscode.l10n.t('the group of your account'), value: '' },
        ...Object.entries(groups).map(([name, g]) => ({
          label: labelText(name), description: labelText(typeof g.ratio === 'number' ? vscode.l10n.t('price ×{0}', g.ratio) : String(g.ratio), TEXT_LIMITS.description),
          detail: g.desc ? labelText(g.desc, TEXT_LIMITS.description) : undefined, value: name })),
      ];
      const picked = await pickOne({
        title, step, totalSteps, items, placeholder: vscode.l10n.t('Group: decides which channels and prices the token uses'), active: items.find((i) => i.value === state.group),
      });
      if (!picked || picked === BACK) return picked;
      state.group = picked.value;
      return true;
    }] : []),
    async (step, totalSteps) => {
      const items: Item<boolean>[] = [
        { label: vscode.l10n.t('Unlimited'), description: vscode.l10n.t('spends from the account balance without a cap'), value: true },
        {
          label: vscode.l10n.t('Set a cap…'),
          description: editing && !state.unlimited ? vscode.l10n.t('now {0} left', formatQuota(state.remainQuota, ctx.display))
            : inTokens ? vscode.l10n.t('in tokens') : vscode.l10n.t('in {0}', symbol),
          value: false,
        },
      ];
      const picked = await pickOne({ title, step, totalSteps, items, placeholder: vscode.l10n.t('Quota: how much this token may spend'), active: items[state.unlimited ? 0 : 1] });
      if (!picked || picked === BACK) return picked;
      if (picked.value) {
        state.unlimited = true;
        return true;
      }
      const amount = await input({ title, step, totalSteps,
        prompt: inTokens ? vscode.l10n.t('Cap in tokens (the gateway\'s display unit)') : vscode.l10n.t('Cap in {0} (the gateway\'s display unit)', symbol),
        value: state.unlimited ? '' : formatQuota(state.remainQuota, ctx.display).replace(/[^\d.]/g, ''),
        validate: (v) => { const r = parseQuotaAmount(v); return r.ok ? undefined : r.error; } });
      if (typeof amount !== 'string') return amount;
      const parsed = parseQuotaAmount(amount);
      if (!parsed.ok) return BACK;
      state.unlimited = false;
      state.remainQuota = toQuota(parsed.amount, ctx.display);
      return true;
    },
    async (step, totalSteps) => {
      const names = [...new Set([...ctx.models, ...state.modelLimits])].sort();
      const items: Item<string>[] = names.map((m) => ({ label: labelText(m), value: m }));
      const picked = await pickMany({ title, step, totalSteps, items, placeholder: vscode.l10n.t('Models: tick the ones this token may use, or none for every model'),
        selected: items.filter((i) => state.modelLimits.includes(i.value)) });
      if (!picked || picked === BACK) return picked;
      state.modelLimits = picked.map((i) => i.value);
      return true;
    },
    async (step, totalSteps) => {
      const text = await input({ title, step, totalSteps, prompt: vscode.l10n.t('IP allowlist: addresses or CIDR ranges, separated by commas. Empty = any address.'),
        value: state.allowIps.join(', '), placeholder: vscode.l10n.t('e.g. {0}', '203.0.113.7, 10.0.0.0/8'),
        validate: (v) => { const r = parseIpAllowlist(v); return r.ok ? undefined : r.error; } });
      if (typeof text !== 'string') return text;
      const parsed = parseIpAllowlist(text);
      if (!parsed.ok) return BACK;
      state.allowIps = parsed.entries;
      return true;
    },
    async (step, totalSteps) => {
      const now = Math.floor(Date.now() / 1000);
      const items: Item<number | 'date' | 'keep'>[] = [
        ...(editing ? [{ label: vscode.l10n.t('Keep'), description: state.expiredTime === -1 ? vscode.l10n.t('never expires') : formatDate(state.expiredTime), value: 'keep' as const }] : []),
        { label: vscode.l10n.t('Never'), value: -1 },
        ...[1, 7, 30, 90, 365].map((d) => ({
          label: d === 1 ? vscode.l10n.t('In 1 day') : d === 365 ? vscode.l10n.t('In 1 year') : vscode.l10n.t('In {0} days', d), description: formatDate(now + d * DAY), value: now + d * DAY,
        })),
        { label: vscode.l10n.t('On a date…'), value: 'date' as const },
      ];
      const picked = await pickOne({ title, step, totalSteps, items, placeholder: vscode.l10n.t('Expiry') });
      if (!picked || picked === BACK) return picked;
      if (picked.value === 'keep') return true;
      if (picked.value !== 'date') {
        state.expiredTime = picked.value;
        return true;
      }
      const text = await input({ title, step, totalSteps, prompt: vscode.l10n.t('Expiry date (YYYY-MM-DD): the token stops working at the end of that day'),
        validate: (v) => { const r = parseExpiryDate(v); return r.ok ? undefined : r.error; } });
      if (typeof text !== 'string') return text;
      const parsed = parseExpiryDate(text);
      if (!parsed.ok) return BACK;
      state.expiredTime = parsed.seconds;
      return true;
    },
    async (step, totalSteps) => {
      // One phrase per case, so no translated word is slotted into another sentence.
      const summary = [
        state.group ? vscode.l10n.t('Group: {0}', state.group) : vscode.l10n.t('Group: account default'),
        state.unlimited ? vscode.l10n.t('Quota: unlimited') : vscode.l10n.t('Quota: {0}', formatQuota(state.remainQuota, ctx.display)),
        state.modelLimits.length ? vscode.l10n.t('Models: {0}', state.modelLimits.join(', ')) : vscode.l10n.t('Models: all'),
        state.allowIps.length ? vscode.l10n.t('IP allowlist: {0}', state.allowIps.join(', ')) : vscode.l10n.t('IP allowlist: any'),
        state.expiredTime === -1 ? vscode.l10n.t('Expires: never') : vscode.l10n.t('Expires: {0}', formatDate(state.expiredTime)),
      ].join(' · ');
      const items: Item<boolean>[] = [{
        label: `$(check) ${editing ? vscode.l10n.t('Save changes') : vscode.l10n.t('Create token')}`, description: labelText(state.name),
        detail: labelText(summary, 2 * TEXT_LIMITS.description), value: true,
      }];
      const picked = await pickOne({ title, step, totalSteps, items, placeholder: vscode.l10n.t('Check and confirm') });
      if (!picked || picked === BACK) return picked;
      return true;
    },
  ];

  for (let index = 0; index < steps.length; ) {
    const result = await steps[index]!(index + 1, steps.length);
    if (result === undefined) return undefined;
    index = result === BACK ? Math.max(0, index - 1) : index + 1;
  }
  return state;
}
