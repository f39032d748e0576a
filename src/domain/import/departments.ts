import { parseFiscalYear } from '../fiscal-year.js';

export interface DepartmentMention {
  name: string;
  /** 「（平成28年度より住宅課から組織変更）」 read from the cell */
  change: { effectiveYear: number; fromNames: string[] } | null;
}

const NOTE =
  /[（(]\s*((?:平成|令和|昭和|[HRS])\s*\d{1,2}|\d{4})\s*年度?より\s*(.+?)\s*から\s*(?:組織変更|名称変更|移管)\s*[)）]/;

/**
 * Reads a department cell: one or several names (separated by spaces, 、, ・, / or line breaks),
 * each perhaps followed by a reorganisation note. Known names help split cells written without
 * separators; unknown names are kept as written, for the preview to flag.
 */
export function readDepartments(cell: string, known: readonly string[] = []): DepartmentMention[] {
  const text = cell.replace(/\u3000/g, ' ').trim();
  if (!text) return [];
  const out: DepartmentMention[] = [];
  const names = (segment: string) => {
    for (const part of segment.split(/[\s、,，/／\n]+/))
      if (part) for (const name of splitKnown(part, known)) out.push({ name, change: null });
  };
  if (!NOTE.test(text)) {
    names(text);
    return out;
  }
  // Each note belongs to the name just before it.
  const re = new RegExp(NOTE.source, 'g');
  let cursor = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    names(text.slice(cursor, m.index));
    const year = parseFiscalYear(m[1]!.replace(/\s+/g, ''));
    const last = out[out.length - 1];
    if (last && year !== null)
      last.change = {
        effectiveYear: year,
        fromNames: m[2]!
          .split(/[・、,，]/)
          .map((x) => x.trim())
          .filter(Boolean),
      };
    cursor = m.index + m[0].length;
  }
  names(text.slice(cursor));
  return out;
}

/** 「企画政策課生涯学習課」 → two known names; a part that is not a run of known names stays whole. */
function splitKnown(part: string, known: readonly string[]): string[] {
  if (known.includes(part) || known.length === 0) return [part];
  const names: string[] = [];
  let rest = part;
  while (rest) {
    const hit = [...known].sort((a, b) => b.length - a.length).find((k) => rest.startsWith(k));
    if (!hit) return [part];
    names.push(hit);
    rest = rest.slice(hit.length).replace(/^[・]/, '');
  }
  return names;
}
