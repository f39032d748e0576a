import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseValue, type ActualStatus } from '../values.js';
import type { Direction } from '../cycle.js';
import { judgeLine, slotScale, type IndicatorPurpose, type LineFacts, type Value } from './index.js';
import { presetConfig } from './presets.js';

/**
 * docs/evaluation.md documents each preset with a table of example values → codes. This reads every
 * row of every table and checks the preset computes exactly what the row says.
 */

const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../../docs/evaluation.md'), 'utf8');

interface Row {
  preset: string;
  cells: string[];
}

function tables(): Row[] {
  const rows: Row[] = [];
  let preset: string | null = null;
  for (const raw of doc.split('\n')) {
    const heading = /^### `([a-z0-9-]+)`$/.exec(raw.trim());
    if (heading) preset = heading[1]!;
    else if (raw.startsWith('###')) preset = null;
    if (!preset || !raw.startsWith('|') || /^\|\s*-/.test(raw) || raw.includes('| 目標 |')) continue;
    rows.push({
      preset,
      cells: raw
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    });
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
  it('has tables for the computed presets', () => {
    expect(new Set(rows.map((r) => r.preset))).toEqual(
      new Set(['achievement-5', 'ratio-hand', 'progress-negative', 'trend', 'dual-target-trend']),
    );
    expect(rows.length).toBeGreaterThan(45);
  });

  it.each(rows.map((r) => [r.preset, r.cells.join(' | '), r] as const))('%s: %s', (_preset, _text, row) => {
    const config = presetConfig(row.preset);
    expect(config, `preset ${row.preset}`).toBeDefined();
    const facts = factsOf(row.cells);
    const computed = config!.slots
      .filter((s) => s.enteredBy === 'computed' && s.subject === 'indicator')
      .map((s) => judgeLine(slotScale(config!, s), facts).code ?? '（なし）');
    expect(computed.join('／')).toBe(row.cells[8]);
  });
});
