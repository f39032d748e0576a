import { counts, gradeDef } from './codes.js';
import type { Scale } from './schema.js';
import { percentText, type Judgement } from './rules.js';

/**
 * Honest self-evaluation checks: a self-grade that contradicts the computed judgement, a result
 * written word for word as last year's, a shortfall with no reason or next step, a grade with no
 * actual. Warnings only — shown on the sheet, in review and in a list for the coordinator — never a
 * refusal.
 */

export const CHECK_KINDS = ['contradicts', 'sameAsLastYear', 'shortfallWithoutReason', 'gradeWithoutActual'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];
export const CHECK_KIND_LABELS: Record<CheckKind, string> = {
  contradicts: '自己評価が計算と食い違う',
  sameAsLastYear: '実績が前年度と同じ文章',
  shortfallWithoutReason: '評価が最上位でないのに理由・今後の対応がない',
  gradeWithoutActual: '実績がないのに評価がある',
};

export interface CheckFinding {
  kind: CheckKind;
  message: string;
}

export interface AnswerFacts {
  /** the entered slot checked, its scale and code */
  slotName: string;
  scale: Scale;
  code: string | null;
  reason: string;
  /** the computed slot it is checked against, with the judgements of the answer's lines */
  against: { name: string; scale: Scale; judgements: Judgement[] } | null;
  resultText: string;
  lastYearResultText: string | null;
  remarks: string;
  /** the answer's indicator lines, by name, with whether the year's actual is missing */
  lines: { name: string; actualMissing: boolean }[];
}

/** A code's place between the scale's worst (0) and best (1): by points where there are, else by order. */
export function standing(scale: Scale, code: string | null): number | null {
  if (code === null || !counts(scale, code)) return null;
  const counted = scale.grades.filter((g) => g.tally);
  const points = counted.map((g) => g.points).filter((p): p is number => p !== null);
  const own = gradeDef(scale, code)?.points;
  if (own !== null && own !== undefined && points.length > 1) {
    const lo = Math.min(...points);
    const hi = Math.max(...points);
    return hi === lo ? 1 : (own - lo) / (hi - lo);
  }
  const i = counted.findIndex((g) => g.code === code);
  if (i === -1 || counted.length < 2) return null;
  return 1 - i / (counted.length - 1);
}

const squash = (s: string) => s.replace(/\s+/g, '').trim();

export function checkAnswer(f: AnswerFacts): CheckFinding[] {
  const out: CheckFinding[] = [];
  const contradiction = contradicts(f);
  if (contradiction) out.push(contradiction);
  if (
    f.lastYearResultText !== null &&
    squash(f.resultText) !== '' &&
    squash(f.resultText) === squash(f.lastYearResultText)
  )
    out.push({ kind: 'sameAsLastYear', message: '実績・取組状況が前年度と同じ文章です。今年度の取組を書いてください' });
  const own = standing(f.scale, f.code);
  if (own !== null && own < 1 && !f.reason.trim() && !f.remarks.trim())
    out.push({
      kind: 'shortfallWithoutReason',
      message: `${f.slotName}が「${f.code}」（最上位でない）ですが、理由や今後の対応が書かれていません`,
    });
  const missing = f.lines.filter((l) => l.actualMissing);
  if (f.code !== null && counts(f.scale, f.code) && missing.length > 0)
    out.push({
      kind: 'gradeWithoutActual',
      message: `${f.slotName}「${f.code}」が入っていますが、指標「${missing.map((l) => l.name).join('」「')}」の実績がありません`,
    });
  return out;
}

function contradicts(f: AnswerFacts): CheckFinding | null {
  if (!f.against) return null;
  const own = standing(f.scale, f.code);
  const judged = f.against.judgements.filter((j) => j.code !== null && counts(f.against!.scale, j.code));
  const standings = judged.map((j) => standing(f.against!.scale, j.code)).filter((s): s is number => s !== null);
  if (own === null || standings.length === 0) return null;
  const computed = standings.reduce((a, b) => a + b, 0) / standings.length;
  // Overstated by about a third of the scale (A against a 60% line), or understated by half of it (D
  // against lines that all reached their target).
  if (own - computed <= 0.3 && computed - own <= 0.5) return null;
  const shown = judged
    .map((j) => `${j.code}${j.ratio !== null && Number.isFinite(j.ratio) ? `（${percentText(j.ratio)}）` : ''}`)
    .join('、');
  const direction = own > computed ? '高すぎる' : '低すぎる';
  return {
    kind: 'contradicts',
    message: `${f.slotName}「${f.code}」は${f.against.name}の計算（${shown}）と比べて${direction}可能性があります`,
  };
}
