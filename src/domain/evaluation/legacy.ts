import { z } from 'zod';
import { ACTUAL_STATUSES } from '../values.js';
import { DASH } from './codes.js';
import { configInput, type EvaluationConfig, type GradeDef, type Scale, type Slot } from './schema.js';

/**
 * The one scale per plan that plans had before evaluation slots (stored in plans.evaluation_scale,
 * with the codes departments chose from in plans.grade_options), carried over unchanged: a manual
 * scale becomes the department's grade of each answer; a computed one becomes a computed slot on
 * the indicator lines, where a department may enter a hand grade where nothing computes or, with a
 * reason, a grade other than the computed one — as before; a ★ rollup becomes a computed slot on
 * the nodes of its depth.
 */

const code = z.string().trim().min(1).max(12);
export const legacyScaleInput = z.object({
  method: z.enum(['manual', 'ratio', 'progress', 'done']),
  levelName: z.string().default('達成度'),
  levels: z.array(z.object({ code, min: z.number() })).default([]),
  levelGrades: z.array(z.object({ level: code, grade: code })).default([]),
  grades: z
    .array(
      z.object({
        code,
        label: z.string().default(''),
        tally: z.boolean().default(true),
        score: z.number().nullable().default(null),
      }),
    )
    .min(1),
  noTargetGrade: code.nullable().default(null),
  statusGrades: z.partialRecord(z.enum(ACTUAL_STATUSES), code).default({}),
  doneGrade: code.nullable().default(null),
  notDoneGrade: code.nullable().default(null),
  rollup: z
    .object({ depth: z.number().int(), bands: z.array(z.object({ min: z.number(), code })).min(1) })
    .nullable()
    .default(null),
});
export type LegacyScale = z.output<typeof legacyScaleInput>;

export interface LegacyOption {
  code: string;
  label: string;
}

/**
 * The configuration a plan had before slots, from its stored scale ('' = by hand) and grade options.
 * `recordGrades`: a computed plan whose answers carry grades of their own (the sheet asked for one)
 * keeps them in a department slot of their own, so that none is dropped.
 */
export function configFromLegacy(stored: string, options: LegacyOption[], recordGrades = false): EvaluationConfig {
  const fallback: LegacyOption[] = options.length ? options : DEFAULT_OPTIONS;
  if (!stored.trim()) return configInput.parse(manualConfig(fallback));
  const old = legacyScaleInput.parse(JSON.parse(stored));
  // Codes added to the options later (by an import) stay printable and counted, as before.
  const extra = fallback.filter((o) => !old.grades.some((g) => g.code === o.code));
  const grades: GradeDef[] = [
    ...old.grades.map((g) => ({
      code: g.code,
      label: g.label,
      tally: g.tally,
      points: g.score,
      hand: old.method !== 'manual',
    })),
    ...extra.map((o) => ({
      code: o.code,
      label: o.label,
      tally: !DASH.test(o.code),
      points: null,
      hand: old.method !== 'manual',
    })),
  ];
  if (old.method === 'manual') return configInput.parse(manualConfig(grades));
  const scales: Scale[] = [{ key: 'grade', name: old.levelName || '評価', rule: ruleOf(old), grades }];
  const slots: Partial<Slot>[] = [
    { key: 'grade', name: '評価', subject: 'indicator', enteredBy: 'computed', scale: 'grade', override: true },
  ];
  if (recordGrades) {
    scales.push({ ...manualConfig(fallback).scales[0]!, key: 'self', name: '自己評価' });
    slots.push({ key: 'self', name: '自己評価', subject: 'record', enteredBy: 'department', scale: 'self' });
  }
  if (old.rollup) {
    const marks = [...new Set(old.rollup.bands.map((b) => b.code))];
    scales.push({
      key: 'mark',
      name: '体系の評価',
      rule: { kind: 'rollup', method: 'average', shareOf: [], bands: old.rollup.bands, cannotCompute: null },
      grades: marks.map((c, i) => ({ code: c, label: '', tally: true, points: marks.length - i, hand: false })),
    });
    slots.push({
      key: 'mark',
      name: '体系の評価',
      subject: 'node',
      depth: old.rollup.depth,
      enteredBy: 'computed',
      scale: 'mark',
      rollupFrom: 'grade',
    });
  }
  return configInput.parse({ scales, slots });
}

const DEFAULT_OPTIONS: LegacyOption[] = [
  { code: 'A', label: '順調または目標達成' },
  { code: 'B', label: '概ね順調' },
  { code: 'C', label: '検討が必要' },
  { code: 'D', label: '極めて不十分・実施せず' },
];

function manualConfig(grades: (LegacyOption | GradeDef)[]) {
  return {
    scales: [
      {
        key: 'grade',
        name: '評価',
        rule: { kind: 'manual' as const },
        grades: grades.map((g, i) => ({
          code: g.code,
          label: g.label,
          tally: 'tally' in g ? g.tally : !DASH.test(g.code),
          points: 'points' in g ? g.points : grades.length - i,
          hand: false,
        })),
      },
    ],
    slots: [
      {
        key: 'grade',
        name: '評価',
        subject: 'record' as const,
        enteredBy: 'department' as const,
        scale: 'grade',
        required: true,
        // asked for in the year-end round, as the sheet always did
        phase: 'end',
      },
    ],
  };
}

function ruleOf(old: LegacyScale): Scale['rule'] {
  const levels = old.levels.map((l) => ({ code: l.code, min: l.min }));
  if (old.method === 'done')
    return {
      kind: 'done',
      done: old.doneGrade ?? '○',
      notDone: old.notDoneGrade ?? '×',
      notApplicable: old.statusGrades.not_applicable ?? null,
      statusGrades: old.statusGrades,
    };
  return {
    kind: old.method === 'ratio' ? 'ratio' : 'progress',
    levelName: old.levelName,
    levels,
    levelGrades: old.levelGrades,
    noTarget: old.noTargetGrade,
    cannotCompute: null,
    statusGrades: old.statusGrades,
  };
}
