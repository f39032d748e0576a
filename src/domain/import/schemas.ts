import { z } from 'zod';
import { configInput } from '../evaluation/schema.js';
import { fiscalYear, id } from '../schemas.js';
import { IMPORT_FIELDS } from './mapping.js';
import { patternProblem } from './pattern-safety.js';
import { fixesSchema, NO_FIXES } from './fixes.js';
import { forForm } from '../field-labels.js';

/** A regular expression a user typed: refused when it cannot run safely on every cell (see pattern-safety.ts). */
const pattern = z
  .string()
  .max(300)
  .superRefine((p, ctx) => {
    const problem = patternProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Mappings and import requests as the API takes them. */
export const mappingSchema = forForm(
  'mapping',
  z.object({
    name: z
      .string()
      .trim()
      .min(1, '名前を入力してください')
      .max(60)
      .regex(/^[^/\\]+$/, '名前に「/」と「\\」は使えません'),
    label: z.string().max(200).default(''),
    headerWords: z.array(z.string().min(1).max(40)).min(1, '見出し行を見分ける語を1つ以上入れてください').max(20),
    extraHeaderRows: z.number().int().min(0).max(3).default(0),
    levels: z
      .array(
        z.object({
          name: z.string().trim().min(1).max(30),
          column: z.number().int().min(-1).max(99),
          titleColumn: z.number().int().min(0).max(99).optional(),
          numberHeading: z.string().trim().max(30).optional(),
        }),
      )
      .max(6),
    columns: z.partialRecord(z.enum(IMPORT_FIELDS), z.number().int().min(0).max(99)),
    /** columns holding the plan's extra fields, by the field's key (予算額 in column 7: { budget: 7 }) */
    customColumns: z
      .record(z.string().regex(/^[a-z][a-z0-9_]{0,29}$/), z.number().int().min(0).max(99))
      .refine((v) => Object.keys(v).length <= 30, '追加の項目の列は30までです')
      .optional(),
    numberInName: z.boolean().default(false),
    sections: z
      .array(z.object({ level: z.number().int().min(0).max(5), pattern }))
      .max(6)
      .optional(),
    ignore: z.array(pattern).max(20).optional(),
    indicatorInName: z.string().max(20).optional(),
  }),
);

export const sourceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('paste'),
    text: z.string().min(1, '貼り付けた表が空です').max(10_000_000, '貼り付けた表が大きすぎます'),
    /**
     * What the user calls this paste (「令和6年度実績」): a paste taken again under the same name, edited,
     * replaces what the earlier one stored, as a file of the same name does. Without a name, only the
     * same text is the same source.
     */
    name: z.string().trim().max(100, '貼り付けの名前は100文字以内で入力してください').optional(),
  }),
  z.object({
    kind: z.literal('file'),
    name: z.string().min(1).max(200),
    base64: z.string().min(1, 'ファイルが空です'),
    sheet: z.string().max(100).optional(),
  }),
]);

export const previewInput = z.object({
  source: sourceSchema,
  mapping: z.union([z.string().min(1), mappingSchema]),
  /** the user's corrections, as data (the same object a fixes file holds: fixes.ts) */
  fixes: fixesSchema.default(NO_FIXES),
  /** make the reading's high-confidence repairs (自動修正) without asking */
  autoRepair: z.boolean().default(true),
  /** the plan the rows would go into (its 区分 list checks the rows); none: a new plan */
  planId: id.nullable().default(null),
});

export const commitInput = forForm(
  'importCommit',
  previewInput.extend({
    planId: id.nullable().default(null),
    newPlan: z
      .object({
        title: z.string().trim().min(1, '計画名を入力してください').max(120),
        firstYear: fiscalYear,
        lastYear: fiscalYear,
        /** how the new plan evaluates (a preset's name); by default the report's codes, chosen by hand */
        evaluationPreset: z.string().trim().max(40).optional(),
        /** or a whole configuration (the municipality's own) */
        evaluation: configInput.optional(),
      })
      .nullable()
      .default(null),
    fiscalYear,
    createDepartments: z.boolean().default(false),
  }),
);
