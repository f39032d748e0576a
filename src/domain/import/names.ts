import type { ImportRow } from './mapping.js';
import type { DepartmentMention } from './departments.js';

/**
 * Department names as a report writes them, matched to the municipality's departments and to each
 * other: the same name in another glyph (「人権・同和对策室」, an extraction's simplified 对) is the
 * same department; a group word (関係各課, 全庁) names none; a name written once, one character from a
 * name the document or the municipality uses, is probably that one — flagged for the user, never
 * merged without asking; a name the municipality does not have is new.
 */

export interface NameMatch {
  written: string;
  /** the department meant; null: a new one, or none for a group word */
  meant: string | null;
  kind: 'known' | 'variant' | 'near' | 'group' | 'new';
  lines: number[];
}

/** Glyphs an extraction or a typist puts for the ones a department's name is registered with. */
const VARIANTS: Record<string, string> = {
  对: '対',
  髙: '高',
  﨑: '崎',
  德: '徳',
  濵: '浜',
  邊: '辺',
  邉: '辺',
  齋: '斎',
  齊: '斉',
  澤: '沢',
  櫻: '桜',
  國: '国',
  會: '会',
  圖: '図',
  體: '体',
  關: '関',
  廣: '広',
  觀: '観',
  發: '発',
  课: '課',
  设: '設',
  员: '員',
  务: '務',
  厅: '庁',
};

/** A name compared: NFKC, variants, no spaces or brackets' notes. */
export function normaliseName(name: string): string {
  const known = normalised.get(name);
  if (known !== undefined) return known;
  const out = name
    .normalize('NFKC')
    .replace(/[\s\u3000]+/g, '')
    .replace(/./gu, (c) => VARIANTS[c] ?? c);
  // A file names the same departments and words over and over: each is normalised once (up to a bound).
  if (normalised.size >= 10_000) normalised.clear();
  normalised.set(name, out);
  return out;
}
const normalised = new Map<string, string>();

const GROUP = /^[(（]?(関係各課|関係課|関係各部署|関係部署|関係部局|各課|各部局|全庁|全課|全部署|庁内各課)[)）]?$/;

/** 「関係各課」「（全庁）」: words for many departments, not a department. */
export const isGroupWord = (name: string) => GROUP.test(normaliseName(name));

const SAME_AS = /^(.+?(?:課|室|所|館|センター|局|部|委員会))(?:回答)?に同じ[。.]?$/;

/** 「地域支援課に同じ。」: the department whose answer this one repeats. */
export function sameAsIn(text: string | undefined): string | null {
  const m = SAME_AS.exec((text ?? '').trim());
  return m ? m[1]!.trim() : null;
}

function oneApart(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && ++diff > 1) return false;
  return true;
}

/**
 * Reads the rows' department names against the municipality's (`known`) and the user's decisions
 * (`decided`: written → meant, '' for none). Rows are rewritten in place: variants become the name
 * meant, group words leave the departments (kept on the row as a note), near names are flagged.
 */
export function matchNames(
  rows: ImportRow[],
  known: readonly string[],
  decided: Readonly<Record<string, string>> = {},
): NameMatch[] {
  const count = new Map<string, number>();
  for (const r of rows) for (const d of r.departments) count.set(d.name, (count.get(d.name) ?? 0) + 1);
  const byNormal = new Map<string, string>();
  // The registered name first, then the form the document uses most.
  // As often written: the form in registered glyphs (対, not an extraction's 对) first.
  const plainForm = (n: string) => (normaliseName(n) === n.replace(/[\s\u3000]+/g, '').normalize('NFKC') ? 0 : 1);
  for (const name of [...count.keys()].sort((a, b) => count.get(b)! - count.get(a)! || plainForm(a) - plainForm(b)))
    if (!byNormal.has(normaliseName(name))) byNormal.set(normaliseName(name), name);
  for (const name of known) byNormal.set(normaliseName(name), name);
  const matches = new Map<string, NameMatch>();
  const note = (written: string, meant: string | null, kind: NameMatch['kind'], line: number) => {
    const m = matches.get(written) ?? { written, meant, kind, lines: [] };
    m.lines.push(line);
    matches.set(written, m);
  };
  const frequent = [...new Set([...known, ...[...count].filter(([, n]) => n >= 2).map(([name]) => name)])];
  /** One name as written: the mention kept (perhaps renamed), or null for a group word. */
  const resolve = (row: ImportRow, d: DepartmentMention): DepartmentMention | null => {
    const written = d.name;
    if (written in decided) {
      const meant = decided[written]!;
      note(written, meant || null, meant === '' ? 'group' : known.includes(meant) ? 'known' : 'new', row.line);
      return meant === '' ? null : { ...d, name: meant };
    }
    if (isGroupWord(written)) {
      note(written, null, 'group', row.line);
      return null;
    }
    const same = byNormal.get(normaliseName(written))!;
    if (same !== written) {
      note(written, same, 'variant', row.line);
      return { ...d, name: same };
    }
    if (known.includes(written)) {
      note(written, written, 'known', row.line);
      return d;
    }
    const near =
      count.get(written) === 1 ? frequent.find((f) => oneApart(normaliseName(f), normaliseName(written))) : undefined;
    note(written, near ?? null, near ? 'near' : 'new', row.line);
    if (near)
      row.flags.push(
        `担当課「${written}」は「${near}」と1文字だけ違います。同じ課なら読み替え、別の課なら「別の課として登録」を選んでください`,
      );
    return d;
  };
  for (const row of rows) {
    const kept: DepartmentMention[] = [];
    for (const d of row.departments) {
      const r = resolve(row, d);
      if (r) kept.push(r);
      else row.groups = [...(row.groups ?? []), d.name];
    }
    row.departments = kept;
  }
  return [...matches.values()].sort((a, b) => a.lines[0]! - b.lines[0]!);
}
