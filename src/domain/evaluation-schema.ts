import { z } from 'zod';
import { DEFAULT_GRADE_OPTIONS, type GradeOption } from './grades.js';
import { manualScale, SCALE_METHODS, withGradeOptions, type EvaluationScale } from './evaluation.js';

/** The schema of an evaluation scale (see evaluation.ts), and the reading of a stored one. */

const code = z.string().trim().min(1, '記号を入力してください').max(10, '記号は10文字以内で入力してください');

export const scaleInput = z
  .object({
    method: z.enum(SCALE_METHODS),
    levelName: z.string().trim().max(20).default('達成度'),
    levels: z
      .array(z.object({ code, min: z.number().min(0, '下限は0以上で入力してください').max(10000) }))
      .max(12)
      .default([]),
    levelGrades: z
      .array(z.object({ level: code, grade: code }))
      .max(12)
      .default([]),
    grades: z
      .array(
        z.object({
          code,
          label: z.string().trim().max(60).default(''),
          tally: z.boolean().default(true),
          score: z.number().min(-100).max(100).nullable().default(null),
        }),
      )
      .min(1, '評価の記号を1つ以上入れてください')
      .max(20),
    noTargetGrade: code.nullable().default(null),
    statusGrades: z.partialRecord(z.enum(['not_done', 'not_applicable', 'cancelled', 'biennial']), code).default({}),
    doneGrade: code.nullable().default(null),
    notDoneGrade: code.nullable().default(null),
    rollup: z
      .object({
        depth: z.number().int().min(0).max(5),
        bands: z
          .array(z.object({ min: z.number().min(-100).max(100), code: z.string().trim().min(1).max(10) }))
          .min(1)
          .max(10),
      })
      .nullable()
      .default(null),
  })
  .superRefine((s, ctx) => {
    const codes = new Set(s.grades.map((g) => g.code));
    if (codes.size !== s.grades.length)
      ctx.addIssue({ code: 'custom', path: ['grades'], message: '同じ記号が重複しています' });
    const levels = new Set(s.levels.map((l) => l.code));
    if (levels.size !== s.levels.length)
      ctx.addIssue({ code: 'custom', path: ['levels'], message: '同じ段階が重複しています' });
    if ((s.method === 'ratio' || s.method === 'progress') && s.levels.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['levels'],
        message: '計算する評価には段階（下限の%）を1つ以上入れてください',
      });
    for (const [i, m] of s.levelGrades.entries()) {
      if (!levels.has(m.level))
        ctx.addIssue({ code: 'custom', path: ['levelGrades', i, 'level'], message: `段階「${m.level}」がありません` });
      if (!codes.has(m.grade))
        ctx.addIssue({
          code: 'custom',
          path: ['levelGrades', i, 'grade'],
          message: `評価「${m.grade}」が凡例にありません`,
        });
    }
    // Every code a computation can print must be in the legend, so that tallies and the legend agree.
    const printed = [
      ...s.levels.filter((l) => !s.levelGrades.some((m) => m.level === l.code)).map((l) => ['levels', l.code] as const),
      ...(
        [
          ['noTargetGrade', s.noTargetGrade],
          ['doneGrade', s.doneGrade],
          ['notDoneGrade', s.notDoneGrade],
        ] as const
      )
        .filter(([, c]) => c !== null)
        .map(([k, c]) => [k, c!] as const),
      ...Object.values(s.statusGrades).map((c) => ['statusGrades', c] as const),
    ];
    for (const [path, c] of printed)
      if (!codes.has(c))
        ctx.addIssue({ code: 'custom', path: [path], message: `評価「${c}」が凡例にありません。凡例に加えてください` });
  });
export type ScaleInput = z.input<typeof scaleInput>;

/** Reads a stored scale; plans without one grade by hand from their grade options. */
export function readScale(stored: string | null | undefined, options: GradeOption[]): EvaluationScale {
  const scale: EvaluationScale = stored
    ? scaleInput.parse(JSON.parse(stored))
    : manualScale(options.length ? options : DEFAULT_GRADE_OPTIONS);
  return withGradeOptions(scale, options);
}
