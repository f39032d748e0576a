import { PROJECT_CATEGORIES } from './plan-terms.js';
import { parseValue } from './values.js';

/**
 * What a plan keeps besides its tree, as the plan defines it: the list of 区分 (classifications) a
 * project may carry, and extra typed fields on projects (予算額, 施策コード …) and on each department's
 * yearly answer. Shared by the server, the SPA, import and reports; no zod here (schemas.ts has it).
 */

/** One 区分 of the plan's list: its word, and whether the tallies (「新規:1/継続:2」) count it. */
export interface CategoryDef {
  code: string;
  counted: boolean;
}

/** The list a plan starts with, and the one every plan made before lists existed carries. */
export const DEFAULT_CATEGORIES: CategoryDef[] = PROJECT_CATEGORIES.map((code) => ({ code, counted: true }));

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'money', 'choice', 'stage'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];
export const CUSTOM_FIELD_TYPE_LABELS: Record<CustomFieldType, string> = {
  text: '文章',
  number: '数値（単位つき）',
  money: '金額',
  choice: '選択肢',
  stage: '期ごとの段階（△○◎）',
};

/** Where a field's value lives: on the project (entered in the plan editor) or on a department's answer of a year. */
export const CUSTOM_FIELD_PLACES = ['project', 'record'] as const;
export type CustomFieldPlace = (typeof CUSTOM_FIELD_PLACES)[number];
export const CUSTOM_FIELD_PLACE_LABELS: Record<CustomFieldPlace, string> = {
  project: '事業ごと（計画で入力）',
  record: '各課の回答ごと（毎年入力）',
};

export interface CustomFieldDef {
  /** stable name in files and layouts (`budget`); the screens show the label */
  key: string;
  label: string;
  on: CustomFieldPlace;
  type: CustomFieldType;
  /** 千円, 人, 件 … (number and money) */
  unit: string;
  /** the options of a choice; the marks of a stage (△○◎ when none are given) */
  choices: string[];
  /** the phases a stage is planned for (前期・中期・後期) */
  phases: string[];
  /** the longest text accepted */
  maxLength: number;
}

export const DEFAULT_STAGE_MARKS = ['△', '○', '◎'];

/** A stored value: text or a choice as text, a number or an amount as a number, a stage as a mark per phase. */
export type CustomValue = string | number | Record<string, string>;
export type CustomValues = Record<string, CustomValue>;

export const stageMarks = (def: CustomFieldDef): string[] => (def.choices.length ? def.choices : DEFAULT_STAGE_MARKS);

export type ReadCustom = { ok: true; value: CustomValue | null } | { ok: false; message: string };

/** A value as typed or imported, read by its field's type: null is empty (nothing stored), or why it is refused. */
export function readCustomValue(def: CustomFieldDef, raw: unknown): ReadCustom {
  if (raw === null || raw === undefined || raw === '') return { ok: true, value: null };
  // Only a stage holds a value per phase; anything else sent as an object is not read as text.
  if (typeof raw === 'object' && def.type !== 'stage')
    return { ok: false, message: `${def.label}は一つの値で入力してください` };
  switch (def.type) {
    case 'text': {
      const text = String(raw).trim();
      if (text.length > def.maxLength)
        return { ok: false, message: `${def.label}は${def.maxLength}文字以内で入力してください` };
      return { ok: true, value: text === '' ? null : text };
    }
    case 'number':
    case 'money': {
      if (typeof raw === 'number') return Number.isFinite(raw) ? { ok: true, value: raw } : notNumber(def, String(raw));
      const p = parseValue(String(raw));
      if (p.kind === 'empty') return { ok: true, value: null };
      if (p.kind !== 'number') return notNumber(def, String(raw));
      // A unit written after the number must be the field's own: 「1,200円」 is not 1,200千円.
      const own = def.unit || (def.type === 'money' ? '円' : '');
      if (p.unit !== '' && p.unit !== own)
        return {
          ok: false,
          message: `${def.label}は${own ? `${own}単位の` : ''}数値で入力してください（「${String(raw).trim()}」の単位「${p.unit}」は使えません）`,
        };
      return { ok: true, value: p.value };
    }
    case 'choice': {
      const text = String(raw).trim();
      if (text === '') return { ok: true, value: null };
      if (!def.choices.includes(text))
        return {
          ok: false,
          message: `${def.label}は「${def.choices.join('」「')}」から選んでください（「${text}」は選べません）`,
        };
      return { ok: true, value: text };
    }
    case 'stage':
      return readStage(def, raw);
  }
}

function notNumber(def: CustomFieldDef, text: string): ReadCustom {
  return { ok: false, message: `${def.label}は数値で入力してください（「${text.trim()}」は数値として読めません）` };
}

/** A stage per phase: {前期: '○', 後期: '◎'}, or as a file writes it 「前期:○ 後期:◎」 / 「○/◎」 (in the phases' order). */
function readStage(def: CustomFieldDef, raw: unknown): ReadCustom {
  const marks = stageMarks(def);
  let pairs: [string, string][];
  if (typeof raw === 'object' && raw !== null)
    pairs = Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : String(v)]);
  else {
    const parts = String(raw)
      .split(/[\s/／、,]+/)
      .filter(Boolean);
    const named = parts.every((p) => /[:：]/.test(p));
    pairs = named
      ? parts.map((p) => {
          const [k = '', v = ''] = p.split(/[:：]/);
          return [k.trim(), v.trim()];
        })
      : parts.map((v, i) => [def.phases[i] ?? `（${i + 1}番目）`, v]);
  }
  const out: Record<string, string> = {};
  for (const [phase, mark] of pairs) {
    if (!def.phases.includes(phase))
      return { ok: false, message: `${def.label}の期は「${def.phases.join('」「')}」です（「${phase}」はありません）` };
    if (mark === '' || mark === '－' || mark === '-') continue;
    if (!marks.includes(mark))
      return {
        ok: false,
        message: `${def.label}の${phase}は「${marks.join('」「')}」から選んでください（「${mark}」は選べません）`,
      };
    out[phase] = mark;
  }
  return { ok: true, value: Object.keys(out).length ? out : null };
}

/** A value as printed: 「1,200千円」, 「前期:○ 後期:◎」; empty for none. */
export function customText(def: CustomFieldDef, value: CustomValue | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    const n = value.toLocaleString('ja-JP', { maximumFractionDigits: 4 });
    return `${n}${def.unit || (def.type === 'money' ? '円' : '')}`;
  }
  if (typeof value === 'string') return value;
  return def.phases
    .filter((p) => value[p])
    .map((p) => `${p}:${value[p]}`)
    .join(' ');
}

/** Every value of a set read by the fields of one place: the values to store, or the problems by field key. */
export function readCustomValues(
  defs: CustomFieldDef[],
  on: CustomFieldPlace,
  input: Record<string, unknown>,
): { values: CustomValues; problems: { key: string; message: string }[] } {
  const values: CustomValues = {};
  const problems: { key: string; message: string }[] = [];
  const own = defs.filter((d) => d.on === on);
  for (const key of Object.keys(input))
    if (!own.some((d) => d.key === key)) problems.push({ key, message: `「${key}」という項目はこの計画にありません` });
  for (const def of own) {
    const read = readCustomValue(def, input[def.key]);
    if (!read.ok) problems.push({ key: def.key, message: read.message });
    else if (read.value !== null) values[def.key] = read.value;
  }
  return { values, problems };
}

/** The categories a tally counts, in the plan's order. */
export const countedCategories = (list: CategoryDef[]): string[] => list.filter((c) => c.counted).map((c) => c.code);
