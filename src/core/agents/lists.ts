/**
 * Lists that go inside a translated sentence. English keeps the wording it always had ("a, b and c");
 * Chinese enumerates with 、, which needs no spaces around the paths and identifiers these lists hold.
 */
import { prefersChinese } from '../locale';

/** "a, b and c" / "a、b、c". */
export function listAnd(items: readonly string[]): string {
  if (prefersChinese()) return items.join('、');
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "a, b, c" / "a、b、c". */
export function listComma(items: readonly string[]): string {
  return items.join(prefersChinese() ? '、' : ', ');
}
