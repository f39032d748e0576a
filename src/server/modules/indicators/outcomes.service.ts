import type { IndicatorDto, OutcomeLineDto, OutcomeYearDto, SlotValueDto } from '../../../domain/api-types.js';
import type { OutcomeActualInput, OutcomeIndicatorInput } from '../../../domain/cycle.js';
import { readActual } from '../../../domain/cycle-terms.js';
import { readsApprovedOnly } from '../../../domain/policy.js';
import type { AppContext } from '../../context.js';
import type { DbOrTx } from '../../db/types.js';
import { conflict, invalid, notFound } from '../../http/errors.js';
import { audit } from '../audit/index.js';
import {
  type Actor,
  assertCanEditPlans,
  assertCanRead,
  assertCanReadDepartment,
  assertCanWriteDepartment,
  isDepartmentUser,
  actsFor,
  mayWriteDepartment,
} from '../auth/index.js';
import { listDepartmentRows } from '../departments/index.js';
import { configOfYear, evaluatePlanYear, valueDto } from '../evaluations/index.js';
import type { EvaluationConfig } from '../../../domain/evaluation/index.js';
import {
  assertPlanNotArchived,
  bumpPlan,
  findNodeRow,
  requirePlan,
  rowInYear,
  treeOrder,
  yearStructure,
} from '../plans/index.js';
import { checkOutcomeDepartment, columnsOf, indicatorDtos, writeTargets } from './indicators.service.js';
import {
  findActualRow,
  findIndicatorRow,
  insertIndicator,
  isPublished,
  listActualRows,
  listOutcomeRows,
  writeActual,
} from './indicators.repository.js';
import { newIndicatorSpan } from './indicator-years.js';

/**
 * Indicators of a node (成果指標 of a 施策 or 基本目標) or of the plan as a whole. The coordinating
 * section defines them in the plan editor and names the department that reports each one; that
 * department (or the coordinating section) enters the actual of each year, which the plan's
 * indicator slots evaluate like any other line.
 */

export async function listOutcomeIndicators(
  ctx: AppContext,
  actor: Actor,
  mid: number,
  planId: number,
): Promise<IndicatorDto[]> {
  assertCanRead(actor, mid);
  await requirePlan(ctx.db, mid, planId);
  return indicatorDtos(ctx.db, await listOutcomeRows(ctx.db, mid, planId));
}

export async function createOutcomeIndicator(
  ctx: AppContext,
  actor: Actor,
  mid: number,
  planId: number,
  input: OutcomeIndicatorInput,
): Promise<IndicatorDto> {
  assertCanEditPlans(actor, mid);
  return ctx.db.transaction().execute(async (tx) => {
    await requirePlan(tx, mid, planId);
    await assertPlanNotArchived(tx, planId);
    if (input.nodeId !== null) {
      const node = await findNodeRow(tx, mid, input.nodeId);
      if (!node || node.plan_id !== planId) throw invalid('nodeId', 'この計画の項目を選んでください');
    }
    await checkOutcomeDepartment(tx, mid, input.departmentId);
    const span = await newIndicatorSpan(tx, { municipalityId: mid, planId }, input);
    const id = await insertIndicator(
      tx,
      { municipalityId: mid, planId, projectId: null, nodeId: input.nodeId, span },
      columnsOf(input),
    );
    await writeTargets(tx, { municipalityId: mid, planId, indicatorId: id }, input.targets, span);
    await bumpPlan(tx, planId);
    await audit(tx, actor, {
      municipalityId: mid,
      action: 'create',
      entity: 'indicator',
      entityId: id,
      detail: { ...input, startYear: span.first_year, endYear: span.last_year },
    });
    return (await indicatorDtos(tx, [(await findIndicatorRow(tx, mid, id))!]))[0]!;
  });
}

const indicatorSlots = (config: EvaluationConfig) => config.slots.filter((s) => s.subject === 'indicator');

/** Who reads a year's outcome lines: the city hall and the council all of them, a department its own. */
function visibleDepartments(actor: Actor, mid: number, departmentId: number | null): (d: number) => boolean {
  if (departmentId !== null) {
    assertCanReadDepartment(actor, mid, departmentId);
    return (d) => d === departmentId;
  }
  assertCanRead(actor, mid);
  if (isDepartmentUser(actor)) return (d) => actsFor(actor, d);
  return () => true;
}

/** The year's lines of the plan's node and plan indicators (of one department where asked), in the tree's order. */
export async function outcomeYear(
  ctx: AppContext,
  actor: Actor,
  mid: number,
  planId: number,
  fiscalYear: number,
  departmentId: number | null,
): Promise<OutcomeYearDto> {
  const visible = visibleDepartments(actor, mid, departmentId);
  const plan = await requirePlan(ctx.db, mid, planId);
  if (fiscalYear < plan.first_year || fiscalYear > plan.last_year) throw notFound(`${fiscalYear}年度の計画期間`);
  const [rows, structure] = await Promise.all([
    listOutcomeRows(ctx.db, mid, planId),
    yearStructure(ctx.db, planId, fiscalYear),
  ]);
  const nodes = new Map(structure.nodes.map((n) => [n.id, n]));
  const order = treeOrder(structure.nodes);
  const shown = rows
    .filter((r) => rowInYear(r, fiscalYear))
    .filter((r) => r.department_id !== null && visible(r.department_id))
    .filter((r) => r.node_id === null || nodes.has(r.node_id))
    .sort(
      (a, b) => (a.node_id === null ? -1 : order.get(a.node_id)!) - (b.node_id === null ? -1 : order.get(b.node_id)!),
    );
  // Most sheets report none: the year is evaluated only where there is a line to show.
  if (shown.length === 0) {
    const config = await configOfYear(ctx.db, planId, fiscalYear);
    return { planId, fiscalYear, config: { scales: config.scales, slots: indicatorSlots(config) }, lines: [] };
  }
  const [departments, evaluated, published, dtos, actuals] = await Promise.all([
    listDepartmentRows(ctx.db, mid),
    evaluatePlanYear(ctx.db, planId, fiscalYear, { approvedOnly: readsApprovedOnly(actor.user) }),
    isPublished(ctx.db, planId, fiscalYear),
    indicatorDtos(ctx.db, shown),
    listActualRows(
      ctx.db,
      shown.map((r) => r.id),
      fiscalYear,
    ),
  ]);
  const slots = indicatorSlots(evaluated.config);
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  const lines = dtos.map((indicator): OutcomeLineDto => {
    const dept = indicator.departmentId!;
    const line = evaluated.facts.lines.find((l) => l.indicatorId === indicator.id && l.departmentId === dept);
    const actualOf = (year: number) =>
      actuals.find((a) => a.indicator_id === indicator.id && a.department_id === dept && a.fiscal_year === year);
    const now = actualOf(fiscalYear);
    const values: Record<string, SlotValueDto> = {};
    for (const s of slots) {
      const v = evaluated.evaluations.get(s.key, 'indicator', indicator.id, dept);
      if (v) values[s.key] = valueDto(v);
    }
    const node = indicator.nodeId === null ? undefined : nodes.get(indicator.nodeId);
    return {
      indicator,
      node: node
        ? { id: node.id, number: structure.numbers.get(node.id) ?? '', title: node.title, depth: node.depth }
        : null,
      departmentName: deptName.get(dept) ?? '',
      target: line?.facts.target ?? '',
      actual: { text: now?.text ?? '', status: now?.status ?? null, reason: now?.reason ?? '' },
      previous: actualOf(fiscalYear - 1)?.text ?? '',
      values,
      mayEnter: !published && !plan.archived_at && mayWriteDepartment(actor, mid, dept),
      locked: published ? '公表済みの年度のため変更できません（公表を取り下げると変更できます）' : null,
    };
  });
  return { planId, fiscalYear, config: { scales: evaluated.config.scales, slots }, lines };
}

async function outcomeRow(db: DbOrTx, mid: number, indicatorId: number) {
  const row = await findIndicatorRow(db, mid, indicatorId);
  if (!row || row.project_id !== null || row.department_id === null) throw notFound('成果指標');
  return { ...row, department_id: row.department_id };
}

/**
 * Saves the actual of a node's or the plan's indicator for a year: by the department that reports
 * it or the coordinating section, while the year's report is not published, and only over the value
 * the writer read (someone else's save in between is said, not overwritten).
 */
export async function saveOutcomeActual(
  ctx: AppContext,
  actor: Actor,
  mid: number,
  indicatorId: number,
  fiscalYear: number,
  input: OutcomeActualInput,
): Promise<OutcomeLineDto['actual']> {
  return ctx.db.transaction().execute(async (tx) => {
    const row = await outcomeRow(tx, mid, indicatorId);
    assertCanWriteDepartment(actor, mid, row.department_id);
    const plan = await requirePlan(tx, mid, row.plan_id);
    await assertPlanNotArchived(tx, row.plan_id);
    if (fiscalYear < plan.first_year || fiscalYear > plan.last_year)
      throw invalid('fiscalYear', '計画期間内の年度を指定してください');
    if (!rowInYear(row, fiscalYear)) throw invalid('fiscalYear', `「${row.name}」はこの年度には適用されていません`);
    if (await isPublished(tx, row.plan_id, fiscalYear))
      throw conflict(
        `${fiscalYear}年度の報告書は公表済みのため、実績を変更できません（公表を取り下げると変更できます）`,
      );
    const before = await findActualRow(tx, indicatorId, row.department_id, fiscalYear);
    if ((before?.text ?? '') !== input.readText.trim())
      throw conflict(
        `「${row.name}」の実績は他の利用者が先に変更しました（現在：${before?.text || '空欄'}）。画面を読み込み直してください`,
      );
    const read = readActual({ text: input.text, status: input.status }, row.kind, row.unit);
    if (read.error) throw invalid('text', `${row.name}の実績: ${read.error}`);
    const after = { text: read.text, status: read.status, reason: input.reason };
    await writeActual(tx, {
      municipality_id: mid,
      indicator_id: indicatorId,
      department_id: row.department_id,
      fiscal_year: fiscalYear,
      value: read.value,
      ...after,
      parts: before?.parts ?? '[]',
    });
    await bumpPlan(tx, row.plan_id);
    await audit(tx, actor, {
      municipalityId: mid,
      action: 'indicator.actual',
      entity: 'indicator',
      entityId: indicatorId,
      detail: {
        fiscalYear,
        departmentId: row.department_id,
        before: before ? { text: before.text, status: before.status, reason: before.reason } : null,
        after,
      },
    });
    return after;
  });
}
