import { toHalfWidth } from './fiscal-year.js';

/**
 * Values as departments type them: １２３, 1,234人, 31.9%, ４回, —, －, ○, ×, 該当なし. One parser for
 * the sheet, imports and reports; what was typed is always kept beside what was read.
 */
export const ACTUAL_STATUSES = ['not_done', 'not_applicable', 'cancelled', 'biennial'] as const;
export type ActualStatus = (typeof ACTUAL_STATUSES)[number];
export const ACTUAL_STATUS_LABELS: Record<ActualStatus, string> = {
  not_done: '未実施',
  not_applicable: '該当なし',
  cancelled: '中止',
  biennial: '隔年実施（今年度は対象外）',
};

export type ParsedValue =
  | { kind: 'number'; value: number; unit: string; text: string }
  | { kind: 'flag'; done: boolean | null; text: string }
  | { kind: 'status'; status: ActualStatus; text: string }
  | { kind: 'empty'; text: '' }
  | { kind: 'text'; text: string };

const DASHES = /^[—–―‐−－ー-]+$/;

/** Normalises full-width digits, signs and separators so that Number() can read them. */
export function normaliseNumberText(input: string): string {
  return toHalfWidth(input)
    .replace(/[，、]/g, ',')
    .replace(/[．]/g, '.')
    .replace(/[−ー－]/g, '-')
    .replace(/\s+/g, '')
    .trim();
}

export function parseValue(input: string): ParsedValue {
  const text = input.trim();
  if (text === '') return { kind: 'empty', text: '' };
  if (/^[○〇◯]$/.test(text)) return { kind: 'flag', done: true, text };
  if (/^[×✕xX]$/.test(text)) return { kind: 'flag', done: false, text };
  if (DASHES.test(text)) return { kind: 'flag', done: null, text };
  if (/^(該当なし|対象外|なし)$/.test(text)) return { kind: 'status', status: 'not_applicable', text };
  if (/^未実施$/.test(text)) return { kind: 'status', status: 'not_done', text };
  if (/^中止/.test(text)) return { kind: 'status', status: 'cancelled', text };
  if (/^隔年/.test(text)) return { kind: 'status', status: 'biennial', text };
  const n = normaliseNumberText(text);
  const m = /^(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(.*)$/.exec(n);
  // A unit holds no digits: 12-3 or 1,23 are text, not a number and a unit.
  if (m && !/[\d.,]/.test(m[2]!)) {
    const value = Number(m[1]!.replace(/,/g, ''));
    if (Number.isFinite(value)) return { kind: 'number', value, unit: m[2]!.trim(), text };
  }
  return { kind: 'text', text };
}

/** A number typed in a number field, or null with the reason it is not one. */
export function readNumber(input: string): { ok: true; value: number | null } | { ok: false; message: string } {
  const p = parseValue(input);
  if (p.kind === 'empty') return { ok: true, value: null };
  if (p.kind === 'number') return { ok: true, value: p.value };
  return { ok: false, message: `「${input.trim()}」は数値として読めません` };
}
