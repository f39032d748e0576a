import { IMPORT_FIELD_LABELS, type ImportField, type ImportRow } from './mapping.js';

/**
 * Words an extraction probably misread: a word written once (or only in one form) that is one
 * character from a word the document uses more often, or from a word of the field's common
 * vocabulary (「データDV」 for デートDV, 「志春期」 for 思春期). They are listed with the word meant,
 * for the user to accept one by one or all at once (fixes.words) — never changed without asking.
 */

export interface Suspect {
  line: number;
  /** where the word stands: 事業名, 実績・取組状況 … */
  field: string;
  word: string;
  suggestion: string;
}

/**
 * Words of gender-equality, DV and women's-advancement plans that extractions are known to garble.
 * Reference vocabulary, not rules per city: a word here is only ever offered as a suggestion.
 */
const VOCABULARY = [
  'デートDV',
  '思春期',
  'パパママ',
  'ワーク・ライフ・バランス',
  'ジェンダー',
  'ハラスメント',
  'セクシュアル',
  'カウンセリング',
  'エンパワーメント',
  'リプロダクティブ',
  'ポジティブ・アクション',
  'ドメスティック',
  'バイオレンス',
  'ファミリー・サポート',
  'シェルター',
  'ステップハウス',
  'アンコンシャス',
  'LGBT',
  'SOGI',
  '男女共同参画',
  '配偶者暴力相談支援センター',
  '要保護児童対策地域協議会',
];

const TEXT_FIELDS: ImportField[] = [
  'projectName',
  'summary',
  'planText',
  'resultText',
  'nextYearPlan',
  'remarks',
  'indicator',
  'audience',
];

/** Katakana and Latin runs (データDV), and runs of kanji three or more long (志春期), compared whole. */
const WORD = /[\p{Script=Katakana}ー・A-Za-z]{3,}|\p{Script=Han}{3,}/gu;

function oneApart(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && ++diff > 1) return false;
  return true;
}

interface Place {
  line: number;
  field: string;
  text: string;
}

function placesOf(rows: ImportRow[]): Place[] {
  const places: Place[] = [];
  for (const row of rows) {
    if (row.projectName) places.push({ line: row.line, field: IMPORT_FIELD_LABELS.projectName, text: row.projectName });
    for (const h of row.hierarchy) if (h.title) places.push({ line: row.line, field: '体系の名称', text: h.title });
    for (const f of TEXT_FIELDS) {
      const text = row.values[f];
      if (text) places.push({ line: row.line, field: IMPORT_FIELD_LABELS[f], text });
    }
  }
  return places;
}

/** What the reading knows of the municipality whose document it is. */
export interface SuspectContext {
  /** the prefecture's code (the first two digits of the 団体コード) */
  prefectureCode?: number;
}

/** 京都府 and 大阪府: where 府内 is the document's own word. */
const FU_PREFECTURES = new Set([26, 27]);

/**
 * 「府内」「府外」「府内外」 where 庁 (the city hall) was meant: the two characters differ by a stroke, and an
 * extraction reads one for the other. Suspect only in a municipality that is not in a 府, and not in
 * 政府内, 内閣府内, 大阪府内, 京都府外 or 都道府県 (accepted, it is replaced there too: `applyWords`).
 */
const FU_FOR_CHO = /(?<![政道閣阪都])府(内外|内|外)/g;

/** Probable misreads in the rows' texts, each word once per line and field. */
export function findSuspects(rows: ImportRow[], context: SuspectContext = {}): Suspect[] {
  const places = placesOf(rows);
  // Each place's words, found once: counted first, then compared.
  const words = places.map((p) => p.text.match(WORD) ?? []);
  const count = new Map<string, number>();
  for (const list of words) for (const w of list) count.set(w, (count.get(w) ?? 0) + 1);
  // Kanji words are compared with the vocabulary only: a document's own kanji compounds one character
  // apart (市内・町内, 保護者・保育者) are mostly different words.
  const frequent = [...count].filter(([w, n]) => n >= 3 && !/^\p{Script=Han}+$/u.test(w)).map(([w]) => w);
  const reference = [...new Set([...VOCABULARY, ...frequent])];
  const suspects: Suspect[] = [];
  const seen = new Set<string>();
  const add = (p: Place, word: string, suggestion: string) => {
    const key = `${p.line}|${p.field}|${word}`;
    if (seen.has(key)) return;
    seen.add(key);
    suspects.push({ line: p.line, field: p.field, word, suggestion });
  };
  // A word's reading depends on the word only: each distinct word is compared once (a 10,000-line file
  // repeats most of its words).
  const readings = new Map<string, { word: string; meant: string | undefined }>();
  const readingOf = (found: string) => {
    let reading = readings.get(found);
    if (!reading) {
      const word = found.replace(/^・+|・+$/g, '');
      reading = {
        word,
        meant: VOCABULARY.includes(word) ? undefined : meantBy(word, count.get(found) ?? 0, reference),
      };
      readings.set(found, reading);
    }
    return reading;
  };
  places.forEach((p, i) => {
    // 「Y ou & Me」: a capital letter split from the rest of its word.
    // (only a text with a space can have one: most have none)
    if (p.text.includes(' '))
      for (const m of p.text.matchAll(/\b([A-Z]) ([a-z]{2,})\b/g)) add(p, m[0], `${m[1]}${m[2]}`);
    if (context.prefectureCode !== undefined && !FU_PREFECTURES.has(context.prefectureCode))
      for (const m of p.text.matchAll(FU_FOR_CHO)) add(p, m[0], `庁${m[1]}`);
    for (const found of words[i]!) {
      const { word, meant } = readingOf(found);
      if (meant) add(p, word, meant);
    }
  });
  return suspects;
}

/** The word a word is probably a misreading of, if any (`times`: how often the document writes it). */
function meantBy(word: string, times: number, reference: readonly string[]): string | undefined {
  // A word met often is the document's own unless the field's vocabulary says otherwise (データDV).
  const known = VOCABULARY.find((r) => oneApart(r, word));
  const often = times >= 3 || /^\p{Script=Han}+$/u.test(word) || word.length < 4;
  return known ?? (often ? undefined : reference.find((r) => oneApart(r, word)));
}

/** The texts of the rows with the accepted misreads replaced (fixes.words). */
export function applyWords(rows: ImportRow[], words: Readonly<Record<string, string>>): void {
  const pairs = Object.entries(words).filter(([from, to]) => from && from !== to);
  if (pairs.length === 0) return;
  // 府内 → 庁内 where it was listed, never inside 政府内 or 大阪府内.
  const fix = (text: string) =>
    pairs.reduce(
      (t, [from, to]) =>
        /^府(内外|内|外)$/.test(from)
          ? t.replace(new RegExp(`(?<![政道閣阪都])${from}(?!外)`, 'g'), to)
          : t.split(from).join(to),
      text,
    );
  for (const row of rows) {
    row.projectName = fix(row.projectName);
    for (const h of row.hierarchy) h.title = fix(h.title);
    for (const f of TEXT_FIELDS) if (row.values[f]) row.values[f] = fix(row.values[f]);
  }
}
