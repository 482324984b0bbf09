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
  const title = editing ? `Edit Token "${labelText(ctx.initial?.name, 40)}"` : 'Create Token';
  const state: TokenInput = ctx.initial
    ? { name: ctx.initial.name, group: ctx.initial.group, unlimited: ctx.initial.unlimited, remainQuota: ctx.initial.remainQuota,
        modelLimits: [...ctx.initial.modelLimits], allowIps: [...ctx.initial.allowIps], expiredTime: ctx.initial.expiredTime, crossGroupRetry: ctx.initial.crossGroupRetry }
    : { name: '', group: '', unlimited: true, remainQuota: 0, modelLimits: [], allowIps: [], expiredTime: -1, crossGroupRetry: false };
  const unit = ctx.display.type === 'TOKENS' ? 'tokens' : formatQuota(0, ctx.display).replace(/[\d.,\s]/g, '');

  const steps: ((n: number, total: number) => Promise<StepResult<true>>)[] = [
    async (step, totalSteps) => {
      const name = await input({ title, step, totalSteps, prompt: 'Token name: what it is for, e.g. "codex-laptop"', value: state.name,
        validate: (v) => validateTokenName(v, ctx.flavor) ?? (v.trim() !== ctx.initial?.name && ctx.takenNames.has(v.trim()) ? 'A token with this name exists: pick a unique name.' : undefined) });
      if (typeof name !== 'string') return name;
      state.name = name.trim();
      return true;
    },
    ...(ctx.groups ? [async (step: number, totalSteps: number) => {
      const groups = ctx.groups ?? {};
      const items: Item<string>[] = [
        { label: 'Account default', description: 'the group of your account', value: '' },
        ...Object.entries(groups).map(([name, g]) => ({
          label: labelText(name), description: labelText(typeof g.ratio === 'number' ? `price ×${g.ratio}` : String(g.ratio), TEXT_LIMITS.description),
          detail: g.desc ? labelText(g.desc, TEXT_LIMITS.description) : undefined, value: name })),
      ];
      const picked = await pickOne({ title, step, totalSteps, items, placeholder: 'Group: decides which channels and prices the token uses', active: items.find((i) => i.value === state.group) });
      if (!picked || picked === BACK) return picked;
      state.group = picked.value;
      return true;
    }] : []),
    async (step, totalSteps) => {
      const items: Item<boolean>[] = [
        { label: 'Unlimited', description: 'spends from the account balance without a cap', value: true },
        { label: 'Set a cap…', description: editing && !state.unlimited ? `now ${formatQuota(state.remainQuota, ctx.display)} left` : `in ${unit}`, value: false },
      ];
      const picked = await pickOne({ title, step, totalSteps, items, placeholder: 'Quota: how much this token may spend', active: items[state.unlimited ? 0 : 1] });
      if (!picked || picked === BACK) return picked;
      if (picked.value) {
        state.unlimited = true;
        return true;
      }
      const amount = await input({ title, step, totalSteps, prompt: `Cap in ${unit} (the gateway's display unit)`,
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
      const picked = await pickMany({ title, step, totalSteps, items, placeholder: 'Models: tick the ones this token may use, or none for every model',
        selected: items.filter((i) => state.modelLimits.includes(i.value)) });
      if (!picked || picked === BACK) return picked;
      state.modelLimits = picked.map((i) => i.value);
      return true;
    },
    async (step, totalSteps) => {
      const text = await input({ title, step, totalSteps, prompt: 'IP allowlist: addresses or CIDR ranges, separated by commas. Empty = any address.',
        value: state.allowIps.join(', '), placeholder: 'e.g. 203.0.113.7, 10.0.0.0/8',
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
        ...(editing ? [{ label: 'Keep', description: state.expiredTime === -1 ? 'never expires' : formatDate(state.expiredTime), value: 'keep' as const }] : []),
        { label: 'Never', value: -1 },
        ...[1, 7, 30, 90, 365].map((d) => ({ label: d === 1 ? 'In 1 day' : d === 365 ? 'In 1 year' : `In ${d} days`, description: formatDate(now + d * DAY), value: now + d * DAY })),
        { label: 'On a date…', value: 'date' as const },
      ];
      const picked = await pickOne({ title, step, totalSteps, items, placeholder: 'Expiry' });
      if (!picked || picked === BACK) return picked;
      if (picked.value === 'keep') return true;
      if (picked.value !== 'date') {
        state.expiredTime = picked.value;
        return true;
      }
      const text = await input({ title, step, totalSteps, prompt: 'Expiry date (YYYY-MM-DD): the token stops working at the end of that day',
        validate: (v) => { const r = parseExpiryDate(v); return r.ok ? undefined : r.error; } });
      if (typeof text !== 'string') return text;
      const parsed = parseExpiryDate(text);
      if (!parsed.ok) return BACK;
      state.expiredTime = parsed.seconds;
      return true;
    },
    async (step, totalSteps) => {
      const summary = [
        `Group: ${state.group || 'account default'}`,
        `Quota: ${state.unlimited ? 'unlimited' : formatQuota(state.remainQuota, ctx.display)}`,
        `Models: ${state.modelLimits.length ? state.modelLimits.join(', ') : 'all'}`,
        `IP allowlist: ${state.allowIps.length ? state.allowIps.join(', ') : 'any'}`,
        `Expires: ${state.expiredTime === -1 ? 'never' : formatDate(state.expiredTime)}`,
      ].join(' · ');
      const items: Item<boolean>[] = [{ label: editing ? '$(check) Save changes' : '$(check) Create token', description: labelText(state.name),
        detail: labelText(summary, 2 * TEXT_LIMITS.description), value: true }];
      const picked = await pickOne({ title, step, totalSteps, items, placeholder: 'Check and confirm' });
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
