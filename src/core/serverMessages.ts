/**
 * new-api and one-api answer in Chinese or English: many messages are hard-coded Chinese, the translated
 * ones follow our Accept-Language, and a few are English only. We never branch on them, but a message in
 * the language the user does not read first gets a gloss in the one they do, next to the original, so
 * they can act on it: Chinese messages glossed for English users, English messages for Chinese users.
 */
import * as l10n from '@vscode/l10n';
import { prefersChinese } from './locale';

/** One server message as each language sends it (either may be missing), and what it means. */
export interface ServerGloss {
  zh?: RegExp;
  en?: RegExp;
  /** In the user's language (an `l10n.t` result). */
  gloss: string;
}

/**
 * The messages we know, most specific first (the first match wins). Built per call: the glosses are
 * translated, and the bundle is only configured at activation. English patterns are new-api's
 * i18n/locales/en.yaml, Chinese ones its zh-CN.yaml and the hard-coded messages (console-api.md).
 */
function knownMessages(): ServerGloss[] {
  return [
    { zh: /用户名或密码错误/, en: /Username or password is incorrect/i, gloss: l10n.t('wrong user name or password, or the user is banned') },
    { zh: /管理员关闭了密码登录/, en: /Password login has been disabled/i, gloss: l10n.t('the gateway\'s administrator has turned off password sign-in') },
    { zh: /Turnstile token 为空/, gloss: l10n.t('this gateway protects password sign-in with a Turnstile captcha') },
    { zh: /未登录且未提供 access token/, gloss: l10n.t('not signed in and no access token was sent') },
    { zh: /access token 无效/, gloss: l10n.t('the access token is not valid') },
    { zh: /未提供 New-Api-User/, gloss: l10n.t('the user ID is missing') },
    { zh: /New-Api-User 格式错误/, gloss: l10n.t('the user ID is not a number') },
    { zh: /New-Api-User 与登录用户不匹配/, gloss: l10n.t('the user ID does not belong to this access token') },
    { zh: /用户已被封禁/, en: /User has been banned/i, gloss: l10n.t('this user is banned') },
    { zh: /该用户已被禁用/, en: /This user has been disabled/i, gloss: l10n.t('this user is disabled') },
    { zh: /权限不足/, gloss: l10n.t('insufficient permissions') },
    { zh: /验证码或备用码(错误|不正确)/, en: /Verification code or backup code is incorrect/i, gloss: l10n.t('wrong two-factor code or backup code') },
    { zh: /会话已过期/, gloss: l10n.t('the session expired, sign in again') },
    { zh: /您已达到(总)?请求数限制/, en: /You have reached the (total )?request limit/i, gloss: l10n.t('the gateway\'s request limit is reached, try again later') },
    // The two refusals to enable a token come before the plain "expired" and "used up" ones they contain.
    { zh: /令牌已过期，无法启用/, en: /Token has expired and cannot be enabled/i, gloss: l10n.t('the token has expired, so it cannot be enabled') },
    { zh: /令牌可用额度已用尽，无法启用/, en: /Token quota is exhausted and cannot be enabled/i, gloss: l10n.t('the token\'s quota is used up, so it cannot be enabled') },
    { zh: /无效的令牌/, en: /^Invalid token\b/i, gloss: l10n.t('invalid API key') },
    { zh: /该令牌状态不可用/, en: /This token status is unavailable/i, gloss: l10n.t('this key is disabled') },
    { zh: /该令牌已过期/, en: /This token has expired/i, gloss: l10n.t('this key has expired') },
    { zh: /额度已用尽/, en: /token quota is exhausted/i, gloss: l10n.t('this key has used up its quota') },
    { en: /token quota is not enough/i, gloss: l10n.t('the key\'s remaining quota is too low for this request') },
    { zh: /您的 IP 不在令牌允许访问的列表中/, gloss: l10n.t('your IP address is not in this key\'s allowlist') },
    { zh: /用户额度不足/, gloss: l10n.t('the account balance is insufficient') },
    { zh: /无权访问 .* 分组|无权访问该分组/, en: /No permission to access this group/i, gloss: l10n.t('this key\'s group is not available to the user') },
    { zh: /该令牌无权访问任何模型/, en: /This token has no access to any models/i, gloss: l10n.t('this key may not use any model') },
    { zh: /该令牌无权(访问|使用)模型/, en: /This token has no access to model/i, gloss: l10n.t('this key is not allowed to use that model') },
    { zh: /无可用渠道/, en: /No available channel for model/i, gloss: l10n.t('no channel serves this model for the key\'s group') },
    { zh: /令牌名称过长/, en: /Token name is too long/i, gloss: l10n.t('the token name is too long') },
    { zh: /额度值不能为负数/, en: /Quota value cannot be negative/i, gloss: l10n.t('the quota cannot be negative') },
    { zh: /额度值超出有效范围/, en: /Quota value exceeds valid range/i, gloss: l10n.t('the quota is larger than the gateway allows') },
    { zh: /已达到最大令牌数量限制/, en: /maximum number of tokens/i, gloss: l10n.t('the maximum number of tokens is reached') },
    { zh: /无效的参数/, en: /^Invalid parameters/i, gloss: l10n.t('the request\'s parameters are not valid') },
  ];
}

const CJK = /[\u3400-\u9fff]/;

/**
 * The message with a gloss in the user's language when it is in the other one and known: an English
 * user's Chinese message, a Chinese user's English one. `extra` adds glosses a caller knows beyond ours.
 */
export function explainServerMessage(message: string, extra: readonly ServerGloss[] = []): string {
  const chinese = prefersChinese();
  // A Chinese reader needs no gloss of a Chinese message (nor of one that is partly Chinese).
  if (chinese && CJK.test(message)) return message;
  const gloss = [...knownMessages(), ...extra].find((known) => (chinese ? known.en : known.zh)?.test(message))?.gloss;
  return gloss ? l10n.t('{0} ({1})', message, gloss) : message;
}

/**
 * A sentence of ours followed by what the gateway said, glossed: "… The gateway said: "…"." The console's
 * errors name it "the server", as they always have.
 */
export function withServerMessage(sentence: string, serverMessage: string | undefined, speaker: 'gateway' | 'server' = 'gateway'): string {
  if (!serverMessage) return sentence;
  const explained = explainServerMessage(serverMessage);
  return speaker === 'server' ? l10n.t('{0} The server said: "{1}".', sentence, explained) : l10n.t('{0} The gateway said: "{1}".', sentence, explained);
}
