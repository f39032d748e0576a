import type { EvaluationConfig, GradeDef, Judgement, Scale, Slot } from '../../../domain/evaluation/index.js';
import { counts, DASH, handCodes, slotScale, versionFor } from '../../../domain/evaluation/index.js';
import type { DbOrTx } from '../../db/types.js';
import { now } from '../../db/util.js';
import { eraYearLabel } from '../../../domain/fiscal-year.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../auth/index.js';
import { writeEntries, type EntryTarget, type EntryValue } from './entries.js';
import * as repo from './evaluations.repository.js';
import { evaluatePlanYear, loadVersions } from './year-facts.js';

/**
 * Grades read from a printed report go into the plan's own slot for them: the first slot on answers
 * or indicator lines that departments enter or the rules compute. A printed grade equal to what the
 * rule computes is not stored; one that differs is kept as an override with the report as its reason;
 * a grade with no place in the plan is refused with a message, never dropped.
 */

export interface ImportedGrade {
  projectId: number;
  departmentId: number;
  /** the line's indicator, or null for a grade printed on the answer */
  indicatorId: number | null;
  code: string;
  /** the 達成度 the report printed beside it */
  level: string | null;
}

export interface ImportScope {
  municipalityId: number;
  planId: number;
  fiscalYear: number;
}

export const IMPORTED_REASON = '取り込んだ報告書の記載による';

/** The slot imported grades go into. */
export const importSlot = (config: EvaluationConfig): Slot | undefined =>
  config.slots.find(
    (s) =>
      (s.subject === 'record' || s.subject === 'indicator') &&
      (s.enteredBy === 'department' || s.enteredBy === 'computed'),
  );

const newGrade = (code: string): GradeDef => ({ code, label: '', tally: !DASH.test(code), points: null, hand: true });

/**
 * Codes the slot's legend lacks are added to it, as the plan's legend always took a report's codes —
 * unless a year the version covers is fixed: then the import is refused, naming the codes.
 */
async function extendLegend(tx: DbOrTx, scope: ImportScope, codes: string[]): Promise<void> {
  const versions = await loadVersions(tx, scope.planId);
  const version = versionFor(versions, scope.fiscalYear)!;
  const slot = importSlot(version.config);
  if (!slot) return;
  const scale = slotScale(version.config, slot);
  const missing = [...new Set(codes)].filter((c) => !scale.grades.some((g) => g.code === c));
  if (missing.length === 0) return;
  const next = versions.find((v) => v.fromYear > version.fromYear);
  const fixed = (await repo.fixedYears(tx, scope.planId)).filter(
    (y) => y >= version.fromYear && (!next || y < next.fromYear),
  );
  if (fixed.length)
    throw new AppError(
      'VALIDATION',
      `評価「${missing.join('」「')}」は「${slot.name}」の凡例にありません。${fixed.join('・')}年度が確定済みのため凡例は変えられません。評価の設定を確認してください`,
    );
  const config: EvaluationConfig = {
    ...version.config,
    scales: version.config.scales.map((s) =>
      s.key === scale.key ? { ...s, grades: [...s.grades, ...missing.map(newGrade)] } : s,
    ),
  };
  await repo.updateVersionRow(tx, version.id, {
    definition: JSON.stringify(config),
    note: version.note,
    created_at: now(),
    created_by: null,
    created_by_name: version.createdByName,
  });
}

/**
 * The value an imported grade is stored as, or null where the rule computes the same. Two codes the
 * scale does not count (「-」 and 「—」) mean the same: the printed glyph is kept, not as an override.
 */
function valueOf(slot: Slot, scale: Scale, judged: Judgement | null, g: ImportedGrade): EntryValue | null {
  // A hand-entered slot keeps the report's 達成度 beside its code, as printed (the report shows it).
  if (slot.enteredBy !== 'computed') return { code: g.code, level: g.level || null, reason: '', comment: '' };
  const computed = judged === null || judged.excluded ? undefined : judged.code;
  if (computed === g.code) return null;
  // Where the rule has nothing to judge (an answer without an indicator line), the printed code is a hand grade.
  if (computed === undefined) return { code: g.code, level: g.level, reason: '', comment: '' };
  // Where it judged and could not compute, a hand code (着手) or a code not counted (—) is an entry of its
  // own; a counted level code of the rule (×) disagrees with it and is kept with the report as its reason.
  if (computed === null)
    return handCodes(scale).some((h) => h.code === g.code) || !counts(scale, g.code)
      ? { code: g.code, level: g.level, reason: '', comment: '' }
      : { code: g.code, level: g.level, reason: IMPORTED_REASON, comment: '' };
  if (!counts(scale, computed) && !counts(scale, g.code)) return { code: g.code, level: null, reason: '', comment: '' };
  return { code: g.code, level: g.level, reason: IMPORTED_REASON, comment: '' };
}

export async function importGrades(
  tx: DbOrTx,
  actor: Actor,
  scope: ImportScope,
  grades: ImportedGrade[],
): Promise<void> {
  if (grades.length === 0) return;
  await extendLegend(
    tx,
    scope,
    grades.map((g) => g.code),
  );
  const config = versionFor(await loadVersions(tx, scope.planId), scope.fiscalYear)!.config;
  const slot = importSlot(config);
  if (!slot)
    throw new AppError(
      'VALIDATION',
      'この計画の評価の設定には、取り込んだ評価を入れる項目（担当課の評価または計算）がありません',
    );
  // A slot the departments enter on answers takes the printed code on the answer the import has just written:
  // the year is evaluated only where a rule computes (to compare with it) or the slot is on lines (an answer
  // with lines has no place for a grade of its own there).
  const evaluations =
    slot.enteredBy === 'computed' || slot.subject !== 'record'
      ? (await evaluatePlanYear(tx, scope.planId, scope.fiscalYear)).evaluations
      : null;
  const scale = slotScale(config, slot);
  // The entries' place, without the rest of the caller's scope (thousands of entries in a large report).
  const place = { municipalityId: scope.municipalityId, planId: scope.planId, fiscalYear: scope.fiscalYear };
  const entries: { target: EntryTarget; value: EntryValue }[] = [];
  for (const g of grades) {
    const onLine = slot.subject === 'indicator' && g.indicatorId !== null;
    const kind = onLine ? ('indicator' as const) : ('record' as const);
    const subjectId = onLine ? g.indicatorId! : g.projectId;
    const placed = evaluations ? evaluations.get(slot.key, kind, subjectId, g.departmentId) : true;
    if (!placed)
      throw new AppError(
        'VALIDATION',
        `評価「${g.code}」を入れる項目がありません（「${slot.name}」は${slot.subject === 'indicator' ? '活動指標ごと' : '回答ごと'}の評価です）`,
      );
    const value = valueOf(slot, scale, placed === true ? null : placed.computed, g);
    const target = { ...place, slotKey: slot.key, subjectKind: kind, subjectId, departmentId: g.departmentId };
    entries.push({ target, value: value ?? { code: null, level: null, reason: '', comment: '' } });
  }
  await writeEntries(tx, actor, entries);
}

/** ○ × — 隔年実施 of an answer for a year, as a report printed it on a line without an indicator. */
export interface ImportedDone {
  projectId: number;
  departmentId: number;
  fiscalYear: number;
  code: string;
}

/** The slot done flags go into: an answer's slot, entered by departments, whose scale has the codes. */
function doneSlot(config: EvaluationConfig, codes: string[]): Slot | undefined {
  return config.slots.find((s) => {
    if (s.subject !== 'record' || s.enteredBy !== 'department') return false;
    const scale = slotScale(config, s);
    return codes.every((c) => scale.grades.some((g) => g.code === c || (DASH.test(c) && DASH.test(g.code))));
  });
}

/**
 * Done flags per project, department and year go into the plan's answer slot whose scale holds them
 * (the 実施状況 slot of `done-flags`), for every year the report prints — a year before the plan's
 * period too (a 現状値 of 平成27年度). A plan with no such slot refuses them with a message.
 */
export async function importDoneFlags(
  tx: DbOrTx,
  actor: Actor,
  scope: ImportScope,
  flags: ImportedDone[],
): Promise<void> {
  if (flags.length === 0) return;
  const fixed = new Set(await repo.fixedYears(tx, scope.planId));
  const closed = [...new Set(flags.map((f) => f.fiscalYear))].filter((y) => fixed.has(y)).sort();
  if (closed.length)
    throw new AppError(
      'VALIDATION',
      `${closed.map((y) => eraYearLabel(y)).join('・')}は確定済みのため、その年度の実施状況（○×—）は取り込めません。取り込み設定からその年度の列を外してください`,
    );
  const versions = await loadVersions(tx, scope.planId);
  const codes = [...new Set(flags.map((f) => f.code))];
  const entries: { target: EntryTarget; value: EntryValue }[] = [];
  for (const f of flags) {
    const version = versionFor(versions, f.fiscalYear) ?? versions[0]!;
    const slot = doneSlot(version.config, codes);
    if (!slot)
      throw new AppError(
        'VALIDATION',
        `実施状況（${codes.join('・')}）を入れる評価の項目がこの計画にありません。評価の設定で、担当課が回答ごとに入力する項目（${codes.join('・')}を含む尺度）を加えてください`,
      );
    const scale = slotScale(version.config, slot);
    const code = scale.grades.find((g) => g.code === f.code)?.code ?? scale.grades.find((g) => DASH.test(g.code))!.code;
    const target = {
      ...scope,
      fiscalYear: f.fiscalYear,
      slotKey: slot.key,
      subjectKind: 'record' as const,
      subjectId: f.projectId,
      departmentId: f.departmentId,
    };
    entries.push({ target, value: { code, level: null, reason: '', comment: '' } });
  }
  await writeEntries(tx, actor, entries);
}
