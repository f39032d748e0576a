import { z } from 'zod';
import { configInput } from './evaluation/schema.js';
import { checkLocalGovernmentCode } from './municipality.js';
import { MAX_FISCAL_YEAR, MIN_FISCAL_YEAR } from './fiscal-year.js';
import { NUMBERING_SCOPES, NUMBERING_STYLES } from './numbering.js';
import { ROLES } from './roles.js';
import { DEPARTMENT_KINDS, REORG_KINDS } from './department.js';
import { normalizeLoginId } from './login-id.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-policy.js';
import { CUSTOM_FIELD_PLACES, CUSTOM_FIELD_TYPES } from './plan-fields.js';
import { forForm } from './field-labels.js';

z.config(z.locales.ja());

/** Trimmed single-line text; full-width spaces count as spaces; a line break is refused (it would reach e-mail headers and printed cells). */
const lineOf = (max: number, min: number) =>
  z
    .string()
    .transform((s) => s.replace(/\u3000/g, ' ').trim())
    .pipe(
      z
        .string()
        .min(min, '入力してください')
        .max(max, `${max}文字以内で入力してください`)
        .regex(/^[^\r\n\u2028\u2029]*$/, '改行を入れずに入力してください'),
    );
const line = (max: number) => lineOf(max, 1);
/** The same where it may be left empty (a heading that then takes its default). */
const optionalLine = (max: number) => lineOf(max, 0).default('');
const optionalText = (max: number) =>
  z
    .string()
    .max(max, `${max}文字以内で入力してください`)
    .transform((s) => s.trim())
    .default('');

export const id = z.coerce.number().int().positive();
/** A fiscal year; the messages (「計画期間（開始年度）は2000年度以降を指定してください」) name the field. */
export const fiscalYear = z.number().int().min(MIN_FISCAL_YEAR).max(MAX_FISCAL_YEAR);

/** A fiscal year written in a URL (path or query): digits read as the number. */
export const fiscalYearParam = z.preprocess(
  (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v),
  fiscalYear,
);

/** A login ID as typed, in its one stored form (see login-id.ts). */
const loginId = z
  .string()
  .max(200)
  .transform(normalizeLoginId)
  .pipe(z.string().min(1, '入力してください').max(64, '64文字以内で入力してください'));

export const loginInput = z.object({
  loginName: loginId,
  password: z.string().min(1, '入力してください').max(256),
});

/** Stored half-width and trimmed, so that 「０１２０２５」 and 「 012025」 are the same municipality as 「012025」. */
const localGovernmentCode = z
  .string()
  .superRefine((value, ctx) => {
    const r = checkLocalGovernmentCode(value);
    if (!r.ok)
      ctx.addIssue({
        code: 'custom',
        message:
          r.problem === 'format'
            ? '全国地方公共団体コードは6桁の数字で入力してください'
            : '全国地方公共団体コードの検査数字が一致しません。番号を確かめてください',
      });
  })
  .transform((value) => {
    const r = checkLocalGovernmentCode(value);
    return r.ok ? r.code : value;
  });
const era2019 = z.enum(['heisei31', 'reiwa1']);

export const municipalityInput = forForm(
  'municipality',
  z.object({
    name: line(60),
    code: localGovernmentCode,
    era2019: era2019.default('reiwa1'),
  }),
);

export const municipalityUpdateInput = forForm(
  'municipality',
  z.object({
    name: line(60).optional(),
    code: localGovernmentCode.optional(),
    era2019: era2019.optional(),
  }),
);

/** The length part of the password rule; the rest (common words, the account's own name) is checked by the service with the account in view. */
export const passwordField = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `${PASSWORD_MIN_LENGTH}文字以上で入力してください`)
  .max(PASSWORD_MAX_LENGTH, `${PASSWORD_MAX_LENGTH}文字以内で入力してください`);

export const passwordChangeInput = z.object({
  currentPassword: z.string().min(1, '今のパスワードを入力してください').max(256),
  newPassword: passwordField,
});

const email = z
  .string()
  .trim()
  .max(254)
  .refine((v) => v === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), 'メールアドレスの形式が正しくありません');

export const userCreateInput = forForm(
  'user',
  z.object({
    loginName: z
      .string()
      .max(200)
      .transform(normalizeLoginId)
      .pipe(z.string().regex(/^[a-z0-9._@-]{3,64}$/, '半角英数字と . _ @ - の3〜64文字で入力してください')),
    displayName: line(60),
    role: z.enum(ROLES),
    municipalityId: id.nullable().default(null),
    departmentId: id.nullable().default(null),
    email: email.default(''),
    password: passwordField,
  }),
);

export const userUpdateInput = forForm(
  'user',
  z.object({
    displayName: line(60).optional(),
    role: z.enum(ROLES).optional(),
    departmentId: id.nullable().optional(),
    active: z.boolean().optional(),
    email: email.optional(),
    password: passwordField.optional(),
  }),
);

export const departmentInput = forForm(
  'department',
  z.object({
    name: line(60),
    kind: z.enum(DEPARTMENT_KINDS),
    parentId: id.nullable().default(null),
    activeFrom: fiscalYear.nullable().default(null),
    activeTo: fiscalYear.nullable().default(null),
  }),
);

export const departmentUpdateInput = forForm(
  'department',
  z.object({
    name: line(60).optional(),
    kind: z.enum(DEPARTMENT_KINDS).optional(),
    parentId: id.nullable().optional(),
    activeFrom: fiscalYear.nullable().optional(),
    activeTo: fiscalYear.nullable().optional(),
  }),
);

export const reorganisationUpdateInput = forForm(
  'reorganisation',
  z.object({
    effectiveYear: fiscalYear.optional(),
    toNames: z.array(line(60)).min(1, '組織変更後の課名を入力してください').max(20).optional(),
    note: optionalText(400).optional(),
  }),
);

export const reasonInput = z.object({
  reason: z
    .string()
    .transform((s) => s.replace(/\u3000/g, ' ').trim())
    .pipe(
      z
        .string()
        .min(1, '理由を入力してください')
        .max(400, '理由は400文字以内で入力してください')
        .regex(/^[^\r\n\u2028\u2029]*$/, '改行を入れずに入力してください'),
    ),
});

export const reorganisationInput = forForm(
  'reorganisation',
  z
    .object({
      kind: z.enum(REORG_KINDS),
      effectiveYear: fiscalYear,
      fromIds: z.array(id).min(1, '組織変更前の課を選んでください').max(20),
      /** for rename and merge: one new name; for split: two or more */
      toNames: z.array(line(60)).min(1, '組織変更後の課名を入力してください').max(20),
      parentId: id.nullable().default(null),
      note: optionalText(400),
    })
    .superRefine((v, ctx) => {
      // Each problem beside the field it is about.
      const need = (ok: boolean, path: 'fromIds' | 'toNames', message: string) =>
        ok || ctx.addIssue({ code: 'custom', path: [path], message });
      if (v.kind === 'rename') {
        need(v.fromIds.length === 1, 'fromIds', '名称変更では組織変更前の課を1つ選んでください');
        need(v.toNames.length === 1, 'toNames', '名称変更では組織変更後の課名を1つ入力してください');
      }
      if (v.kind === 'merge') {
        need(v.fromIds.length >= 2, 'fromIds', '統合では組織変更前の課を2つ以上選んでください');
        need(v.toNames.length === 1, 'toNames', '統合では組織変更後の課名を1つ入力してください');
      }
      if (v.kind === 'split') {
        need(v.fromIds.length === 1, 'fromIds', '分割では組織変更前の課を1つ選んでください');
        need(v.toNames.length >= 2, 'toNames', '分割では組織変更後の課名を2つ以上（1行に1つ）入力してください');
      }
    }),
);

export const levelInput = z.object({
  name: line(30),
  numberingStyle: z.enum(NUMBERING_STYLES),
  numberingScope: z.enum(NUMBERING_SCOPES),
  /** the heading over the level's number where a layout prints it in a column of its own; empty: 「{name}No.」 */
  numberHeading: optionalLine(30),
});

/** A plan's grade options (see grades.ts): codes unique. */
export const gradeOptionsInput = z
  .array(
    z.object({
      code: z.string().trim().min(1, '記号を入力してください').max(10),
      label: z.string().trim().max(60).default(''),
    }),
  )
  .max(20)
  .refine((list) => new Set(list.map((g) => g.code)).size === list.length, '評価の選択肢に同じ記号が重複しています');

/** The plan's 区分 list, in its order (see plan-fields.ts). */
export const categoriesInput = z
  .array(z.object({ code: line(20), counted: z.boolean().default(true) }))
  .max(30, '区分は30件までです')
  .refine((list) => new Set(list.map((c) => c.code)).size === list.length, '区分に同じ名前が重複しています');

/** The plan's extra fields on projects and answers (see plan-fields.ts). */
export const customFieldsInput = z
  .array(
    z
      .object({
        key: z
          .string()
          .regex(/^[a-z][a-z0-9_]{0,29}$/, '項目の識別名は半角英小文字で始まる30文字以内の英数字にしてください'),
        label: line(40),
        on: z.enum(CUSTOM_FIELD_PLACES),
        type: z.enum(CUSTOM_FIELD_TYPES),
        unit: z.string().trim().max(10).default(''),
        choices: z.array(line(20)).max(30).default([]),
        phases: z.array(line(20)).max(12).default([]),
        maxLength: z.number().int().min(1).max(4000).default(400),
      })
      .superRefine((f, ctx) => {
        if (f.type === 'choice' && f.choices.length === 0)
          ctx.addIssue({ code: 'custom', path: ['choices'], message: '選択肢を1つ以上入力してください' });
        if (f.type === 'stage' && f.phases.length === 0)
          ctx.addIssue({ code: 'custom', path: ['phases'], message: '期（前期・後期など）を1つ以上入力してください' });
      }),
  )
  .max(30, '追加の項目は30件までです')
  .refine((list) => new Set(list.map((f) => f.key)).size === list.length, '追加の項目の識別名が重複しています');

/** Values of the extra fields as sent: read against the plan's definitions on the server (readCustomValues). */
export const customValuesInput = z
  .record(
    z.string().max(30),
    z.union([z.string().max(4000), z.number(), z.null(), z.record(z.string().max(20), z.string().max(10))]),
  )
  .refine((v) => Object.keys(v).length <= 30, '追加の項目が多すぎます');

const planFields = {
  title: line(120),
  slogan: optionalText(200),
  firstYear: fiscalYear,
  lastYear: fiscalYear,
  subPlans: z.array(line(80)).max(10, '関連計画は10件までです').default([]),
};

function periodOk(v: { firstYear?: number; lastYear?: number }, ctx: z.RefinementCtx) {
  if (v.firstYear !== undefined && v.lastYear !== undefined && v.lastYear < v.firstYear)
    ctx.addIssue({ code: 'custom', path: ['lastYear'], message: '計画期間（終了年度）は開始年度以降にしてください' });
}

export const planCreateInput = forForm(
  'plan',
  z
    .object({
      ...planFields,
      levels: z.array(levelInput).min(2, '階層は2〜6段にしてください').max(6, '階層は2〜6段にしてください'),
      /** the plan's 区分 list (the default list if absent) and its extra fields */
      categories: categoriesInput.optional(),
      customFields: customFieldsInput.optional(),
      /** how the plan evaluates from its first year: a configuration, or one of the presets by name (A〜D by hand if neither) */
      evaluation: configInput.optional(),
      evaluationPreset: z.string().trim().max(40).optional(),
    })
    .superRefine(periodOk),
);

export const planUpdateInput = forForm(
  'plan',
  z
    .object({
      title: planFields.title.optional(),
      // No default here: a field left out of an update keeps its value.
      slogan: z
        .string()
        .max(200, '200文字以内で入力してください')
        .transform((s) => s.trim())
        .optional(),
      firstYear: fiscalYear.optional(),
      lastYear: fiscalYear.optional(),
      subPlans: z.array(line(80)).max(10).optional(),
      categories: categoriesInput.optional(),
      customFields: customFieldsInput.optional(),
      levels: z.array(levelInput).min(2, '階層は2〜6段にしてください').max(6, '階層は2〜6段にしてください').optional(),
    })
    .superRefine(periodOk),
);

/** The fiscal years a node or project applies in: absent = from the plan's current year on. */
const yearSpan = {
  startYear: fiscalYear.nullable().optional(),
  endYear: fiscalYear.nullable().default(null),
};
/** An end year before the start year is refused on the end year's field. */
export const spanOk = (v: { startYear?: number | null; endYear?: number | null }, ctx: z.RefinementCtx) => {
  if (v.startYear != null && v.endYear != null && v.endYear < v.startYear)
    ctx.addIssue({ code: 'custom', path: ['endYear'], message: '終了年度は開始年度以降にしてください' });
};

export const nodeInput = forForm(
  'node',
  z
    .object({
      ...yearSpan,
      /** renumber: numbers after the new node move on; append: it takes the next free number and nothing else changes */
      numbering: z.enum(['renumber', 'append']).default('renumber'),
      parentId: id.nullable().default(null),
      title: line(200),
      description: optionalText(2000),
      numberOverride: z
        .string()
        .trim()
        .max(20, '20文字以内で入力してください')
        .nullable()
        .default(null)
        .transform((s) => (s === '' ? null : s)),
      priority: z.boolean().default(false),
      subPlans: z.array(line(80)).max(10).default([]),
    })
    .superRefine(spanOk),
);

export const nodeUpdateInput = forForm(
  'node',
  z
    .object({
      startYear: fiscalYear.nullable().optional(),
      endYear: fiscalYear.nullable().optional(),
      title: line(200).optional(),
      description: optionalText(2000).optional(),
      numberOverride: z
        .string()
        .trim()
        .max(20, '20文字以内で入力してください')
        .nullable()
        .optional()
        .transform((s) => (s === '' ? null : s)),
      priority: z.boolean().optional(),
      subPlans: z.array(line(80)).max(10).optional(),
    })
    .superRefine(spanOk),
);

export const nodeMoveInput = forForm(
  'node',
  z.object({
    parentId: id.nullable(),
    /** 0-based position among the new siblings */
    index: z.number().int().min(0),
    /** keep the printed numbers of every node the move would renumber (they become explicit numbers) */
    keepNumbers: z.boolean().default(false),
  }),
);

/** What a structure change would renumber in the plan's current year, asked before making it. */
export const numberingPreviewInput = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('create'),
    parentId: id.nullable().default(null),
    numbering: z.enum(['renumber', 'append']).default('renumber'),
  }),
  z.object({ op: z.literal('move'), nodeId: id, parentId: id.nullable(), index: z.number().int().min(0) }),
  z.object({ op: z.literal('delete'), nodeId: id }),
]);

export { PROJECT_CATEGORIES, type ProjectCategory } from './plan-terms.js';

export const projectInput = forForm(
  'project',
  z
    .object({
      nodeId: id,
      number: z
        .string()
        .transform((s) => s.replace(/\u3000/g, ' ').trim())
        .pipe(z.string().min(1, '事業番号を入力してください').max(20, '20文字以内で入力してください')),
      name: line(200),
      summary: optionalText(4000),
      // One of the plan's 区分 (checked against the plan's list on the server).
      category: z
        .string()
        .transform((s) => s.trim())
        .pipe(z.string().max(20, '20文字以内で入力してください'))
        .nullable()
        .transform((s) => (s === '' ? null : s))
        .default(null),
      audience: optionalText(200),
      /** the plan's extra fields on projects; absent keeps the stored values */
      custom: customValuesInput.optional(),
      leadDepartmentId: id,
      coDepartmentIds: z.array(id).max(30).default([]),
      crossListNodeIds: z.array(id).max(30).default([]),
      ...yearSpan,
    })
    .superRefine((v, ctx) => {
      if (v.coDepartmentIds.includes(v.leadDepartmentId))
        ctx.addIssue({
          code: 'custom',
          path: ['coDepartmentIds'],
          message: '主担当課と同じ課は関係課に入れられません',
        });
      if (new Set(v.coDepartmentIds).size !== v.coDepartmentIds.length)
        ctx.addIssue({ code: 'custom', path: ['coDepartmentIds'], message: '関係課に同じ課が重複しています' });
      if (v.crossListNodeIds.includes(v.nodeId))
        ctx.addIssue({ code: 'custom', path: ['crossListNodeIds'], message: '再掲先には掲載先と同じ項目を選べません' });
      if (new Set(v.crossListNodeIds).size !== v.crossListNodeIds.length)
        ctx.addIssue({ code: 'custom', path: ['crossListNodeIds'], message: '同じ再掲先が重複しています' });
      spanOk(v, ctx);
    }),
);

export type ProjectInput = z.infer<typeof projectInput>;
export type PlanCreateInput = z.infer<typeof planCreateInput>;
export type LevelInput = z.infer<typeof levelInput>;
