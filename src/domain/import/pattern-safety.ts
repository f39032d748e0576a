/**
 * Mapping patterns (section rows, lines to ignore) are regular expressions typed by users and run
 * on every cell of an import. A repetition inside a repetition — (a+)+, (\s*x)*, (?:a|ab)+\s* —
 * can take exponential time on a line that almost matches, so such patterns are refused with a
 * message; what remains runs in the import worker under its time limit.
 */

const REPEAT = /^(?:[*+]|\{\d+,\d*\})/;
const OPTIONAL = /^(?:\?|\{\d+\}|\{0,1\})/;

/** The index of the `]` closing the character class that opens at `start` (escapes skipped), or the end. */
function endOfClass(source: string, start: number): number {
  let i = start + 1;
  for (; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
  return i;
}

export function patternProblem(source: string): string | null {
  try {
    new RegExp(source, 's');
  } catch {
    return '正規表現として読めません。括弧や記号の対応を確認してください';
  }
  if (/\\[1-9]|\\k</.test(source)) return '後方参照（\\1 など）は使えません';
  // Each open group: whether something inside it repeats.
  const stack: { repeats: boolean }[] = [{ repeats: false }];
  let last: 'atom' | 'group' | null = null;
  let lastGroupRepeats = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      i++;
      last = 'atom';
      continue;
    }
    if (c === '[') {
      i = endOfClass(source, i);
      last = 'atom';
      continue;
    }
    if (c === '(') {
      stack.push({ repeats: false });
      const head = /^\(\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(source.slice(i));
      if (head) i += head[0].length - 1;
      last = null;
      continue;
    }
    if (c === ')') {
      const g = stack.pop() ?? { repeats: false };
      if (stack.length === 0) stack.push({ repeats: false });
      stack[stack.length - 1]!.repeats ||= g.repeats;
      last = 'group';
      lastGroupRepeats = g.repeats;
      continue;
    }
    const rest = source.slice(i);
    const repeat = REPEAT.exec(rest);
    const optional = repeat ? null : OPTIONAL.exec(rest);
    if (repeat || optional) {
      const q = (repeat ?? optional)![0];
      if (repeat && last === 'group' && lastGroupRepeats)
        return '繰り返しの中に繰り返しがある正規表現（(a+)+ など）は、処理が終わらなくなるおそれがあるため使えません';
      if (repeat) stack[stack.length - 1]!.repeats = true;
      i += q.length - 1;
      if (source[i + 1] === '?') i++;
      last = null;
      continue;
    }
    last = c === '|' || c === '^' || c === '$' ? null : 'atom';
  }
  return null;
}
