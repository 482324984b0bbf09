import assert from 'node:assert/strict';
import fc from 'fast-check';
import { registerSecret } from '../../src/core/redact';
import { htmlText, labelText, markdownText, notificationText, plainText, TEXT_LIMITS, tooltipText } from '../../src/core/untrustedText';

const ATTACK = `Eve [Sign in again](command:workbench.action.terminal.sendSequence?${encodeURIComponent('{"text":"echo PWNED\\n"}')})`;
/** What VS Code's notification and quick-input renderers treat as a link, and its icon syntax. */
const LINK = /\[[^\]]*\]\((?:https?:|command:|file:)/i;
const ICON = /\$\([a-z0-9-]+(?:~[a-z]+)?\)/i;
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;

describe('untrusted text: one helper per surface', () => {
  it('a notification shows the attack as text: no link survives', () => {
    const out = notificationText(`Signed in to gw as ${ATTACK}.`);
    assert.doesNotMatch(out, LINK);
    // A person still reads the same characters.
    assert.equal(out.replace(/\u200B/g, ''), `Signed in to gw as ${ATTACK}.`);
  });

  it('a label cannot impersonate our own picker items or status-bar icons', () => {
    const out = labelText('$(add) Create a new token…');
    assert.doesNotMatch(out, ICON);
    assert.equal(out.replace(/\u200B/g, ''), '$(add) Create a new token…');
    assert.doesNotMatch(labelText('$ (add) x $(sync~spin)'), ICON);
  });

  it('removes bidi overrides, zero-width and control characters, and keeps one line', () => {
    const out = plainText('abc\u202Egnp.exe\u2066x\u200B\u0007\r\nsecond line\u2028third');
    assert.doesNotMatch(out, BIDI);
    assert.doesNotMatch(out, CONTROL);
    assert.equal(out, 'abcgnp.exex second line third');
  });

  it('caps 10,000-character strings with an ellipsis, per surface', () => {
    const long = 'x'.repeat(10_000);
    assert.equal(Array.from(labelText(long)).length, TEXT_LIMITS.label);
    assert.ok(labelText(long).endsWith('…'));
    assert.equal(Array.from(notificationText(long)).length, TEXT_LIMITS.notification);
    assert.ok(tooltipText(long).length <= TEXT_LIMITS.tooltip);
    // A cut never splits a surrogate pair.
    const emoji = '😀'.repeat(200);
    assert.doesNotMatch(labelText(emoji), /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('redacts secrets a server echoes, on every surface', () => {
    registerSecret('echoed-access-token-123');
    const text = 'bad key sk-test-AbCdEf0123456789XyZw and echoed-access-token-123, Bearer abc.def, session=MTc0x, eyJhbGciOi.eyJzdWIiOi.sig';
    for (const helper of [plainText, labelText, notificationText, tooltipText, markdownText, htmlText]) {
      const out = helper(text, 1000);
      for (const secret of ['AbCdEf0123456789', 'echoed-access-token-123', 'abc.def', 'MTc0x', 'eyJhbGciOi']) {
        assert.ok(!out.replace(/\\/g, '').includes(secret), `${helper.name} leaked ${secret}: ${out}`);
      }
    }
  });

  it('Markdown: no link, autolink, HTML, emphasis or table cell can form', () => {
    const out = markdownText(`${ATTACK} <img src=x> **bold** | cell | https://evil.example $(add)`);
    assert.doesNotMatch(out, /(?<!\\)[[\]()<>*|]/, out);
    assert.doesNotMatch(out, /https:\/\//);
    assert.doesNotMatch(out.replace(/\\/g, ''), ICON);
  });

  it('HTML: entities for every character that could open markup', () => {
    assert.equal(htmlText('<script>alert("x")</script> & \'y\''), '&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#39;y&#39;');
  });

  it('property: random server strings never produce a link, an icon, a bidi or control character on any surface', () => {
    const pieces = fc.constantFrom('[', ']', '(', ')', '$', 'command:', 'https://', 'file:', 'add', ' ', '\u202E', '\u2066', '\n', '\u0000', '\u200B', '~spin', 'x', '\\', '`', '*', '<', '>', '|');
    const hostile = fc.array(fc.oneof(pieces, fc.string()), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(fc.property(hostile, (text) => {
      for (const helper of [labelText, notificationText, tooltipText]) {
        const out = helper(text);
        if (LINK.test(out) || ICON.test(out) || BIDI.test(out) || CONTROL.test(out)) throw new Error(`${helper.name}(${JSON.stringify(text)}) = ${JSON.stringify(out)}`);
      }
      const md = markdownText(text);
      // In Markdown every punctuation character is escaped: an unescaped bracket or paren cannot appear.
      if (/(?<!\\)(?:\\\\)*[[\]()<>]/.test(md.replace(/\\[!-/:-@[-`{-~]/g, ''))) throw new Error(`markdownText(${JSON.stringify(text)}) = ${JSON.stringify(md)}`);
    }), { numRuns: 2000 });
  });
});
