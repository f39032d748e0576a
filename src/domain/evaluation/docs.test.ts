import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseValue, type ActualStatus } from '../values.js';
import type { Direction } from '../cycle.js';
import { judgeLine, judgeRollup, slotScale, type IndicatorPurpose, type LineFacts, type Value } from './index.js';
import { presetConfig } from './presets.js';

/**
 * docs/evaluation.md documents each preset with a table of example values → codes. This reads every
 * row of every table and checks the preset computes exactly what the row says.
 */

const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../../docs/evaluation.md'), 'utf8');

interface Row {
  /** the presets the table belongs to (a heading may name several) */
  presets: string[];
  /** the words in brackets after the heading's names: which of the preset's scales a code table lists */
  scaleHint: string;
  /** the table's first header cell: 目標 (a line's facts → codes), 下の線の評価 (a rollup), 記号 (codes entered by hand) */
  kind: string;
  cells: string[];
}

function tables(): Row[] {
  const rows: Row[] = [];
  let heading: { presets: string[]; scaleHint: string } | null = null;
  let kind = '';
  const cellsOf = (raw: string) =>
    raw
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
  for (const raw of doc.split('\n')) {
    if (raw.startsWith('## ')) heading = null;
    if (/^#{3,4} /.test(raw)) {
      const presets = [...raw.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]!);
      heading = presets.length
        ? { presets, scaleHint: /（([^）]*)）|\(([^)]*)\)/.exec(raw)?.slice(1).find(Boolean) ?? '' }
        : null;
      continue;
    }
    if (!heading || !raw.startsWith('|') || /^\|\s*-/.test(raw)) continue;
    const cells = cellsOf(raw);
    if (['目標', '下の線の評価', '記号'].includes(cells[0]!)) {
      kind = cells[0]!;
      continue;
    }
    rows.push({ ...heading, kind, cells });
  }
  return rows;
}

const DIRECTIONS: Record<string, Direction> = { 多い: 'higher', 少ない: 'lower', 維持: 'keep', なし: 'none' };
const PURPOSES: Record<string, IndicatorPurpose> = { 目標値: 'target', 期待値: 'expected', モニタリング: 'monitoring' };

function value(text: string): Value {
  const p = parseValue(text);
  const status: ActualStatus | null = p.kind === 'status' ? p.status : null;
  return { value: p.kind === 'number' ? p.value : null, text, status };
}

function factsOf(cells: string[]): LineFacts {
  const [target, finalTarget, baseline, previous, actual, cumulative, direction, purpose] = cells as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return {
    purpose: PURPOSES[purpose]!,
    direction: DIRECTIONS[direction]!,
    basis: 'annual',
    baseline: baseline === '' ? null : Number(baseline),
    target,
    finalTarget,
    actual: value(actual),
    previous: previous === '' ? null : value(previous),
    cumulative: cumulative === '' ? null : Number(cumulative),
  };
}

describe('the example tables of docs/evaluation.md', () => {
  const rows = tables();
  const lines = rows.filter((r) => r.kind === '目標');
  it('has tables for every preset', () => {
    expect(new Set(lines.map((r) => r.presets[0]))).toEqual(
      new Set(['achievement-5', 'ratio-hand', 'progress-negative', 'trend', 'dual-target-trend']),
    );
    expect(lines.length).toBeGreaterThan(45);
    expect(new Set(rows.flatMap((r) => r.presets))).toEqual(
      new Set(
        ['achievement-5', 'ratio-hand', 'progress-negative', 'trend', 'dual-target-trend'].concat([
          'node-share',
          'manual-a-d',
          'council-stars',
          'done-flags',
        ]),
      ),
    );
  });

  it.each(lines.map((r) => [r.presets[0], r.cells.join(' | '), r] as const))('%s: %s', (_preset, _text, row) => {
    const config = presetConfig(row.presets[0]!);
    expect(config, `preset ${row.presets[0]}`).toBeDefined();
    const facts = factsOf(row.cells);
    const computed = config!.slots
      .filter((s) => s.enteredBy === 'computed' && s.subject === 'indicator')
      .map((s) => judgeLine(slotScale(config!, s), facts).code ?? '（なし）');
    expect(computed.join('／')).toBe(row.cells[8]);
  });

  const rollups = rows.filter((r) => r.kind === '下の線の評価');
  it.each(rollups.map((r) => [r.presets[0], r.cells.join(' | '), r] as const))('%s: %s', (_preset, _text, row) => {
    const config = presetConfig(row.presets[0]!)!;
    const node = config.slots.find((s) => s.subject === 'node' && s.enteredBy === 'computed')!;
    const line = config.slots.find((s) => s.key === node.rollupFrom)!;
    const children = row.cells[0]!.split(/\s+/)
      .filter(Boolean)
      .map((c) => ({ code: c === '除外' ? null : c, scale: slotScale(config, line), excluded: c === '除外' }));
    expect(judgeRollup(slotScale(config, node), children).code ?? '（なし）').toBe(row.cells[1]);
  });

  const codes = rows.filter((r) => r.kind === '記号');
  it.each(codes.map((r) => [r.presets.join(' · '), r.cells.join(' | '), r] as const))('%s: %s', (_p, _t, row) => {
    for (const preset of row.presets) {
      const config = presetConfig(preset)!;
      const scale = config.scales.find((s) => s.name.includes(row.scaleHint) || config.scales.length === 1)!;
      expect(scale, `${preset}: the scale of ${row.scaleHint}`).toBeDefined();
      const [code, label, points, tally] = row.cells as [string, string, string, string];
      expect(scale.grades.find((g) => g.code === code)).toMatchObject({
        label,
        points: points === '' ? null : Number(points),
        tally: tally === '数える',
      });
    }
  });

  it('lists every code of the hand-entered scales', () => {
    for (const [preset, hint] of [
      ['manual-a-d', 'A〜D'],
      ['council-stars', 'A〜D'],
      ['council-stars', '★'],
      ['done-flags', ''],
    ] as const) {
      const config = presetConfig(preset)!;
      const scale = config.scales.find((s) => s.name.includes(hint) || config.scales.length === 1)!;
      const listed = codes.filter((r) => r.presets.includes(preset) && r.scaleHint === hint).map((r) => r.cells[0]);
      expect(listed, `${preset} ${hint}`).toEqual(scale.grades.map((g) => g.code));
    }
  });
});
