import type { ImportMapping, ImportRow } from '../../../domain/import/mapping.js';
import { summarise, type ImportSummary } from '../../../domain/import/mapping.js';
import { DEFAULT_GRADE_OPTIONS, type GradeOption } from '../../../domain/grades.js';
import { parseValue } from '../../../domain/values.js';
import { ACTUAL_STATUSES, type ActualStatus } from '../../../domain/values.js';
import type { AppContext } from '../../context.js';
import type { Insertable } from 'kysely';
import type { Database, DbOrTx } from '../../db/types.js';
import { now } from '../../db/util.js';
import { PROJECT_CATEGORIES } from '../../../domain/schemas.js';
import { ordinalOf } from '../../../domain/numbering.js';
import { AppError, notFound } from '../../http/errors.js';
import { audit } from '../audit/audit.js';
import { type Actor, assertCanEditPlans } from '../auth/actor.js';
import { bumpPlan } from '../rounds/sheet-cache.js';
import { readJson } from '../../db/json.js';

export interface CommitTarget {
  /** an existing plan, or the title and period of a new one */
  planId?: number;
  newPlan?: { title: string; firstYear: number; lastYear: number };
  fiscalYear: number;
  /** create departments the file names that the municipality does not have yet */
  createDepartments: boolean;
}

export interface CommitResult {
  planId: number;
  summary: ImportSummary;
  created: { nodes: number; projects: number; records: number; departments: number; indicators: number };
  updated: { records: number };
  skipped: { line: number; reason: string }[];
}

const numberOf = (text: string | undefined): number | null => {
  if (!text) return null;
  const p = parseValue(text);
  return p.kind === 'number' ? p.value : null;
};

async function departmentIds(tx: DbOrTx, municipalityId: number, rows: ImportRow[], create: boolean) {
  const existing = await tx
    .selectFrom('departments')
    .select(['id', 'name', 'active_to'])
    .where('municipality_id', '=', municipalityId)
    .execute();
  const ids = new Map<string, number>();
  // A name used by several units over the years means the one still active.
  for (const d of [...existing].sort((a, b) => (a.active_to === null ? 1 : 0) - (b.active_to === null ? 1 : 0)))
    ids.set(d.name, d.id);
  let created = 0;
  const mentions = rows.flatMap((r) => r.departments);
  const missing = new Set(mentions.filter((d) => !ids.has(d.name)).map((d) => d.name));
  if (missing.size && !create)
    throw new AppError(
      'VALIDATION',
      `登録されていない担当課があります: ${[...missing].join('、')}。組織に登録するか、「担当課を作成する」を選んでください`,
    );
  const t = now();
  const add = async (name: string, activeFrom: number | null, activeTo: number | null) => {
    const row = await tx
      .insertInto('departments')
      .values({
        municipality_id: municipalityId,
        parent_id: null,
        name,
        kind: 'ka',
        active_from: activeFrom,
        active_to: activeTo,
        position: 1000 + created,
        created_at: t,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    created++;
    return row.id;
  };
  const changes = new Map(mentions.filter((d) => d.change).map((d) => [d.name, d.change!]));
  for (const name of missing) ids.set(name, await add(name, changes.get(name)?.effectiveYear ?? null, null));
  // 「住宅政策課（平成28年度より住宅課から組織変更）」: keep the history the note tells, once.
  if (create)
    for (const [name, change] of changes) {
      const toId = ids.get(name)!;
      const linked = await tx
        .selectFrom('department_change_links')
        .select('id')
        .where('to_department_id', '=', toId)
        .executeTakeFirst();
      if (linked) continue;
      const fromIds: number[] = [];
      for (const from of change.fromNames) {
        const known = existing.find((d) => d.name === from);
        fromIds.push(known ? known.id : await add(from, null, change.effectiveYear - 1));
      }
      const c = await tx
        .insertInto('department_changes')
        .values({
          municipality_id: municipalityId,
          kind: fromIds.length > 1 ? 'merge' : 'rename',
          effective_year: change.effectiveYear,
          note: '取り込んだ報告書の記載による',
          created_at: t,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const fromId of fromIds)
        await tx
          .insertInto('department_change_links')
          .values({
            municipality_id: municipalityId,
            change_id: c.id,
            from_department_id: fromId,
            to_department_id: toId,
          })
          .execute();
    }
  return { ids, created };
}

/**
 * Writes mapped rows in one transaction: the hierarchy by path, projects by number, one record per
 * project, department and year, indicators with the year's target and each department's actual.
 * Rows that still carry a flag are left out and reported; importing the same file again updates.
 */
export async function commitImport(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  mapping: ImportMapping,
  rows: ImportRow[],
  target: CommitTarget,
): Promise<CommitResult> {
  assertCanEditPlans(actor, municipalityId);
  const skipped = rows
    .filter((r) => r.flags.length > 0)
    .flatMap((r) => r.flags.map((reason) => ({ line: r.line, reason })));
  const usable = rows.filter((r) => r.flags.length === 0);
  return ctx.db.transaction().execute(async (tx) => {
    const t = now();
    const m = await tx.selectFrom('municipalities').select('id').where('id', '=', municipalityId).executeTakeFirst();
    if (!m) throw notFound('自治体');
    const grades = [
      ...new Set(usable.map((r) => r.values.grade?.trim()).filter((g): g is string => !!g && g.length <= 10)),
    ];
    let planId = target.planId;
    if (planId === undefined) {
      if (!target.newPlan)
        throw new AppError('VALIDATION', '取り込み先の計画を選ぶか、新しい計画の名称と期間を入力してください');
      // Grades all from the usual A–D keep the whole A–D legend, in order; others are listed as met.
      const usual = grades.every((g) => DEFAULT_GRADE_OPTIONS.some((d) => d.code === g));
      const gradeOptions: GradeOption[] = usual
        ? DEFAULT_GRADE_OPTIONS
        : grades.map((code) => ({ code, label: DEFAULT_GRADE_OPTIONS.find((d) => d.code === code)?.label ?? '' }));
      planId = (
        await tx
          .insertInto('plans')
          .values({
            municipality_id: municipalityId,
            title: target.newPlan.title,
            slogan: '',
            first_year: target.newPlan.firstYear,
            last_year: target.newPlan.lastYear,
            grade_options: JSON.stringify(gradeOptions),
            created_at: t,
            updated_at: t,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      await tx
        .insertInto('plan_levels')
        .values(
          mapping.levels.map((l, depth) => ({
            municipality_id: municipalityId,
            plan_id: planId!,
            depth,
            name: l.name,
            numbering_style: 'none',
            numbering_scope: 'parent',
          })),
        )
        .execute();
    } else {
      const plan = await tx
        .selectFrom('plans')
        .select(['id', 'grade_options'])
        .where('municipality_id', '=', municipalityId)
        .where('id', '=', planId)
        .executeTakeFirst();
      if (!plan) throw notFound('計画');
      const levels = await tx.selectFrom('plan_levels').select('depth').where('plan_id', '=', planId).execute();
      if (levels.length < mapping.levels.length)
        throw new AppError(
          'VALIDATION',
          `計画の階層（${levels.length}段）がファイルの階層（${mapping.levels.length}段）より少ないため取り込めません`,
        );
      const options = readJson.gradeOptions(plan.grade_options);
      const added = grades.filter((g) => !options.some((o) => o.code === g));
      if (added.length)
        await tx
          .updateTable('plans')
          .set({ grade_options: JSON.stringify([...options, ...added.map((code) => ({ code, label: '' }))]) })
          .where('id', '=', planId)
          .execute();
    }
    const pid = planId;
    const { ids: deptIds, created: departmentsCreated } = await departmentIds(
      tx,
      municipalityId,
      usable,
      target.createDepartments,
    );

    // Hierarchy: nodes by their printed path, numbers kept as printed.
    const nodes = await tx
      .selectFrom('plan_nodes')
      .select(['id', 'parent_id', 'number_override', 'title', 'position'])
      .where('plan_id', '=', pid)
      .execute();
    const nodeKey = (parent: number | null, number: string, title: string) => `${parent ?? 0}|${number}|${title}`;
    const nodeIds = new Map(nodes.map((n) => [nodeKey(n.parent_id, n.number_override ?? '', n.title), n.id]));
    const positions = new Map<number | null, number>();
    for (const n of nodes) positions.set(n.parent_id, Math.max(positions.get(n.parent_id) ?? 0, n.position));
    let nodesCreated = 0;
    const nodeFor = async (row: ImportRow): Promise<number | null> => {
      let parent: number | null = null;
      for (const h of row.hierarchy) {
        const key = nodeKey(parent, h.number, h.title);
        let id: number | undefined = nodeIds.get(key);
        if (id === undefined) {
          const at: number = (positions.get(parent) ?? 0) + 1;
          positions.set(parent, at);
          id = (
            await tx
              .insertInto('plan_nodes')
              .values({
                municipality_id: municipalityId,
                plan_id: pid,
                parent_id: parent,
                depth: h.level,
                position: at,
                title: h.title || '（名称なし）',
                description: '',
                number_override: h.number || null,
                priority: 0,
                created_at: t,
                updated_at: t,
              })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id;
          nodeIds.set(key, id);
          nodesCreated++;
        }
        parent = id;
      }
      return parent;
    };

    // Rows become projects, assignments, records and indicator values. What exists is read once and
    // what is new is written in batches, so that large files import in a few statements.
    const projects = new Map(
      (await tx.selectFrom('projects').select(['id', 'number']).where('plan_id', '=', pid).execute()).map((p) => [
        p.number,
        p.id,
      ]),
    );
    const lastPosition =
      (
        await tx
          .selectFrom('projects')
          .select('position')
          .where('plan_id', '=', pid)
          .orderBy('position', 'desc')
          .limit(1)
          .executeTakeFirst()
      )?.position ?? 0;
    type Owned = { row: ImportRow; number: string };
    const owned: Owned[] = [];
    const newProjects: Parameters<typeof insertProjects>[1] = [];
    const newNumbers = new Set<string>();
    let owner: string | undefined;
    for (const row of usable) {
      if (!row.continuation) {
        const nodeId = await nodeFor(row);
        if (nodeId === null) {
          skipped.push({ line: row.line, reason: '体系の位置が分からない行です' });
          owner = undefined;
          continue;
        }
        const number = row.projectNumber || `取込${row.line}`;
        const fields = {
          name: row.projectName || '（名称なし）',
          summary: row.values.summary ?? '',
          category: (PROJECT_CATEGORIES as readonly string[]).includes(row.values.category ?? '')
            ? row.values.category!
            : null,
          audience: row.values.audience ?? '',
        };
        const existing = projects.get(number);
        if (existing !== undefined)
          await tx
            .updateTable('projects')
            .set({ ...fields, node_id: nodeId, updated_at: t })
            .where('id', '=', existing)
            .execute();
        else if (!newNumbers.has(number)) {
          newNumbers.add(number);
          newProjects.push({
            municipality_id: municipalityId,
            plan_id: pid,
            node_id: nodeId,
            number,
            ...fields,
            position: lastPosition + newProjects.length + 1,
            created_at: t,
            updated_at: t,
          });
        }
        owner = number;
      }
      if (owner !== undefined) owned.push({ row, number: owner });
    }
    for (const p of await insertProjects(tx, newProjects)) projects.set(p.number, p.id);
    const projectIds = [...new Set(owned.map((o) => projects.get(o.number)!))];

    const inChunks = async <T>(items: T[], size: number, fn: (chunk: T[]) => Promise<unknown>) => {
      for (let i = 0; i < items.length; i += size) await fn(items.slice(i, i + size));
    };
    const selectIn = async <R>(ids: number[], query: (chunk: number[]) => Promise<R[]>): Promise<R[]> => {
      const out: R[] = [];
      for (let i = 0; i < ids.length; i += 500) out.push(...(await query(ids.slice(i, i + 500))));
      return out;
    };

    const assignments = await selectIn(projectIds, (chunk) =>
      tx
        .selectFrom('project_departments')
        .select(['project_id', 'department_id', 'is_lead', 'position'])
        .where('project_id', 'in', chunk)
        .execute(),
    );
    const assigned = new Set(assignments.map((a) => `${a.project_id}|${a.department_id}`));
    const withLead = new Set(assignments.filter((a) => a.is_lead === 1).map((a) => a.project_id));
    // Departments keep the order the file names them in, after those already on the project.
    const nextPosition = new Map<number, number>();
    for (const a of assignments)
      nextPosition.set(a.project_id, Math.max(nextPosition.get(a.project_id) ?? 0, a.position + 1));
    const records = await selectIn(projectIds, (chunk) =>
      tx
        .selectFrom('records')
        .select(['id', 'version', 'project_id', 'department_id'])
        .where('project_id', 'in', chunk)
        .where('fiscal_year', '=', target.fiscalYear)
        .execute(),
    );
    const recordOf = new Map(records.map((r) => [`${r.project_id}|${r.department_id}`, r]));
    const indicators = await selectIn(projectIds, (chunk) =>
      tx.selectFrom('indicators').select(['id', 'project_id', 'name']).where('project_id', 'in', chunk).execute(),
    );
    const indicatorOf = new Map(indicators.map((i) => [`${i.project_id}|${i.name}`, i.id]));
    const existingIndicators = new Set(indicators.map((i) => i.id));

    const newAssignments: {
      municipality_id: number;
      project_id: number;
      department_id: number;
      is_lead: number;
      position: number;
    }[] = [];
    const newRecords: Parameters<typeof insertRecords>[1] = [];
    const assignmentOf = new Map(assignments.map((a) => [`${a.project_id}|${a.department_id}`, a]));
    const newPairs = new Set<string>();
    const newIndicators = new Map<string, Parameters<typeof insertIndicators>[1][number]>();
    const pendingValues: { key: string; departmentId: number; values: ImportRow['values'] }[] = [];
    let recordsCreated = 0;
    let recordsUpdated = 0;
    for (const { row, number } of owned) {
      const projectId = projects.get(number)!;
      for (const [i, d] of row.departments.entries()) {
        const departmentId = deptIds.get(d.name)!;
        const pair = `${projectId}|${departmentId}`;
        if (!assigned.has(pair)) {
          assigned.add(pair);
          const position = nextPosition.get(projectId) ?? 0;
          nextPosition.set(projectId, position + 1);
          const made = {
            municipality_id: municipalityId,
            project_id: projectId,
            department_id: departmentId,
            is_lead: withLead.has(projectId) ? 0 : 1,
            position,
          };
          newAssignments.push(made);
          assignmentOf.set(pair, made);
          withLead.add(projectId);
        }
        // Values belong to the first department of a row; others named in the same cell share the answer.
        const values = i === 0 ? row.values : {};
        const text = {
          plan_text: values.planText ?? '',
          result_text: values.resultText ?? '',
          remarks: values.remarks ?? '',
          next_year_plan: values.nextYearPlan ?? '',
        };
        const grade = values.grade?.trim() || null;
        const existing = recordOf.get(pair);
        if (existing) {
          await tx
            .updateTable('records')
            .set({
              ...text,
              grade,
              grade_source: grade ? 'entered' : null,
              status: 'approved',
              version: existing.version + 1,
              updated_at: t,
              updated_by: actor.user.id,
            })
            .where('id', '=', existing.id)
            .execute();
          recordsUpdated++;
        } else if (!newPairs.has(pair)) {
          newPairs.add(pair);
          const a = assignmentOf.get(pair);
          newRecords.push({
            municipality_id: municipalityId,
            plan_id: pid,
            project_id: projectId,
            department_id: departmentId,
            fiscal_year: target.fiscalYear,
            is_lead: a?.is_lead ?? 0,
            position: a?.position ?? 0,
            ...text,
            grade,
            grade_source: grade ? 'entered' : null,
            same_as_department_id: null,
            status: 'approved',
            version: 1,
            updated_at: t,
            updated_by: actor.user.id,
            submitted_at: t,
          });
          recordsCreated++;
        }
        if (values.indicator) {
          const key = `${projectId}|${values.indicator}`;
          if (!indicatorOf.has(key) && !newIndicators.has(key)) {
            const p = parseValue(values.target ?? values.actual ?? '');
            newIndicators.set(key, {
              municipality_id: municipalityId,
              plan_id: pid,
              project_id: projectId,
              // An indicator first met on another department's line belongs to that department's row.
              department_id: row.continuation ? departmentId : null,
              name: values.indicator,
              unit: p.kind === 'number' ? p.unit : '',
              kind: 'number',
              direction: 'higher',
              baseline_value: numberOf(values.baseline),
              baseline_text: values.baseline ?? '',
              baseline_year: null,
              final_target_value: null,
              final_target_text: '',
              position: 1,
              created_at: t,
              updated_at: t,
            });
          }
          pendingValues.push({ key, departmentId, values });
        }
      }
    }
    await inChunks(newAssignments, 500, (chunk) => tx.insertInto('project_departments').values(chunk).execute());
    await insertRecords(tx, newRecords);
    for (const i of await insertIndicators(tx, [...newIndicators.values()]))
      indicatorOf.set(`${i.project_id}|${i.name}`, i.id);

    const targets: {
      municipality_id: number;
      indicator_id: number;
      fiscal_year: number;
      value: number | null;
      text: string;
    }[] = [];
    const targeted = new Set<number>();
    const actuals: {
      municipality_id: number;
      indicator_id: number;
      department_id: number;
      fiscal_year: number;
      value: number | null;
      text: string;
      status: ActualStatus | null;
      reason: string;
      parts: string;
      level: string | null;
      grade: string | null;
      grade_reason: string;
    }[] = [];
    for (const { key, departmentId, values } of pendingValues) {
      const indicatorId = indicatorOf.get(key)!;
      if (values.target && !targeted.has(indicatorId)) {
        targeted.add(indicatorId);
        targets.push({
          municipality_id: municipalityId,
          indicator_id: indicatorId,
          fiscal_year: target.fiscalYear,
          value: numberOf(values.target),
          text: values.target,
        });
      }
      for (const [year, text] of [
        [target.fiscalYear, values.actual],
        [target.fiscalYear - 1, values.previousActual],
      ] as const) {
        if (!text && !(year === target.fiscalYear && values.grade)) continue;
        const p = parseValue(text ?? '');
        const status =
          p.kind === 'status' && (ACTUAL_STATUSES as readonly string[]).includes(p.status) ? p.status : null;
        // The line's own 達成度 and grade, as the report printed them; the plan's scale decides whether they were computed.
        const thisYear = year === target.fiscalYear;
        const grade = (thisYear && values.grade?.trim()) || null;
        actuals.push({
          municipality_id: municipalityId,
          indicator_id: indicatorId,
          department_id: departmentId,
          fiscal_year: year,
          value: p.kind === 'number' ? p.value : p.kind === 'flag' && p.done !== null ? (p.done ? 1 : 0) : null,
          text: text ?? '',
          status,
          reason: '',
          parts: '[]',
          level: (thisYear && values.achievement?.trim()) || null,
          grade,
          grade_reason: grade ? '取り込んだ報告書の記載による' : '',
        });
      }
    }
    // Values of indicators that were there before replace what they held for these years.
    for (const x of targets.filter((x) => existingIndicators.has(x.indicator_id)))
      await tx
        .deleteFrom('indicator_targets')
        .where('indicator_id', '=', x.indicator_id)
        .where('fiscal_year', '=', x.fiscal_year)
        .execute();
    for (const x of actuals.filter((x) => existingIndicators.has(x.indicator_id)))
      await tx
        .deleteFrom('indicator_actuals')
        .where('indicator_id', '=', x.indicator_id)
        .where('department_id', '=', x.department_id)
        .where('fiscal_year', '=', x.fiscal_year)
        .execute();
    await inChunks(targets, 500, (chunk) => tx.insertInto('indicator_targets').values(chunk).execute());
    const uniqueActuals = [
      ...new Map(actuals.map((a) => [`${a.indicator_id}|${a.department_id}|${a.fiscal_year}`, a])).values(),
    ];
    await inChunks(uniqueActuals, 500, (chunk) => tx.insertInto('indicator_actuals').values(chunk).execute());
    if (nodesCreated > 0 || newProjects.length > 0) await orderByPrintedNumbers(tx, pid);
    const projectsCreated = newProjects.length;
    const indicatorsCreated = newIndicators.size;
    await bumpPlan(tx, pid);
    const summary = summarise(usable, mapping);
    await audit(tx, actor, {
      municipalityId,
      action: 'import',
      entity: 'plan',
      entityId: pid,
      detail: { mapping: mapping.name, fiscalYear: target.fiscalYear, rows: rows.length, skipped: skipped.length },
    });
    return {
      planId: pid,
      summary,
      created: {
        nodes: nodesCreated,
        projects: projectsCreated,
        records: recordsCreated,
        departments: departmentsCreated,
        indicators: indicatorsCreated,
      },
      updated: { records: recordsUpdated },
      skipped,
    };
  });
}

/**
 * A file that meets the tree out of order (one sheet per department lists 施策 (2) before (1))
 * still gives the plan its printed order: siblings that all carry a number are sorted by it, and
 * projects numbered 1, 2, 3 under one node likewise.
 */
async function orderByPrintedNumbers(tx: DbOrTx, planId: number): Promise<void> {
  const sortGroup = async (
    table: 'plan_nodes' | 'projects',
    items: { id: number; position: number; ordinal: number | null }[],
  ) => {
    if (items.length < 2 || items.some((i) => i.ordinal === null)) return;
    const sorted = [...items].sort((a, b) => a.ordinal! - b.ordinal! || a.position - b.position);
    const positions = [...items].map((i) => i.position).sort((a, b) => a - b);
    for (const [k, item] of sorted.entries())
      if (item.position !== positions[k])
        await tx.updateTable(table).set({ position: positions[k]! }).where('id', '=', item.id).execute();
  };
  const nodes = await tx
    .selectFrom('plan_nodes')
    .select(['id', 'parent_id', 'position', 'number_override'])
    .where('plan_id', '=', planId)
    .execute();
  const byParent = new Map<number | null, typeof nodes>();
  for (const n of nodes) byParent.set(n.parent_id, [...(byParent.get(n.parent_id) ?? []), n]);
  for (const list of byParent.values())
    await sortGroup(
      'plan_nodes',
      list.map((n) => ({
        id: n.id,
        position: n.position,
        ordinal: n.number_override ? ordinalOf(n.number_override) : null,
      })),
    );
  const projects = await tx
    .selectFrom('projects')
    .select(['id', 'node_id', 'position', 'number'])
    .where('plan_id', '=', planId)
    .execute();
  const byNode = new Map<number, typeof projects>();
  for (const p of projects) byNode.set(p.node_id, [...(byNode.get(p.node_id) ?? []), p]);
  for (const list of byNode.values())
    await sortGroup(
      'projects',
      list.map((p) => ({ id: p.id, position: p.position, ordinal: /^\d+$/.test(p.number) ? Number(p.number) : null })),
    );
}

type NewProject = Insertable<Database['projects']>;
type NewRecord = Insertable<Database['records']>;
type NewIndicator = Insertable<Database['indicators']>;

// Inserted rows are matched back by their natural keys (number; project and name), never by order.
async function insertProjects(tx: DbOrTx, rows: NewProject[]): Promise<{ id: number; number: string }[]> {
  const out: { id: number; number: string }[] = [];
  for (let i = 0; i < rows.length; i += 500)
    out.push(
      ...(await tx
        .insertInto('projects')
        .values(rows.slice(i, i + 500))
        .returning(['id', 'number'])
        .execute()),
    );
  return out;
}

async function insertRecords(tx: DbOrTx, rows: NewRecord[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await tx
      .insertInto('records')
      .values(rows.slice(i, i + 500))
      .execute();
}

async function insertIndicators(
  tx: DbOrTx,
  rows: NewIndicator[],
): Promise<{ id: number; project_id: number; name: string }[]> {
  const out: { id: number; project_id: number; name: string }[] = [];
  for (let i = 0; i < rows.length; i += 500)
    out.push(
      ...(await tx
        .insertInto('indicators')
        .values(rows.slice(i, i + 500))
        .returning(['id', 'project_id', 'name'])
        .execute()),
    );
  return out;
}
