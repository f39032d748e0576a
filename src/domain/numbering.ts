/**
 * Numbering styles for plan hierarchy levels. Municipal plans number their levels in many ways
 * (Ⅰ, (1), ①, 1, 1-1); the style and whether it restarts under each parent are plan data.
 */
export const NUMBERING_STYLES = ['roman', 'paren', 'circled', 'arabic', 'hyphen', 'none'] as const;
export type NumberingStyle = (typeof NUMBERING_STYLES)[number];

export const NUMBERING_SCOPES = ['parent', 'plan'] as const;
/** parent: numbers restart under each parent; plan: numbers run through the whole plan */
export type NumberingScope = (typeof NUMBERING_SCOPES)[number];

export const NUMBERING_STYLE_LABELS: Record<NumberingStyle, string> = {
  roman: 'Ⅰ, Ⅱ, Ⅲ',
  paren: '(1), (2), (3)',
  circled: '①, ②, ③',
  arabic: '1, 2, 3',
  hyphen: '1-1, 1-2（上位の番号-連番）',
  none: '番号なし',
};

const ROMAN = ['Ⅰ', 'Ⅱ', 'Ⅲ', 'Ⅳ', 'Ⅴ', 'Ⅵ', 'Ⅶ', 'Ⅷ', 'Ⅸ', 'Ⅹ', 'Ⅺ', 'Ⅻ'];

function toRoman(n: number): string {
  if (n >= 1 && n <= ROMAN.length) return ROMAN[n - 1]!;
  const table: [number, string][] = [
    [1000, 'M'],
    [900, 'CM'],
    [500, 'D'],
    [400, 'CD'],
    [100, 'C'],
    [90, 'XC'],
    [50, 'L'],
    [40, 'XL'],
    [10, 'X'],
    [9, 'IX'],
    [5, 'V'],
    [4, 'IV'],
    [1, 'I'],
  ];
  let rest = n;
  let out = '';
  for (const [value, sym] of table) {
    while (rest >= value) {
      out += sym;
      rest -= value;
    }
  }
  return out;
}

function toCircled(n: number): string {
  if (n >= 1 && n <= 20) return String.fromCharCode(0x2460 + n - 1);
  if (n >= 21 && n <= 35) return String.fromCharCode(0x3251 + n - 21);
  if (n >= 36 && n <= 50) return String.fromCharCode(0x32b1 + n - 36);
  return `(${n})`;
}

/**
 * The printed number of a node. `ordinal` is 1-based within the numbering scope; `parentNumber`
 * is the parent's printed number (used by the hyphen style, 1-1).
 */
export function formatNumber(style: NumberingStyle, ordinal: number, parentNumber = ''): string {
  switch (style) {
    case 'roman':
      return toRoman(ordinal);
    case 'paren':
      return `(${ordinal})`;
    case 'circled':
      return toCircled(ordinal);
    case 'arabic':
      return String(ordinal);
    case 'hyphen': {
      const base = parentNumber.replace(/[^0-9A-Za-z\-Ⅰ-Ⅻ]/g, '');
      return base ? `${base}-${ordinal}` : String(ordinal);
    }
    case 'none':
      return '';
  }
}

export interface NumberableNode {
  id: number;
  parentId: number | null;
  depth: number;
  position: number;
  numberOverride: string | null;
  /** false: an explicit number appended without taking a place in the count (no renumbering after it) */
  countsInNumbering?: boolean;
}

export interface LevelNumbering {
  style: NumberingStyle;
  scope: NumberingScope;
}

/**
 * Computes printed numbers for a whole tree at once: siblings are ordered by position and a
 * plan-scoped level counts in tree (pre-)order. An explicit override replaces the computed number
 * but still counts as one ordinal, as in printed plans where a single item was renumbered.
 */
export function numberTree<T extends NumberableNode>(
  nodes: readonly T[],
  levels: readonly LevelNumbering[],
): Map<number, string> {
  const children = new Map<number | null, T[]>();
  for (const node of nodes) {
    const list = children.get(node.parentId) ?? [];
    list.push(node);
    children.set(node.parentId, list);
  }
  for (const list of children.values()) list.sort((a, b) => a.position - b.position || a.id - b.id);

  const result = new Map<number, string>();
  const planCounters = levels.map(() => 0);
  const walk = (parentId: number | null, parentNumber: string) => {
    let ordinal = 0;
    for (const node of children.get(parentId) ?? []) {
      const level = levels[node.depth] ?? { style: 'none', scope: 'parent' };
      if (node.numberOverride !== null && node.countsInNumbering === false) {
        result.set(node.id, node.numberOverride);
        walk(node.id, node.numberOverride);
        continue;
      }
      ordinal++;
      let n = ordinal;
      if (level.scope === 'plan') n = ++planCounters[node.depth]!;
      const number = node.numberOverride ?? formatNumber(level.style, n, parentNumber);
      result.set(node.id, number);
      walk(node.id, number);
    }
  };
  walk(null, '');
  return result;
}

/**
 * The numbers of one fiscal year: those frozen for it (once its answers were approved or published)
 * stand; nodes without a frozen number are numbered from the year's tree.
 */
export function numbersForYear<T extends NumberableNode>(
  nodes: readonly T[],
  levels: readonly LevelNumbering[],
  frozen: ReadonlyMap<number, string>,
): Map<number, string> {
  const live = numberTree(nodes, levels);
  for (const [id, number] of frozen) if (live.has(id)) live.set(id, number);
  return live;
}

/**
 * The number that follows the last one of a level, for appending a node without renumbering the
 * ones after it: the largest ordinal in use at that level (in the parent for parent-scoped levels),
 * plus one.
 */
export function nextNumber(
  numbers: ReadonlyMap<number, string>,
  peers: readonly { id: number }[],
  level: LevelNumbering,
  parentNumber = '',
): string {
  let max = 0;
  for (const p of peers) {
    const printed = numbers.get(p.id) ?? '';
    const last = level.style === 'hyphen' ? (printed.split('-').pop() ?? '') : printed;
    max = Math.max(max, ordinalOf(last) ?? 0);
  }
  return formatNumber(level.style, max + 1, parentNumber);
}

const ASCII_ROMAN: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100 };

/** The ordinal a printed number stands for: (2) → 2, ② → 2, Ⅱ → 2, II → 2, 12 → 12; null otherwise. */
export function ordinalOf(printed: string): number | null {
  const text = printed
    .trim()
    .replace(/^[(（]\s*|\s*[)）]$/g, '')
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (/^\d+$/.test(text)) return Number(text);
  const roman = ROMAN.indexOf(text);
  if (roman >= 0) return roman + 1;
  const code = text.length === 1 ? text.charCodeAt(0) : 0;
  if (code >= 0x2460 && code <= 0x2473) return code - 0x2460 + 1;
  if (code >= 0x3251 && code <= 0x325f) return code - 0x3251 + 21;
  if (code >= 0x32b1 && code <= 0x32bf) return code - 0x32b1 + 36;
  if (/^[IVXLC]+$/.test(text)) {
    let total = 0;
    for (let i = 0; i < text.length; i++) {
      const v = ASCII_ROMAN[text[i]!]!;
      const next = ASCII_ROMAN[text[i + 1] ?? ''] ?? 0;
      total += v < next ? -v : v;
    }
    return total;
  }
  return null;
}
