/**
 * new-api and one-api return many messages in Chinese only. We never branch on them, but we show a
 * person an English gloss next to the original so they can act on it.
 */
const GLOSSES: [RegExp, string][] = [
  [/用户名或密码错误/, 'wrong user name or password, or the user is banned'],
  [/Turnstile token 为空/, 'this gateway protects password sign-in with a Turnstile captcha'],
  [/未登录且未提供 access token/, 'not signed in and no access token was sent'],
  [/access token 无效/, 'the access token is not valid'],
  [/未提供 New-Api-User/, 'the user ID is missing'],
  [/New-Api-User 格式错误/, 'the user ID is not a number'],
  [/New-Api-User 与登录用户不匹配/, 'the user ID does not belong to this access token'],
  [/用户已被封禁/, 'this user is banned'],
  [/权限不足/, 'insufficient permissions'],
  [/验证码或备用码错误/, 'wrong two-factor code or backup code'],
  [/会话已过期/, 'the session expired, sign in again'],
  [/无效的令牌/, 'invalid API key'],
  [/该令牌状态不可用/, 'this key is disabled'],
  [/该令牌已过期/, 'this key has expired'],
  [/额度已用尽/, 'this key has used up its quota'],
  [/您的 IP 不在令牌允许访问的列表中/, 'your IP address is not in this key\'s allowlist'],
  [/用户额度不足/, 'the account balance is insufficient'],
  [/无权访问 .* 分组/, 'this key\'s group is not available to the user'],
  [/该令牌无权(访问|使用)模型/, 'this key is not allowed to use that model'],
  [/令牌已过期，无法启用/, 'the token has expired, so it cannot be enabled'],
  [/令牌可用额度已用尽，无法启用/, 'the token\'s quota is used up, so it cannot be enabled'],
  [/令牌名称过长/, 'the token name is too long'],
  [/额度值不能为负数/, 'the quota cannot be negative'],
  [/已达到最大令牌数量限制/, 'the maximum number of tokens is reached'],
];

export function explainServerMessage(message: string): string {
  const gloss = GLOSSES.find(([pattern]) => pattern.test(message))?.[1];
  return gloss ? `${message} (${gloss})` : message;
}
