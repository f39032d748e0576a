import { readScale } from '../../../domain/evaluation-schema.js';

import type { ReportDataset } from '../../../domain/report/build.js';
import type { DbOrTx } from '../../db/types.js';
import { notFound } from '../../http/errors.js';
import { loadDepartments } from '../departments/departments.service.js';
import { municipalityEra } from '../municipalities/municipalities.service.js';
import { yearStructure } from '../plans/plan-years.js';
import {
  findPlanRow,
  listLevelRows,
  listListingRows,
  listNodeSubPlanRows,
  listProjectDepartmentRows,
} from '../plans/plans.repository.js';
import { readJson } from '../../db/json.js';

/**
 * Reads what a report of one plan and fiscal year shows, in a fixed number of queries: the tree,
 * projects, departments, and the year's and the year before's records and indicator values.
 */
export async function loadReportDataset(
  db: DbOrTx,
  municipalityId: number,
  planId: number,
  fiscalYear: number,
  opts: {
    /** a report reads this year's records; a summary compares with the year before's too */
    previousRecords?: boolean;
    /** print only approved answers: the others keep their row, with nothing in it (publishing, the council) */
    approvedOnly?: boolean;
  } = {},
): Promise<ReportDataset> {
  const years = [fiscalYear - 1, fiscalYear];
  const recordYears = opts.previousRecords ? years : [fiscalYear];
  // Hiding unapproved answers needs last year's statuses too: its indicator values print beside this year's.
  const readYears = opts.approvedOnly ? years : recordYears;
  const plan = await findPlanRow(db, municipalityId, planId);
  if (!plan) throw notFound('計画');
  const [municipality, era, levels, tags, listings, assignments, departments, records, indicators, targets, actuals] =
    await Promise.all([
      db.selectFrom('municipalities').select('name').where('id', '=', municipalityId).executeTakeFirstOrThrow(),
      municipalityEra(db, municipalityId),
      listLevelRows(db, planId),
      listNodeSubPlanRows(db, planId),
      listListingRows(db, planId),
      listProjectDepartmentRows(db, planId),
      loadDepartments(db, municipalityId),
      db
        .selectFrom('records')
        .select([
          'id',
          'project_id',
          'department_id',
          'fiscal_year',
          'plan_text',
          'result_text',
          'grade',
          'remarks',
          'next_year_plan',
          'same_as_department_id',
          'status',
          'is_lead',
          'position',
        ])
        .where('plan_id', '=', planId)
        .where('fiscal_year', 'in', readYears)
        .execute(),
      db
        .selectFrom('indicators')
        .select([
          'id',
          'project_id',
          'department_id',
          'name',
          'unit',
          'direction',
          'baseline_value',
          'baseline_text',
          'final_target_value',
          'final_target_text',
          'position',
        ])
        .where('plan_id', '=', planId)
        .execute(),
      db
        .selectFrom('indicator_targets as t')
        .innerJoin('indicators as i', 'i.id', 't.indicator_id')
        .select(['t.indicator_id', 't.fiscal_year', 't.value', 't.text'])
        .where('i.plan_id', '=', planId)
        .where('t.fiscal_year', 'in', years)
        .execute(),
      db
        .selectFrom('indicator_actuals as a')
        .innerJoin('indicators as i', 'i.id', 'a.indicator_id')
        .select([
          'a.indicator_id',
          'a.department_id',
          'a.fiscal_year',
          'a.value',
          'a.text',
          'a.status',
          'a.level',
          'a.grade',
          'a.grade_reason',
        ])
        .where('i.plan_id', '=', planId)
        .where('a.fiscal_year', 'in', years)
        .execute(),
    ]);
  const subPlans = new Map<number, number[]>();
  for (const t of tags) subPlans.set(t.node_id, [...(subPlans.get(t.node_id) ?? []), t.sub_plan_id]);

  // The year's structure: the nodes and projects that apply in it, as the year prints them.
  const structure = await yearStructure(db, planId, fiscalYear);
  const yearNodes = structure.nodes;
  const printed = structure.numbers;
  const yearProjects = structure.projects;
  const projectIds = new Set(yearProjects.map((p) => p.id));
  const nodeIds = new Set(yearNodes.map((n) => n.id));
  // The year's departments: those that answered it (its records), or for a year not yet asked, the current assignments.
  const yearRecords = records.filter((r) => r.fiscal_year === fiscalYear);
  const yearAssignments = yearRecords.length
    ? yearRecords.map((r) => ({
        projectId: r.project_id,
        departmentId: r.department_id,
        isLead: r.is_lead === 1,
        position: r.position,
      }))
    : assignments.map((a) => ({
        projectId: a.project_id,
        departmentId: a.department_id,
        isLead: a.is_lead === 1,
        position: a.position,
      }));
  // Answers not approved keep their row and print nothing; their indicator values stay out.
  const hidden = new Set(
    opts.approvedOnly
      ? records.filter((r) => r.status !== 'approved').map((r) => `${r.project_id}|${r.department_id}|${r.fiscal_year}`)
      : [],
  );
  const projectOfIndicator = new Map(indicators.map((i) => [i.id, i.project_id]));
  const shown = records.map((r) =>
    hidden.has(`${r.project_id}|${r.department_id}|${r.fiscal_year}`)
      ? {
          ...r,
          plan_text: '',
          result_text: '',
          grade: null,
          remarks: '',
          next_year_plan: '',
          same_as_department_id: null,
        }
      : r,
  );
  return {
    municipality: { name: municipality.name, era2019: era },
    plan: { id: plan.id, title: plan.title },
    fiscalYear,
    scale: readScale(plan.evaluation_scale, readJson.gradeOptions(plan.grade_options)),
    levels: levels.map((l) => ({
      depth: l.depth,
      name: l.name,
      numberingStyle: l.numbering_style,
      numberingScope: l.numbering_scope,
    })),
    nodes: yearNodes.map((n) => ({
      id: n.id,
      parentId: n.parent_id,
      depth: n.depth,
      position: n.position,
      title: n.title,
      numberOverride: printed.get(n.id) ?? n.number_override,
      subPlanIds: subPlans.get(n.id) ?? [],
    })),
    projects: yearProjects.map((p) => ({
      id: p.id,
      nodeId: p.node_id,
      number: p.number,
      name: p.name,
      summary: p.summary,
      category: p.category,
      audience: p.audience,
      position: p.position,
    })),
    listings: listings
      .filter((l) => projectIds.has(l.project_id) && nodeIds.has(l.node_id))
      .map((l) => ({ projectId: l.project_id, nodeId: l.node_id, position: l.position })),
    assignments: yearAssignments.filter((a) => projectIds.has(a.projectId)),
    departments: departments.map((d) => ({ id: d.id, name: d.name, displayName: d.displayName, position: d.position })),
    records: shown
      .filter((r) => projectIds.has(r.project_id) && recordYears.includes(r.fiscal_year))
      .map((r) => ({
        id: r.id,
        projectId: r.project_id,
        departmentId: r.department_id,
        fiscalYear: r.fiscal_year,
        planText: r.plan_text,
        resultText: r.result_text,
        grade: r.grade,
        remarks: r.remarks,
        nextYearPlan: r.next_year_plan,
        sameAsDepartmentId: r.same_as_department_id,
        status: r.status,
      })),
    indicators: indicators.map((i) => ({
      id: i.id,
      projectId: i.project_id,
      departmentId: i.department_id,
      name: i.name,
      unit: i.unit,
      direction: i.direction,
      baselineValue: i.baseline_value,
      baselineText: i.baseline_text,
      finalTargetValue: i.final_target_value,
      finalTargetText: i.final_target_text,
      position: i.position,
    })),
    targets: targets.map((t) => ({
      indicatorId: t.indicator_id,
      fiscalYear: t.fiscal_year,
      value: t.value,
      text: t.text,
    })),
    actuals: actuals
      .filter((a) => !hidden.has(`${projectOfIndicator.get(a.indicator_id)}|${a.department_id}|${a.fiscal_year}`))
      .map((a) => ({
        indicatorId: a.indicator_id,
        departmentId: a.department_id,
        fiscalYear: a.fiscal_year,
        value: a.value,
        text: a.text,
        status: a.status,
        level: a.level,
        grade: a.grade,
        gradeReason: a.grade_reason,
      })),
  };
}
