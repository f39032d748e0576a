import { fixesSchema, type ImportFixes } from './fixes.js';
import type { DocumentMeta, Repair } from './read.js';

/**
 * The fixes file as the wizard and the command line write and read it: the corrections in effect,
 * the automatic repairs of the reading included as typed cells, so that the same file read with the same
 * fixes gives the same rows even where the repairs of a later version would differ.
 */

/**
 * The user's fixes with the automatic repairs made on top of them written in as typed cells (after
 * the user's own: a repair reads the table as the user corrected it), so that a later reading with
 * other repairs gives the same rows.
 */
export function fixesInEffect(fixes: ImportFixes, repairs: readonly Repair[]): ImportFixes {
  return { ...fixes, edits: [...fixes.edits, ...repairs.flatMap((r) => r.edits)] };
}

/** The file's text as written: indented JSON, one field per line, ending with a line break. */
export function fixesFileText(fixes: ImportFixes): string {
  return `${JSON.stringify(fixes, null, 2)}\n`;
}

/** A fixes file read, or why it cannot be (in Japanese, naming the place in the file). */
export function readFixesFile(text: string): { ok: true; fixes: ImportFixes } | { ok: false; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { ok: false, message: `JSON として読めません（${e instanceof Error ? e.message : String(e)}）` };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    return { ok: false, message: '修正内容のファイルではありません（{ "moves": …, "edits": … } の形ではありません）' };
  const parsed = fixesSchema.safeParse(json);
  if (parsed.success) return { ok: true, fixes: parsed.data };
  return {
    ok: false,
    message: parsed.error.issues
      .slice(0, 5)
      .map(
        (i) => `${FIELD_NAMES[String(i.path[0])] ?? (i.path.join('.') || '全体')}${placeOf(i.path)}: ${issueText(i)}`,
      )
      .join(' / '),
  };
}

const FIELD_NAMES: Record<string, string> = {
  version: '版（version）',
  moves: 'ずれの修正（moves）',
  edits: 'セルの修正（edits）',
  excluded: '除く行（excluded）',
  rejected: '元に戻した自動修正（rejected）',
  names: '担当課の読み替え（names）',
  words: '語の読み替え（words）',
};

const PART_NAMES: Record<string, string> = {
  line: '行（line）',
  shift: 'ずらす列数（shift）',
  column: '列（column）',
  value: '値（value）',
};

/** 「の1件目の行（line）」: where in a field the problem is. */
function placeOf(path: readonly PropertyKey[]): string {
  return path
    .slice(1)
    .map((p) => `の${typeof p === 'number' ? `${p + 1}件目` : (PART_NAMES[String(p)] ?? `「${String(p)}」`)}`)
    .join('');
}

function issueText(issue: { code: string; message: string; expected?: unknown; minimum?: unknown; maximum?: unknown }) {
  switch (issue.code) {
    case 'invalid_type':
      return `形が違います（${String(issue.expected)} であるべきところです）`;
    case 'too_small':
      return `${String(issue.minimum)} 以上にしてください`;
    case 'too_big':
      return `${String(issue.maximum)} 以下にしてください`;
    case 'invalid_value':
      return '使えない値です';
    case 'custom':
      return issue.message;
    default:
      return '読めない値です';
  }
}

/**
 * The new plan's name from the document's title line: the line once, a phrase the line repeats
 * (「…事業最終評価 事業最終評価」, a merged title cell read twice) kept once.
 */
export function planTitleFrom(meta: Pick<DocumentMeta, 'title'>): string | null {
  const title = meta.title?.replace(/[\s\u3000]+/g, ' ').trim();
  if (!title) return null;
  const words = title.split(' ');
  const kept: string[] = [];
  for (const w of words) if (!kept.some((k) => k === w || k.endsWith(w) || k.includes(w))) kept.push(w);
  return kept.join(' ').slice(0, 120) || null;
}
