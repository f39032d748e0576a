import {
  codeSpeech,
  judgeLine,
  judgeRollup,
  type IndicatorPurpose,
  type Judgement,
  type LineFacts,
  type Scale,
  type Value,
} from '../../../domain/evaluation/index.js';
import type { Direction } from '../../../domain/cycle-terms.js';
import { parseValue } from '../../../domain/values.js';

/**
 * The live preview of a scale being edited: sample values run through the same rule the server
 * uses (judgeLine, judgeRollup), with the code, how it was reached and what a screen reader says.
 * The samples follow the scale: a row on each level's lower bound, and the cases plans meet — less
 * is better, a target in words, no target, an actual that is a status, what cannot be computed.
 */

export interface Sample {
  /** what the row shows, in words */
  note: string;
  target: string;
  finalTarget: string;
  baseline: string;
  previous: string;
  actual: string;
  direction: Direction;
  purpose: IndicatorPurpose;
  /** the sum of the years so far, for a cumulative target */
  cumulative: number | null;
}

export interface PreviewRow extends Sample {
  code: string | null;
  basis: string;
  speech: string;
  excluded: boolean;
}

export type PreviewColumn = 'target' | 'finalTarget' | 'baseline' | 'previous' | 'actual' | 'direction';
export const PREVIEW_COLUMN_LABELS: Record<PreviewColumn, string> = {
  target: '目標',
  finalTarget: '最終目標',
  baseline: '現状値',
  previous: '前年度',
  actual: '実績',
  direction: '方向',
};

const sample = (note: string, s: Partial<Sample>): Sample => ({
  note,
  target: '',
  finalTarget: '',
  baseline: '',
  previous: '',
  actual: '',
  direction: 'higher',
  purpose: 'target',
  cumulative: null,
  ...s,
});

const round = (n: number): number => Math.round(n * 100) / 100;

/** A typed value as the rules read it. */
export function valueOf(text: string): Value {
  const p = parseValue(text);
  return {
    value: p.kind === 'number' ? p.value : null,
    text: text.trim(),
    status: p.kind === 'status' ? p.status : null,
  };
}

type Levelled = Extract<Scale['rule'], { kind: 'ratio' | 'progress' }>;

/** One row on each level's lower bound, and one below the lowest where a level has none. */
function levelEdges(rule: Levelled, at: (percent: number) => number, unit: string, base: Partial<Sample>): Sample[] {
  const bounds = rule.levels
    .filter((l): l is { code: string; min: number } => l.min !== null)
    .sort((a, b) => b.min - a.min);
  const out = bounds.map((l) =>
    sample(`段階「${l.code}」の下限（${l.min}%）ちょうど`, { ...base, actual: `${round(at(l.min))}${unit}` }),
  );
  const open = rule.levels.find((l) => l.min === null);
  const lowest = bounds[bounds.length - 1];
  if (open && lowest && (rule.kind === 'progress' || lowest.min > 0))
    out.push(
      sample(`下限に届かない（段階「${open.code}」）`, { ...base, actual: `${round(at(lowest.min - 10))}${unit}` }),
    );
  return out;
}

function ratioSamples(rule: Levelled): Sample[] {
  return [
    ...levelEdges(rule, (p) => (10 * p) / 100, '人', { target: '10人' }),
    sample('少ないほどよい指標', { target: '4件', actual: '5件', direction: 'lower' }),
    sample('文章で書かれた目標', { target: '毎年10人以上', actual: '9人' }),
    sample('累計の目標（これまでの合計 8か所）', { target: '10か所（累計）', actual: '3か所', cumulative: 8 }),
    sample('目標なし（—）', { target: '—', actual: '12人' }),
    sample('実績が状態（隔年実施）', { target: '10人', actual: '隔年実施' }),
    sample('実績が状態（未実施）', { target: '10人', actual: '未実施' }),
    sample('目標が数値でない', { target: '全ての小学校', actual: '12校' }),
    sample('実績が数値でない', { target: '5回', actual: '年2回開催' }),
    sample('モニタリング指標', { target: '10人', actual: '8人', purpose: 'monitoring' }),
  ];
}

function progressSamples(rule: Levelled): Sample[] {
  const base = { baseline: '20', finalTarget: '40%' };
  return [
    ...levelEdges(rule, (p) => 20 + (20 * p) / 100, '%', base),
    sample('少ないほどよい指標', { baseline: '30', finalTarget: '10件', actual: '20件', direction: 'lower' }),
    sample('少ないほどよい指標が増えた', { baseline: '30', finalTarget: '10件', actual: '35件', direction: 'lower' }),
    sample('文章で書かれた目標', { baseline: '20', finalTarget: '令和7年度までに40%', actual: '30%' }),
    sample('現状値がない', { finalTarget: '40%', actual: '30%' }),
    sample('現状値と最終目標が同じ', { baseline: '20', finalTarget: '20%', actual: '30%' }),
    sample('実績が数値でない', { ...base, actual: '調査中' }),
    sample('実績が状態（未実施）', { ...base, actual: '未実施' }),
    sample('目標なし（—）', { baseline: '20', finalTarget: '—', actual: '30%' }),
  ];
}

function trendSamples(rule: Extract<Scale['rule'], { kind: 'trend' }>): Sample[] {
  const ref = rule.against === 'previous' ? 'previous' : 'baseline';
  // Against 100, a tolerance in percent and one in absolute units are the same number.
  const allowed = rule.tolerance;
  const with100 = (note: string, actual: number, more: Partial<Sample> = {}) =>
    sample(note, { [ref]: '100', actual: String(round(actual)), ...more });
  return [
    with100('許容幅を超えて増えた', 100 + allowed + 1),
    with100('許容幅の上端', 100 + allowed),
    with100('許容幅の下端', 100 - allowed),
    with100('許容幅を超えて減った', 100 - allowed - 1),
    with100('少ないほどよい指標が減った', 100 - allowed - 3, { direction: 'lower' }),
    with100('方向なし、目標が「増加」', 110, { direction: 'none', finalTarget: '増加' }),
    with100('方向なし、目標が「減少」', 110, { direction: 'none', finalTarget: '減少' }),
    sample(rule.against === 'previous' ? '前年度の数値がない' : '現状値がない', { actual: '110' }),
    with100('実績が状態（未実施）', 0, { actual: '未実施' }),
  ];
}

function doneSamples(): Sample[] {
  return [
    sample('実施（○）', { actual: '○' }),
    sample('未実施（×）', { actual: '×' }),
    sample('該当なし（—）', { actual: '—' }),
    sample('回数が入っている', { actual: '3回' }),
    sample('0回', { actual: '0回' }),
    sample('実績が状態（隔年実施）', { actual: '隔年実施' }),
  ];
}

/** The samples for a scale's rule; none for a manual or rollup rule (see `rollupPreview`). */
export function previewSamples(scale: Scale): Sample[] {
  const rule = scale.rule;
  switch (rule.kind) {
    case 'ratio':
      return ratioSamples(rule);
    case 'progress':
      return progressSamples(rule);
    case 'trend':
      return trendSamples(rule);
    case 'done':
      return doneSamples();
    default:
      return [];
  }
}

export function previewColumns(scale: Scale): PreviewColumn[] {
  const rule = scale.rule;
  if (rule.kind === 'ratio') return ['target', 'actual', 'direction'];
  if (rule.kind === 'progress') return ['baseline', 'finalTarget', 'actual', 'direction'];
  if (rule.kind === 'trend')
    return [rule.against === 'previous' ? 'previous' : 'baseline', 'actual', 'direction', 'finalTarget'];
  if (rule.kind === 'done') return ['actual'];
  return [];
}

export function factsOf(s: Sample): LineFacts {
  const number = (t: string) => (t.trim() === '' ? null : valueOf(t).value);
  return {
    purpose: s.purpose,
    direction: s.direction,
    basis: 'annual',
    baseline: number(s.baseline),
    target: s.target,
    finalTarget: s.finalTarget,
    actual: valueOf(s.actual),
    previous: s.previous.trim() === '' ? null : valueOf(s.previous),
    cumulative: s.cumulative,
  };
}

const rowOf = (scale: Scale, s: Sample, j: Judgement): PreviewRow => ({
  ...s,
  code: j.code,
  basis: j.basis,
  speech: j.excluded ? '評価しない' : codeSpeech(scale, j.code),
  excluded: j.excluded,
});

export function previewRows(scale: Scale): PreviewRow[] {
  return previewSamples(scale).map((s) => rowOf(scale, s, judgeLine(scale, factsOf(s))));
}

export interface RollupPreviewRow {
  /** the codes below, as listed */
  children: string[];
  code: string | null;
  basis: string;
  speech: string;
}

/** Sets of codes below (from the scale of the slot summed up) and what the rollup makes of each. */
export function rollupPreview(scale: Scale, childScale: Scale): RollupPreviewRow[] {
  const counted = childScale.grades.filter((g) => g.tally).map((g) => g.code);
  const best = counted[0];
  const worst = counted[counted.length - 1];
  if (!best || !worst) return [];
  const sets = [
    [best, best, best, best],
    [best, best, best, worst],
    [best, best, worst, worst],
    [best, worst, worst, worst],
    [worst, worst, worst, worst],
    counted.length > 2 ? counted : null,
    [],
  ].filter((s): s is string[] => s !== null);
  const seen = new Set<string>();
  return sets
    .filter((s) => {
      const k = s.join('|');
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .map((children) => {
      const j = judgeRollup(
        scale,
        children.map((code) => ({ code, scale: childScale })),
      );
      return { children, code: j.code, basis: j.basis, speech: codeSpeech(scale, j.code) };
    });
}
