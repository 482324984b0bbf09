// The extension in 简体中文: code-server runs with --locale zh-cn (a stub language pack declares the
// language offline), and a user signed in to the demo gateway sees Chinese in the view's title, the
// tree, the status bar, the command palette, a notification and the Verify report. Expected texts are
// read from the shipped translations, so a key that falls back to English fails here.
import fs from 'node:fs';
import path from 'node:path';
import { REPO, openViewContainer, runCommand } from '../host/codeserver.mjs';
import { DEMO, treeRow, webviewFrame } from './flows.mjs';

const bundle = JSON.parse(fs.readFileSync(path.join(REPO, 'l10n/bundle.l10n.zh-cn.json'), 'utf8'));
const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.nls.zh-cn.json'), 'utf8'));
/** The Chinese for an English message, with placeholders filled: it must exist, or the test is wrong. */
const zh = (english, ...args) => {
  const text = bundle[english];
  if (typeof text !== 'string') throw new Error(`no zh-CN entry for ${JSON.stringify(english)}`);
  return text.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)]));
};
const CJK = /[\u4e00-\u9fff]/;

export async function setup({ gatewayUrl }) {
  return {
    locale: 'zh-cn',
    env: { TOKAIFY_AUTO_SIGNIN_URL: gatewayUrl, TOKAIFY_AUTO_SIGNIN_USER_ID: DEMO.userId, TOKAIFY_AUTO_SIGNIN_ACCESS_TOKEN: DEMO.accessToken },
  };
}

export default async function zhCn({ page, check, shot }) {
  const signedIn = await check('the view is "令牌管理" and the tree reads in Chinese: the balance row, the tokens', async () => {
    await openViewContainer(page, 'Tokaify');
    // One view in the container: its name is in the sidebar's title ("Tokaify: 令牌管理").
    await page.locator('.part.sidebar .title', { hasText: manifest['views.tokaify.tokens.name'] }).first().waitFor();
    await treeRow(page, 'demo').waitFor({ timeout: 60_000 });
    const balance = zh('Balance {0}', 'XXX').split('XXX')[0].trim();
    await page.locator('.pane-body .monaco-list-row', { hasText: balance }).first().waitFor();
    await shot('1-tree');
  });
  if (!signedIn) return;

  await check('the status bar item says what a click does, in Chinese', async () => {
    const item = page.locator('.statusbar-item', { hasText: 'Tokaify: $' }).first();
    await item.waitFor();
    const label = (await item.getAttribute('aria-label')) ?? '';
    const clickToVerify = zh('{0}. Click to verify the setup.', '').trim();
    if (!label.includes(clickToVerify)) throw new Error(`aria-label is ${JSON.stringify(label)}, expected it to end with ${JSON.stringify(clickToVerify)}`);
  });

  await check('a command found by its Chinese title in the palette, and its notification in Chinese', async () => {
    await treeRow(page, 'demo').click();
    await runCommand(page, `Tokaify: ${manifest['command.copyConnectionString.title']}`);
    const toast = page.locator('.notification-toast', { hasText: zh('Copied the connection string of "{0}" to the clipboard.', 'demo') }).first();
    // The tree's selection reaches the extension host a moment after the click; when the command starts before
    // it, the command asks which token (in Chinese too), and a person picks "demo" there.
    const picker = page.locator('.quick-input-widget .monaco-list-row', { has: page.locator('.label-name', { hasText: /^demo$/ }) }).first();
    // The loser's wait is left to time out quietly (caught), never as an unhandled rejection.
    if (await Promise.race([toast.waitFor().then(() => false), picker.waitFor().then(() => true, () => false)])) await picker.click();
    await toast.waitFor();
    await shot('2-notification');
  });

  await check('Verify (验证配置) asks in Chinese and shows its report in Chinese', async () => {
    await runCommand(page, `Tokaify: ${manifest['command.verify.title']}`);
    const title = zh('Tokaify: Verify Setup');
    const deadline = Date.now() + 60_000;
    let report;
    while (!report) {
      // Without a configured agent it asks which token to check first.
      const question = page.locator('.quick-input-widget .monaco-list-row', { hasText: /^demo/ }).first();
      if (await question.isVisible().catch(() => false)) {
        const prompt = await page.locator('.quick-input-widget').first().innerText();
        if (!CJK.test(prompt)) throw new Error(`the token question is not in Chinese: ${JSON.stringify(prompt.slice(0, 200))}`);
        await question.click();
      }
      report = await webviewFrame(page, title, 2_000).catch(() => undefined);
      if (!report && Date.now() > deadline) throw new Error(`no report headed ${JSON.stringify(title)}`);
    }
    await report.locator('.finding').first().waitFor({ timeout: 60_000 });
    const findings = await report.locator('.finding h2').allInnerTexts();
    const english = findings.filter((text) => !CJK.test(text));
    if (!findings.length || english.length) throw new Error(`findings not in Chinese: ${JSON.stringify(english.length ? english : findings)}`);
    if ((await report.locator('html').getAttribute('lang')) !== 'zh-CN') throw new Error('the report\'s <html lang> is not zh-CN');
    await shot('3-verify');
  });
}
