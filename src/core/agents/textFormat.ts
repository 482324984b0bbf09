/**
 * What a user's file looks like, so an edit can keep it: byte-order mark, line endings, indentation.
 * Planners strip the BOM, edit, then restore both BOM and line endings with `restoreFormat`.
 */

export interface TextFormat {
  bom: boolean;
  eol: '\n' | '\r\n';
  /** The file's indentation unit: a tab or N spaces (two when the file has no indented line). */
  indent: string;
  /** Whether the text ended with a line break (an empty or new file counts as yes). */
  finalNewline: boolean;
}

const BOM = '\uFEFF';

export function detectFormat(text: string | undefined): TextFormat {
  const body = text ?? '';
  const crlf = (body.match(/\r\n/g) ?? []).length;
  const lf = (body.match(/(?<!\r)\n/g) ?? []).length;
  return {
    bom: body.startsWith(BOM),
    eol: crlf > lf ? '\r\n' : '\n',
    indent: detectIndent(body),
    finalNewline: body === '' || body.endsWith('\n'),
  };
}

/** The text without its BOM, with `\n` line endings: what planners edit. */
export function normalizeText(text: string | undefined): string {
  return (text ?? '').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
}

/** Puts back the BOM and the line endings of the original. */
export function restoreFormat(text: string, format: TextFormat): string {
  const eol = format.eol === '\r\n' ? text.replace(/\r?\n/g, '\r\n') : text;
  return (format.bom ? BOM : '') + eol;
}

function detectIndent(text: string): string {
  const counts = new Map<string, number>();
  for (const line of linesOutsideBlockComments(text)) {
    const match = /^([ \t]+)\S/.exec(line);
    if (!match) continue;
    const lead = match[1]!;
    const unit = lead.startsWith('\t') ? '\t' : ' '.repeat(Math.min(lead.length, 8));
    counts.set(unit, (counts.get(unit) ?? 0) + 1);
  }
  if (!counts.size) return '  ';
  if (counts.has('\t') && (counts.get('\t') ?? 0) >= Math.max(...[...counts].filter(([u]) => u !== '\t').map(([, n]) => n), 0)) return '\t';
  // The smallest space run that indents something is the unit (deeper lines are multiples of it).
  const spaces = [...counts.keys()].filter((u) => u !== '\t').map((u) => u.length);
  return ' '.repeat(Math.min(...spaces));
}

/**
 * The lines that do not start inside a block comment: the ` * text` lines of a JSONC block comment
 * continue it, they are not indentation (a one-space unit would otherwise win as the smallest).
 */
function linesOutsideBlockComments(text: string): string[] {
  const lines: string[] = [];
  let inComment = false;
  for (const line of text.split(/\r?\n/)) {
    if (!inComment) lines.push(line);
    inComment = endsInBlockComment(line, inComment);
  }
  return lines;
}

/** Whether a block comment is still open at the end of `line`; `"strings"` and `//` comments are skipped over. */
function endsInBlockComment(line: string, startsInComment: boolean): boolean {
  let inComment = startsInComment;
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const pair = line.slice(i, i + 2);
    if (inComment) {
      if (pair === '*/') {
        inComment = false;
        i++;
      }
    } else if (inString) {
      if (line[i] === '\\') i++;
      else if (line[i] === '"') inString = false;
    } else if (pair === '//') {
      return false;
    } else if (pair === '/*') {
      inComment = true;
      i++;
    } else if (line[i] === '"') {
      inString = true;
    }
  }
  return inComment;
}
