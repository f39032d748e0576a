import { z } from 'zod';
import { PHASES } from '../cycle.js';
import { scaleInput, type Scale } from './scale.js';
import { INDICATOR_PURPOSES } from './targets.js';

/**
 * An evaluation slot is one evaluation a plan makes of its items: the department's self-evaluation of
 * each answer, the coordinating section's, a committee's or the council's, a computed judgement of
 * each indicator line against its target and another against the previous year, a ★ mark per 施策.
 * Each has its subject (what it evaluates), who enters it, in which phase, on which scale, and
 * whether it is printed and counted. A plan's slots and scales form its evaluation configuration,
 * which is versioned by fiscal year so that a revision never regrades the years before it.
 */

export const SUBJECT_KINDS = ['indicator', 'record', 'project', 'node', 'plan'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];
export const SUBJECT_KIND_LABELS: Record<SubjectKind, string> = {
  indicator: '指標の行（指標×担当課）',
  record: '事業の回答（事業×担当課）',
  project: '事業',
  node: '体系（施策・基本目標など）',
  plan: '計画全体',
};
/** Lower subjects roll up into higher ones. */
const SUBJECT_RANK: Record<SubjectKind, number> = { indicator: 0, record: 1, project: 2, node: 3, plan: 4 };

export const ENTRY_ROLES = ['department', 'coordinator', 'committee', 'council', 'computed'] as const;
export type EntryRole = (typeof ENTRY_ROLES)[number];
export const ENTRY_ROLE_LABELS: Record<EntryRole, string> = {
  department: '担当課（自己評価）',
  coordinator: '計画所管課',
  committee: '推進委員会など庁内の委員',
  council: '審議会・外部評価の委員',
  computed: '自動計算',
};

const key = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, '英小文字で始まる半角英数字（32文字以内）で入力してください');

export const slotInput = z.object({
  key,
  /** the column's name: 自己評価, 担当課評価, 審議会評価, 目標に対する達成状況, 前年度との比較 */
  name: z.string().trim().min(1, '名前を入力してください').max(30, '名前は30文字以内で入力してください'),
  subject: z.enum(SUBJECT_KINDS),
  /** node slots: the depth of the plan's tree they evaluate (0 = the top level); null = every node */
  depth: z.number().int().min(0).max(5).nullable().default(null),
  enteredBy: z.enum(ENTRY_ROLES),
  /** the round phase in which it is entered; null = any */
  phase: z.enum(PHASES).nullable().default(null),
  scale: key,
  /** indicator slots: the kinds of indicator they evaluate (monitoring is never graded) */
  purposes: z.array(z.enum(INDICATOR_PURPOSES)).max(3).default(['target', 'expected']),
  /** computed slots: the department may enter another code with a reason, printed beside it */
  override: z.boolean().default(false),
  /** rollup slots: the slot whose evaluations are summed up */
  rollupFrom: key.nullable().default(null),
  /** a comment is written with the code (審議会の意見, 総評) */
  comment: z.boolean().default(false),
  /** department slots: the answer cannot be submitted without it */
  required: z.boolean().default(false),
  printed: z.boolean().default(true),
  tallied: z.boolean().default(true),
  /** entered slots: compared with this computed slot by the self-evaluation checks */
  checkAgainst: key.nullable().default(null),
});
export type Slot = z.output<typeof slotInput>;

export const configInput = z
  .object({
    scales: z.array(scaleInput).min(1, '尺度を1つ以上入れてください').max(12),
    slots: z.array(slotInput).min(1, '評価を1つ以上入れてください').max(12),
  })
  .superRefine((c, ctx) => checkConfig(c, ctx));
export type EvaluationConfig = z.output<typeof configInput>;
export type EvaluationConfigInput = z.input<typeof configInput>;

function issue(ctx: z.RefinementCtx, path: (string | number)[], message: string) {
  ctx.addIssue({ code: 'custom', path, message });
}

function checkConfig(c: { scales: Scale[]; slots: Slot[] }, ctx: z.RefinementCtx) {
  const scaleKeys = new Set(c.scales.map((s) => s.key));
  if (scaleKeys.size !== c.scales.length) issue(ctx, ['scales'], '同じキーの尺度が2つあります');
  const slotKeys = new Set(c.slots.map((s) => s.key));
  if (slotKeys.size !== c.slots.length) issue(ctx, ['slots'], '同じキーの評価が2つあります');
  for (const [i, slot] of c.slots.entries()) {
    const scale = c.scales.find((s) => s.key === slot.scale);
    if (!scale) issue(ctx, ['slots', i, 'scale'], `尺度「${slot.scale}」がありません`);
    else for (const m of slotProblems(slot, scale, c.slots)) issue(ctx, ['slots', i, m.field], m.message);
  }
  const cycle = rollupCycle(c.slots);
  if (cycle) issue(ctx, ['slots'], `集約の元が循環しています（${cycle.join(' → ')}）`);
}

/** What is wrong with one slot, field by field (empty when nothing). */
export function slotProblems(slot: Slot, scale: Scale, slots: Slot[]): { field: keyof Slot; message: string }[] {
  const out: { field: keyof Slot; message: string }[] = [];
  const rule = scale.rule.kind;
  if (slot.enteredBy === 'computed' && rule === 'manual')
    out.push({ field: 'scale', message: '自動計算の評価には、計算する尺度を選んでください' });
  if (slot.enteredBy !== 'computed' && rule !== 'manual')
    out.push({
      field: 'scale',
      message: '手入力の評価には手入力の尺度を選んでください（計算する尺度は「自動計算」で使います）',
    });
  if (
    slot.enteredBy === 'computed' &&
    ['ratio', 'progress', 'trend', 'done'].includes(rule) &&
    slot.subject !== 'indicator'
  )
    out.push({ field: 'subject', message: '指標から計算する評価の対象は「指標の行」です' });
  if (rule === 'rollup') out.push(...rollupProblems(slot, slots));
  else if (slot.rollupFrom !== null)
    out.push({ field: 'rollupFrom', message: '集約の元は、集約する尺度のときだけ選べます' });
  if (slot.subject !== 'node' && slot.depth !== null)
    out.push({ field: 'depth', message: '階層は体系の評価のときだけ選べます' });
  if (slot.override && slot.enteredBy !== 'computed')
    out.push({ field: 'override', message: '計算と異なる評価の入力は、自動計算の評価のときだけ選べます' });
  if (slot.required && slot.enteredBy !== 'department')
    out.push({ field: 'required', message: '提出に必須にできるのは担当課が入力する評価だけです' });
  if (slot.subject === 'indicator' && slot.purposes.length === 0)
    out.push({ field: 'purposes', message: '評価する指標の種類を選んでください' });
  if (slot.checkAgainst !== null) {
    const other = slots.find((s) => s.key === slot.checkAgainst);
    if (!other || other.enteredBy !== 'computed')
      out.push({ field: 'checkAgainst', message: '照合する相手には自動計算の評価を選んでください' });
  }
  return out;
}

function rollupProblems(slot: Slot, slots: Slot[]): { field: keyof Slot; message: string }[] {
  if (slot.enteredBy !== 'computed') return [];
  const from = slots.find((s) => s.key === slot.rollupFrom);
  if (!from) return [{ field: 'rollupFrom', message: '集約の元にする評価を選んでください' }];
  const lower = SUBJECT_RANK[from.subject] < SUBJECT_RANK[slot.subject];
  const deeperNode =
    from.subject === 'node' &&
    slot.subject === 'node' &&
    from.depth !== null &&
    slot.depth !== null &&
    from.depth > slot.depth;
  if (!lower && !deeperNode)
    return [
      { field: 'rollupFrom', message: '集約の元には、より下の対象（指標の行・回答・下の階層）の評価を選んでください' },
    ];
  return [];
}

function rollupCycle(slots: Slot[]): string[] | null {
  for (const start of slots) {
    const seen: string[] = [start.key];
    let at = start;
    while (at.rollupFrom) {
      const next = slots.find((s) => s.key === at.rollupFrom);
      if (!next) break;
      if (seen.includes(next.key)) return [...seen, next.key];
      seen.push(next.key);
      at = next;
    }
  }
  return null;
}

export const slotScale = (config: EvaluationConfig, slot: Slot): Scale =>
  config.scales.find((s) => s.key === slot.scale)!;

export const findSlot = (config: EvaluationConfig, slotKey: string): Slot | undefined =>
  config.slots.find((s) => s.key === slotKey);

/** Whether a slot evaluates a node of this depth. */
export const slotCoversDepth = (slot: Slot, depth: number): boolean =>
  slot.subject === 'node' && (slot.depth === null || slot.depth === depth);

/** A configuration in force from a fiscal year until the next version's year. */
export interface ConfigVersion {
  fromYear: number;
  config: EvaluationConfig;
}

/** The version in force in a fiscal year: the latest starting on or before it (the first one before all). */
export function versionFor<V extends { fromYear: number }>(versions: V[], fiscalYear: number): V | undefined {
  const sorted = [...versions].sort((a, b) => a.fromYear - b.fromYear);
  let found = sorted[0];
  for (const v of sorted) if (v.fromYear <= fiscalYear) found = v;
  return found;
}
