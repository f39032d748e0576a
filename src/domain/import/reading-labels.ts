import type { NameMatch } from './read.js';

/** How a department name as written was matched, in the words of the preview and the command line. */
export const NAME_KIND_LABELS: Record<NameMatch['kind'], string> = {
  known: '登録済み',
  variant: '表記ゆれ',
  near: '似た名前',
  group: 'まとめの語（担当課なし）',
  new: '登録されていない課',
};

/** A whole-line move in words: 「右へ1列」. */
export function shiftText(shift: number): string {
  return `${shift > 0 ? '右' : '左'}へ${Math.abs(shift)}列`;
}

/** What a name as written becomes: the department meant (the user's reading first), none, or a new department. */
export function nameOutcome(n: NameMatch, accepted?: string): string {
  const meant = accepted ?? n.meant;
  if (meant === '' || (meant === null && n.kind === 'group')) return '担当課なし（まとめの語）';
  if (meant === null || (n.kind === 'new' && meant === n.written)) return '新しい課として登録';
  return `「${meant}」`;
}
