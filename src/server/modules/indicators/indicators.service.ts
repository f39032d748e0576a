import type { IndicatorDto, IndicatorTerms } from '../../../domain/api-types.js';
import type { IndicatorInput } from '../../../domain/cycle.js';
import { parseValue } from '../../../domain/values.js';
import { fieldLabel } from '../../../domain/field-labels.js';
import { eraYearLabel } from '../../../domain/fiscal-year.js';
import type { AppContext } from '../../context.js';
import { assertPlanNotArchived, findProjectRow, bumpPlan, rowInYear } from '../plans/index.js';
import type { DbOrTx } from '../../db/types.js';
import { toNumber } from '../../db/util.js';
import { AppError, conflict, invalid, notFound } from '../../http/errors.js';
import { audit } from '../audit/index.js';
import { type Actor, assertCanEditPlans, assertCanRead } from '../auth/index.js';
import {
  deleteIndicatorRow,
  findIndicatorRow,
  insertIndicator,
  isAssigned,
  listIndicatorRows,
  deleteRevisions,
  endIndicator,
  listRevisionRows,
  listTargetRows,
  replaceTargets,
  TERM_COLUMNS,
  updateIndicatorRow,
  writeRevision,
  type IndicatorColumns,
  type TermColumns,
} from './indicators.repository.js';
import { fixedYears } from '../evaluations/index.js';
import { findDepartmentRow } from '../departments/index.js';
import { municipalityEra } from '../municipalities/index.js';
import { changedIndicatorSpan, newIndicatorSpan, removalOf, type IndicatorSpan } from './indicator-years.js';

const numberOf = (text: string): number | null => {
  const p = parseValue(text);
  return p.kind === 'number' ? p.value : null;
};

/**
 * Indicators of the given projects, with their yearly targets, in their order; terms as they stand now.
 * With a fiscal year, those that apply in it (a year's sheet); without, all (the plan editor).
 */
export async function loadIndicators(
  db: DbOrTx,
  municipalityId: number,
  projectIds: number[],
  fiscalYear?: number,
): Promise<IndicatorDto[]> {
  if (projectIds.length === 0) return [];
  const rows = await listIndicatorRows(db, municipalityId, projectIds);
  return indicatorDtos(db, fiscalYear === undefined ? rows : rows.filter((r) => rowInYear(r, fiscalYear)));
}

/** The indicators of every project of a plan that apply in a fiscal year, as `loadIndicators` gives them. */
export async function loadPlanIndicators(
  db: DbOrTx,
  municipalityId: number,
  planId: number,
  fiscalYear: number,
): Promise<IndicatorDto[]> {
  const rows = await listIndicatorRows(db, municipalityId, { planId });
  return indicatorDtos(
    db,
    rows.filter((r) => rowInYear(r, fiscalYear)),
  );
}

/** Indicators as the screens read them, with their yearly targets and revisions; terms as they stand now. */
export async function indicatorDtos(
  db: DbOrTx,
  rows: Awaited<ReturnType<typeof listIndicatorRows>>,
): Promise<IndicatorDto[]> {
  const ids = rows.map((r) => r.id);
  const [targets, revisions] = await Promise.all([
    ids.length ? listTargetRows(db, ids) : Promise.resolve([]),
    listRevisionRows(db, ids),
  ]);
  return rows.map((r) => {
    const own = revisions.filter((v) => v.indicator_id === r.id);
    const now = own.at(-1) ?? r;
    return {
      id: r.id,
      projectId: r.project_id,
      nodeId: r.node_id,
      departmentId: r.department_id,
      name: r.name,
      unit: r.unit,
      kind: r.kind,
      direction: now.direction,
      purpose: now.purpose,
      targetBasis: now.target_basis,
      baseline: {
        value: now.baseline_value === null ? null : toNumber(now.baseline_value),
        text: now.baseline_text,
        fiscalYear: now.baseline_year,
      },
      finalTarget: {
        value: now.final_target_value === null ? null : toNumber(now.final_target_value),
        text: now.final_target_text,
      },
      targets: targets
        .filter((t) => t.indicator_id === r.id)
        .map((t) => ({ fiscalYear: t.fiscal_year, value: t.value === null ? null : toNumber(t.value), text: t.text })),
      startYear: r.first_year,
      endYear: r.last_year,
      revisions: own.map((v, k) => ({
        fromYear: v.from_year,
        note: v.note,
        before: termsOf(k === 0 ? r : own[k - 1]!),
        after: termsOf(v),
      })),
    };
  });
}

/** An indicator's terms as the screens show them, from its row or one of its revisions. */
function termsOf(t: TermColumns): IndicatorTerms {
  return {
    direction: t.direction,
    purpose: t.purpose,
    targetBasis: t.target_basis,
    baseline: { text: t.baseline_text, fiscalYear: t.baseline_year },
    finalTarget: t.final_target_text,
  };
}

/** The columns an indicator's form sets, as stored: numbers read from what was typed, text kept. */
export function columnsOf(input: IndicatorInput): IndicatorColumns {
  return {
    department_id: input.departmentId,
    name: input.name,
    unit: input.unit,
    kind: input.kind,
    direction: input.direction,
    baseline_value: numberOf(input.baseline),
    baseline_text: input.baseline,
    baseline_year: input.baselineYear,
    final_target_value: numberOf(input.finalTarget),
    final_target_text: input.finalTarget,
    purpose: input.purpose,
    target_basis: input.targetBasis,
  };
}

const sameTerms = (a: TermColumns, b: TermColumns): boolean =>
  TERM_COLUMNS.every((c) => (a[c] ?? null) === (b[c] ?? null));

/**
 * Writes an indicator's columns. The terms that decide its evaluation change in place only while no
 * year of the plan is fixed (approved or published) and no later year is asked for; otherwise they
 * change from a year on, as a revision, so that the years before it keep the evaluation they had: from
 * the year the coordinator names (the mid-term review's), which must not be fixed, else from the first
 * year not fixed.
 */
export async function writeColumns(
  tx: DbOrTx,
  actor: Actor,
  before: NonNullable<Awaited<ReturnType<typeof findIndicatorRow>>>,
  input: IndicatorInput,
  span: IndicatorSpan,
): Promise<void> {
  const columns = { ...columnsOf(input), ...span };
  const fixed = await fixedYears(tx, before.plan_id);
  const firstOpen = fixed.length ? Math.max(...fixed) + 1 : null;
  if (input.fromYear !== null && firstOpen !== null && input.fromYear < firstOpen) {
    const era = await municipalityEra(tx, before.municipality_id);
    throw invalid(
      'fromYear',
      `${eraYearLabel(input.fromYear, era)}は確定または公表済みの年度です。${eraYearLabel(firstOpen, era)}以降を選んでください`,
      fieldLabel(['fromYear'], 'indicator'),
    );
  }
  const fromYear = input.fromYear ?? firstOpen;
  if (fromYear === null) {
    await updateIndicatorRow(tx, before.id, columns);
    await deleteRevisions(tx, before.id);
    return;
  }
  const revisions = await listRevisionRows(tx, [before.id]);
  // The terms in force in that year: the last revision from it or before, else the row's own.
  const current: TermColumns = revisions.filter((r) => r.from_year <= fromYear).at(-1) ?? before;
  const terms = Object.fromEntries(TERM_COLUMNS.map((c) => [c, columns[c]])) as TermColumns; // built from TERM_COLUMNS, key for key
  const kept = Object.fromEntries(TERM_COLUMNS.map((c) => [c, before[c]])) as TermColumns; // the same, from the stored row
  await updateIndicatorRow(tx, before.id, { ...columns, ...kept });
  if (sameTerms(current, terms) && !revisions.some((r) => r.from_year > fromYear)) return;
  await writeRevision(
    tx,
    {
      municipalityId: before.municipality_id,
      indicatorId: before.id,
      fromYear,
      note: input.note,
      actorName: actor.user.displayName,
    },
    terms,
  );
}

async function checkDepartment(db: DbOrTx, projectId: number, departmentId: number | null): Promise<void> {
  if (departmentId === null) return;
  if (!(await isAssigned(db, projectId, departmentId)))
    throw invalid('departmentId', 'この事業を担当する課を選んでください');
}

/** The department that reports a node's or the plan's indicator: required, and one of the municipality's. */
export async function checkOutcomeDepartment(
  db: DbOrTx,
  municipalityId: number,
  departmentId: number | null,
): Promise<number> {
  if (departmentId === null) throw invalid('departmentId', '実績を報告する課を選んでください');
  const d = await findDepartmentRow(db, municipalityId, departmentId);
  if (!d) throw invalid('departmentId', 'この自治体の課を選んでください');
  return departmentId;
}

/**
 * Refuses a change of the targets of a year already fixed (approved or published): such a year keeps the
 * targets it was evaluated with. A fixed year's target sent again as it is stored passes.
 */
async function assertFixedTargetsKept(
  db: DbOrTx,
  at: { municipalityId: number; planId: number; indicatorId: number },
  targets: { fiscalYear: number; text: string }[],
): Promise<void> {
  const fixed = await fixedYears(db, at.planId);
  if (fixed.length === 0) return;
  const stored = await listTargetRows(db, [at.indicatorId]);
  const storedText = (year: number) => stored.find((t) => t.fiscal_year === year)?.text ?? '';
  const wantedText = (year: number) => targets.find((t) => t.fiscalYear === year)?.text ?? '';
  const changed = fixed.filter((y) => storedText(y) !== wantedText(y));
  if (changed.length === 0) return;
  const era = await municipalityEra(db, at.municipalityId);
  const years = changed.map((y) => eraYearLabel(y, era)).join('・');
  const was = changed.map((y) => (changed.length > 1 ? `${eraYearLabel(y, era)} ` : '') + (storedText(y) || 'なし'));
  throw new AppError(
    'CONFLICT',
    `${years}は確定または公表済みのため、その年度の目標は変えられません（登録済みの目標: ${was.join('、')}）`,
    [{ field: 'targets', label: fieldLabel(['targets']), message: `${years}の目標は変えられません` }],
  );
}

/**
 * Writes an indicator's yearly targets for the years it applies in; those of a fixed year stay as they are
 * (see assertFixedTargetsKept). A target of a year it does not apply in is refused; one stored for such a
 * year before its span was narrowed is kept, unshown, should the span widen again.
 */
export async function writeTargets(
  db: DbOrTx,
  at: { municipalityId: number; planId: number; indicatorId: number },
  targets: IndicatorInput['targets'],
  span: IndicatorSpan,
): Promise<void> {
  const years = new Set<number>();
  for (const t of targets) {
    if (years.has(t.fiscalYear)) throw invalid('targets', `${t.fiscalYear}年度の目標が重複しています`);
    years.add(t.fiscalYear);
  }
  const given = targets.filter((t) => t.text.trim() !== '');
  const outside = given.filter((t) => !rowInYear(span, t.fiscalYear));
  if (outside.length) {
    const era = await municipalityEra(db, at.municipalityId);
    const named = outside.map((t) => eraYearLabel(t.fiscalYear, era)).join('・');
    throw invalid(
      'targets',
      `${named}はこの指標を使わない年度のため、目標は入力できません（適用する年度を見直してください）`,
    );
  }
  const stored = await listTargetRows(db, [at.indicatorId]);
  const unshown = stored
    .filter((t) => !rowInYear(span, t.fiscal_year))
    .map((t) => ({ fiscalYear: t.fiscal_year, text: t.text }));
  const kept = [...given, ...unshown];
  await assertFixedTargetsKept(db, at, kept);
  await replaceTargets(
    db,
    at.municipalityId,
    at.indicatorId,
    kept.map((t) => ({ fiscalYear: t.fiscalYear, value: numberOf(t.text), text: t.text })),
  );
}

export async function listIndicators(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  projectId: number,
): Promise<IndicatorDto[]> {
  assertCanRead(actor, municipalityId);
  if (!(await findProjectRow(ctx.db, municipalityId, projectId))) throw notFound('事業');
  return loadIndicators(ctx.db, municipalityId, [projectId]);
}

export async function createIndicator(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  projectId: number,
  input: IndicatorInput,
): Promise<IndicatorDto> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const project = await findProjectRow(tx, municipalityId, projectId);
    if (!project) throw notFound('事業');
    await checkDepartment(tx, projectId, input.departmentId);
    const span = await newIndicatorSpan(tx, { municipalityId, planId: project.plan_id }, input);
    const id = await insertIndicator(
      tx,
      { municipalityId, planId: project.plan_id, projectId, span },
      columnsOf(input),
    );
    await writeTargets(tx, { municipalityId, planId: project.plan_id, indicatorId: id }, input.targets, span);
    await assertPlanNotArchived(tx, project.plan_id);
    await bumpPlan(tx, project.plan_id);
    await audit(tx, actor, {
      municipalityId,
      action: 'create',
      entity: 'indicator',
      entityId: id,
      detail: { projectId, ...input, startYear: span.first_year, endYear: span.last_year },
    });
    return (await loadIndicators(tx, municipalityId, [projectId])).find((i) => i.id === id)!;
  });
}

export async function updateIndicator(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  indicatorId: number,
  input: IndicatorInput,
): Promise<IndicatorDto> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const before = await findIndicatorRow(tx, municipalityId, indicatorId);
    if (!before) throw notFound('活動指標');
    if (before.project_id === null) await checkOutcomeDepartment(tx, municipalityId, input.departmentId);
    else await checkDepartment(tx, before.project_id, input.departmentId);
    const at = { municipalityId, planId: before.plan_id, indicatorId };
    const span = await changedIndicatorSpan(tx, at, before, input);
    await writeColumns(tx, actor, before, input, span);
    await writeTargets(tx, at, input.targets, span);
    await assertPlanNotArchived(tx, before.plan_id);
    await bumpPlan(tx, before.plan_id);
    await audit(tx, actor, {
      municipalityId,
      action: 'update',
      entity: 'indicator',
      entityId: indicatorId,
      detail: { before, after: input },
    });
    return (await indicatorDtos(tx, [(await findIndicatorRow(tx, municipalityId, indicatorId))!]))[0]!;
  });
}

/**
 * Removes an indicator: deleted where no year used it; ended after the last year that did (a fixed year
 * showing it, or a year with its actuals), so that year keeps it; refused where that is its own last year.
 * Returns the year it was ended after, or null where it was deleted.
 */
export async function deleteIndicator(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  indicatorId: number,
): Promise<{ endedAfter: number | null }> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const before = await findIndicatorRow(tx, municipalityId, indicatorId);
    if (!before) throw notFound('活動指標');
    await assertPlanNotArchived(tx, before.plan_id);
    const removal = await removalOf(tx, before.plan_id, indicatorId, before);
    if (removal.kind === 'used') {
      const era = await municipalityEra(tx, municipalityId);
      throw conflict(
        `指標「${before.name}」は${eraYearLabel(removal.lastYear, era)}まで使われている（実績の入力、または確定・公表済みの年度がある）ため、削除も、それより前での終了もできません`,
      );
    }
    if (removal.kind === 'end') await endIndicator(tx, indicatorId, removal.lastYear);
    else await deleteIndicatorRow(tx, indicatorId);
    await bumpPlan(tx, before.plan_id);
    await audit(tx, actor, {
      municipalityId,
      action: removal.kind === 'end' ? 'end' : 'delete',
      entity: 'indicator',
      entityId: indicatorId,
      detail: removal.kind === 'end' ? { ...before, lastYear: removal.lastYear } : before,
    });
    return { endedAfter: removal.kind === 'end' ? removal.lastYear : null };
  });
}
