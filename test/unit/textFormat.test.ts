import assert from 'node:assert/strict';
import { detectFormat } from '../../src/core/agents/textFormat';

describe('text format detection', () => {
  it('does not take the continuation lines of a block comment for a one-space indentation', () => {
    const text = '/*\n * Gateway settings\n * for the team\n */\n{\n  "a": {\n    "b": 1\n  }\n}\n';
    assert.equal(detectFormat(text).indent, '  ');
  });

  it('measures the lines after a block comment closes, and a comment closed on its own line', () => {
    assert.equal(detectFormat('{\n    /* one\n     * two */\n    "a": 1\n}\n').indent, '    ');
    assert.equal(detectFormat('{\n\t/** doc\n\t * more\n\t */\n\t"a": 1\n}\n').indent, '\t');
  });

  it('ignores "/*" inside strings and after "//"', () => {
    assert.equal(detectFormat('{\n   "glob": "src/*",\n   "b": 1\n}\n').indent, '   ');
    assert.equal(detectFormat('{\n  // a /* b\n  "c": 1\n}\n').indent, '  ');
    assert.equal(detectFormat('{\n  "q": "say \\"/*\\"",\n  "c": 1\n}\n').indent, '  ');
  });

  it('still finds one-space indentation in code', () => {
    assert.equal(detectFormat('{\n "a": 1\n}\n').indent, ' ');
  });
});
