import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixed000 } from '../../../domain/import/seed-fixes.test-support.js';
import type { Table } from '../../../domain/import/table.js';
import type {
  ImportBatch,
  ImportCommitResult,
  ImportUndoResult,
  ImportReplacePreview,
  PlanDetail,
} from '../../../domain/api-types.js';
import { toNumber } from '../../db/util.js';
import { inMunicipality } from '../../db/tenant.js';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { digestOf } from './batch-rows.js';
import { readSnapshot } from './batches.service.js';
import { addNode, createPlan } from '../../testing/plan-fixtures.js';

/**
 * Imports as batches, through the API as the wizard uses it: a seed report imported, imported again
 * (nothing changes), imported without three projects (they go, shown first), the last import undone
 * (the plan exactly as before it), an undo refused once a department has edited an imported answer.
 */

/** A table as Excel copies it: cells with tabs, line breaks or quotes quoted. */
function toTsv(table: Table): string {
  const cell = (c: string) => (/[\t\n\r"]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  return table.map((r) => r.map(cell).join('\t')).join('\n');
}

/** What every import of seed 000 here sends besides its source: the mapping, the fixes, the year. */
const seedImport = (seed: ReturnType<typeof fixed000>) => ({
  mapping: 'indicator-achievement',
  fixes: { excluded: seed.excluded },
  fiscalYear: 2021,
  createDepartments: true,
});

const FILE = '東松山市_令和3年度事業評価.tsv';
const file = (table: Table) => ({
  kind: 'file' as const,
  name: FILE,
  base64: Buffer.from(toTsv(table), 'utf8').toString('base64'),
});

/**
 * Lines 17, 44 and 75 left out: projects 8, 29 and 54 (project 8 alone under 施策 (3)① and its 施策No. 6);
 * and two cells corrected: project 1's 事業予定 and project 2's 実績.
 */
const REMOVED_LINES = [17, 44, 75];
const withoutThree = (table: Table): Table =>
  table.map((r, i) => {
    if (REMOVED_LINES.includes(i + 1)) return [''];
    if (i + 1 === 10) return r.map((c, col) => (col === 5 ? '改訂した事業予定' : c));
    if (i + 1 === 11) return r.map((c, col) => (col === 8 ? '99回' : c));
    return r;
  });

describe('imports as batches', () => {
  let h: Harness;
  let mid: number;
  let coord: Client;
  let planId: number;
  const seed = fixed000();
  const base = seedImport(seed);
  const batches: number[] = [];

  beforeAll(async () => {
    h = await createHarness();
    mid = (await h.municipality('東松山市')).id;
    coord = await h.as('coordinator', { municipalityId: mid });
  });
  afterAll(() => h.close());

  /** Every row of the plan an import writes, in a fixed order. */
  async function dump(id: number) {
    const db = h.db;
    const plan = (t: 'plan_nodes' | 'projects' | 'indicators') =>
      db.selectFrom(t).selectAll().where('plan_id', '=', id).orderBy('id').execute();
    const indicatorIds = db.selectFrom('indicators').select('id').where('plan_id', '=', id);
    return {
      nodes: await plan('plan_nodes'),
      projects: await plan('projects'),
      indicators: await plan('indicators'),
      assignments: await db
        .selectFrom('project_departments')
        .selectAll()
        .where('project_id', 'in', db.selectFrom('projects').select('id').where('plan_id', '=', id))
        .orderBy('project_id')
        .orderBy('department_id')
        .execute(),
      records: await db.selectFrom('records').selectAll().where('plan_id', '=', id).orderBy('id').execute(),
      targets: await db
        .selectFrom('indicator_targets')
        .selectAll()
        .where('indicator_id', 'in', indicatorIds)
        .orderBy('indicator_id')
        .orderBy('fiscal_year')
        .execute(),
      actuals: await db
        .selectFrom('indicator_actuals')
        .selectAll()
        .where('indicator_id', 'in', indicatorIds)
        .orderBy('id')
        .execute(),
      evaluations: await db
        .selectFrom('evaluations')
        .select(['slot_key', 'subject_kind', 'subject_id', 'department_id', 'fiscal_year', 'code', 'level', 'reason'])
        .where('plan_id', '=', id)
        .where('code', 'is not', null)
        .orderBy('id')
        .execute(),
    };
  }
  type Dump = Awaited<ReturnType<typeof dump>>;
  /** The dump without what every write moves on (versions and times). */
  const stable = (d: Dump) =>
    JSON.parse(
      JSON.stringify(d, (k: string, v: unknown) =>
        ['version', 'updated_at', 'submitted_at'].includes(k) ? undefined : v,
      ),
    );
  const counts = (d: Dump) => Object.fromEntries(Object.entries(d).map(([k, v]) => [k, v.length]));
  const reportRows = async () =>
    (await coord.get(`/api/m/${mid}/report?planId=${planId}&fiscalYear=2021&layout=indicator-achievement`)).json()
      .document.sheets;
  const history = async (c: Client = coord) => c.get(`/api/m/${mid}/plans/${planId}/import-batches`);

  let first: Dump;
  let second: Dump;
  let report: unknown;

  it('records the first import of the report as a batch that created the plan', async () => {
    const res = await coord.post(`/api/m/${mid}/imports/commit`, {
      ...base,
      source: file(seed.table),
      newPlan: { title: '第5次ひがしまつやま共生プラン', firstYear: 2021, lastYear: 2025 },
    });
    expect(res.statusCode, res.body).toBe(200);
    const r: ImportCommitResult = res.json();
    planId = r.planId;
    expect(r.batch).toMatchObject({ replaced: null });
    batches.push(r.batch!.id);
    first = await dump(planId);
    expect(counts(first)).toMatchObject({ nodes: 70, projects: 57, records: 73 });
    report = await reportRows();
    const [batch] = (await history()).json().batches as ImportBatch[];
    expect(batch).toMatchObject({
      sourceName: FILE,
      fiscalYear: 2021,
      status: 'live',
      createdPlan: true,
      file: { projects: 57, records: 73 },
      undoProblem: null,
    });
    expect(batch!.userName).toMatch(/^テスト coordinator/);
    const stored = await h.db
      .selectFrom('import_batches')
      .select(['source_hash', 'fixes', 'mapping', 'after'])
      .where('id', '=', batches[0]!)
      .executeTakeFirstOrThrow();
    expect(stored.source_hash).toMatch(/^[0-9a-f]{64}$/);
    // The fingerprints kept are those of every row of the plan as a whole reading of it gives them now.
    const now = digestOf(await readSnapshot(h.db, planId, 2021));
    expect(Object.keys(now.record ?? {})).toHaveLength(73);
    expect(JSON.parse(stored.after)).toEqual(now);
    expect(JSON.parse(stored.fixes)).toMatchObject({ version: 1, excluded: [100] });
    expect(JSON.parse(stored.mapping).name).toBe('indicator-achievement');
  });

  it('importing the same file again into the plan changes nothing and replaces the first batch', async () => {
    const preview = await coord.post(`/api/m/${mid}/imports/replace-preview`, {
      ...base,
      source: file(seed.table),
      planId,
    });
    expect(preview.statusCode, preview.body).toBe(200);
    const p: ImportReplacePreview = preview.json();
    expect(p.removals).toMatchObject({ projects: [], records: [], nodes: [], others: [], kept: [] });
    expect(p.removals.replaces?.id).toBe(batches[0]);
    expect(p.nodeMatches.every((m) => m.existingNodeId !== null)).toBe(true);
    expect(p.created).toMatchObject({ nodes: 0, projects: 0, records: 0 });
    // The preview kept nothing.
    expect(stable(await dump(planId))).toEqual(stable(first));

    const res = await coord.post(`/api/m/${mid}/imports/commit`, { ...base, source: file(seed.table), planId });
    expect(res.statusCode, res.body).toBe(200);
    const r: ImportCommitResult = res.json();
    expect(r.batch).toMatchObject({ replaced: batches[0] });
    expect(r.created).toMatchObject({ nodes: 0, projects: 0, records: 0, departments: 0, indicators: 0 });
    batches.push(r.batch!.id);
    second = await dump(planId);
    expect(counts(second)).toEqual(counts(first));
    expect(stable(second)).toEqual(stable(first));
    expect(await reportRows()).toEqual(report);
  });

  it('a version without three projects removes them, listed in the preview first', async () => {
    const source = file(withoutThree(seed.table));
    const preview = (
      await coord.post(`/api/m/${mid}/imports/replace-preview`, { ...base, source, planId })
    ).json<ImportReplacePreview>();
    expect(preview.removals.projects.map((p) => p.number).sort()).toEqual(['29', '54', '8']);
    expect(preview.removals.records).toHaveLength(3);
    expect(preview.removals.records.map((r) => r.department).sort()).toEqual([
      '危機管理防災課',
      '学校教育課',
      '総務課',
    ]);
    expect(preview.removals.nodes.map((n) => n.number).sort()).toEqual(['6', '①']);
    expect(preview.removals.kept).toEqual([]);
    expect(counts(await dump(planId))).toEqual(counts(second));

    const res = await coord.post(`/api/m/${mid}/imports/commit`, { ...base, source, planId });
    expect(res.statusCode, res.body).toBe(200);
    const r: ImportCommitResult = res.json();
    expect(r.removals.projects).toEqual(preview.removals.projects);
    expect(r.updated.records).toBe(1);
    batches.push(r.batch!.id);
    const third = await dump(planId);
    expect(counts(third)).toMatchObject({ nodes: 68, projects: 54, records: 70 });
    expect(third.records.find((x) => x.plan_text === '改訂した事業予定')).toBeDefined();
    expect(third.actuals.filter((a) => a.text === '99回')).toHaveLength(1);
    const numbers = third.projects.map((p) => p.number);
    for (const n of ['8', '29', '54']) expect(numbers).not.toContain(n);
    // Their indicator lines and values went with them; their grades were cleared.
    expect(third.indicators.length).toBeLessThan(second.indicators.length);
    expect(third.evaluations.length).toBe(second.evaluations.length - 3);
  });

  it('undoing the last import puts the plan back exactly as it was before it', async () => {
    const res = await coord.post(`/api/m/${mid}/import-batches/${batches[2]}/undo`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().batch).toMatchObject({ status: 'undone' });
    const restored = await dump(planId);
    expect(restored).toEqual(second);
    expect(stable(restored)).toEqual(stable(first));
    expect(await reportRows()).toEqual(report);
    const list = (await history()).json().batches as ImportBatch[];
    expect(list.map((b) => [b.id, b.status])).toEqual([
      [batches[2], 'undone'],
      [batches[1], 'live'],
      [batches[0], 'replaced'],
    ]);
    expect(list[1]!.undoProblem).toBeNull();
    expect(list[2]!.undoProblem).toContain('置き換えられています');
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['action', 'entity', 'actor_name'])
      .where('entity', '=', 'import_batch')
      .execute();
    expect(audit).toEqual([{ action: 'undo', entity: 'import_batch', actor_name: expect.stringMatching(/^テスト/) }]);
  });

  it('refuses to undo once a department has edited an imported answer, saying so', async () => {
    const record = await h.db
      .selectFrom('records as r')
      .innerJoin('projects as p', 'p.id', 'r.project_id')
      .select(['r.id', 'r.department_id'])
      .where('p.plan_id', '=', planId)
      .where('p.number', '=', '1')
      .executeTakeFirstOrThrow();
    const round = await coord.post(`/api/m/${mid}/rounds`, {
      planId,
      fiscalYear: 2021,
      phase: 'end',
      deadline: '2022-04-30',
      departmentIds: [record.department_id],
    });
    expect(round.statusCode, round.body).toBe(201);
    // Opening the round lets the department answer again: each of its imported answers is reopened.
    const reopened = await h.db
      .selectFrom('records')
      .select('id')
      .where('plan_id', '=', planId)
      .where('department_id', '=', record.department_id)
      .where('status', '<>', 'approved')
      .execute();
    expect(reopened.length).toBeGreaterThan(1);
    const editor = await h.as('department_editor', { municipalityId: mid, departmentId: record.department_id });
    const current = await h.db
      .selectFrom('records')
      .select('version')
      .where('id', '=', record.id)
      .executeTakeFirstOrThrow();
    const saved = await editor.put(`/api/m/${mid}/records/${record.id}`, {
      version: current.version,
      planText: '担当課が書き直した予定',
      resultText: '担当課が書き直した実績',
    });
    expect(saved.statusCode, saved.body).toBe(200);

    const before = await dump(planId);
    const refused = await coord.post(`/api/m/${mid}/import-batches/${batches[1]}/undo`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain(`この取り込みの後に ${reopened.length}件の回答が編集されています`);
    expect(await dump(planId)).toEqual(before);
    const [, live] = (await history()).json().batches as ImportBatch[];
    expect(live).toMatchObject({ status: 'live' });
    expect(live!.undoProblem).toContain(`${reopened.length}件の回答が編集されています`);

    // Department roles neither see nor undo imports.
    expect((await history(editor)).statusCode).toBe(403);
    expect((await editor.post(`/api/m/${mid}/import-batches/${batches[1]}/undo`)).statusCode).toBe(403);
    const viewer = await h.as('department_viewer', { municipalityId: mid, departmentId: record.department_id });
    expect((await history(viewer)).statusCode).toBe(403);
  });

  it('keeps the batches of one municipality from another', async () => {
    const other = await h.municipality('他市');
    const stranger = await h.as('coordinator', { municipalityId: other.id });
    expect((await stranger.get(`/api/m/${mid}/plans/${planId}/import-batches`)).statusCode).toBe(403);
    expect((await stranger.get(`/api/m/${other.id}/plans/${planId}/import-batches`)).statusCode).toBe(404);
    expect((await stranger.post(`/api/m/${other.id}/import-batches/${batches[1]}/undo`)).statusCode).toBe(404);
    // The database itself shows another municipality none of them (PostgreSQL; SQLite keeps the app's checks).
    const seen = async (m: number) =>
      inMunicipality(m, async () =>
        toNumber(
          (
            await h.ctx.db
              .selectFrom('import_batches')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      );
    expect(await seen(mid)).toBe(3);
    if (h.ctx.dialect === 'postgres') {
      expect(await seen(other.id)).toBe(0);
      const rows = await inMunicipality(other.id, () =>
        sql<{ n: string }>`SELECT count(*) AS n FROM import_batch_rows`.execute(h.ctx.db),
      );
      expect(toNumber(rows.rows[0]!.n)).toBe(0);
    }
  });
});

describe('importing into an existing plan numbered by its style', () => {
  let h: Harness;
  let mid: number;
  let coord: Client;
  let planId: number;
  const MAPPING = {
    name: '貼り付け',
    label: '基本目標・施策の方向・番号・事業名・担当課',
    headerWords: ['基本目標', '施策の方向', '番号', '事業名', '担当課'],
    levels: [
      { name: '基本目標', column: 0 },
      { name: '施策の方向', column: 1 },
    ],
    columns: { projectNumber: 2, projectName: 3, department: 4 },
  };
  const paste = (goal: string, direction: string, n: number) =>
    [
      '基本目標\t施策の方向\t番号\t事業名\t担当課',
      `${goal}\t${direction}\t${n}\t事業${n}\t人権推進課`,
      `\t\t${n + 1}\t事業${n + 1}\t人権推進課`,
    ].join('\n');

  beforeAll(async () => {
    h = await createHarness();
    mid = (await h.municipality()).id;
    await h.department(mid, '人権推進課');
    coord = await h.as('coordinator', { municipalityId: mid });
    // Ⅰ and (1) come from the levels' styles: the nodes carry no number of their own.
    planId = await createPlan(coord, mid);
    const goal = await addNode(coord, mid, planId, '男女共同参画の意識づくり');
    await addNode(coord, mid, planId, '意識啓発の推進', goal);
  });
  afterAll(() => h.close());

  const nodes = async () =>
    (await coord.get(`/api/m/${mid}/plans/${planId}`)).json<PlanDetail>().nodes.map((n) => `${n.number} ${n.title}`);

  it.each([
    ['Ⅰ 男女共同参画の意識づくり', '(1) 意識啓発の推進', 1],
    ['I　男女共同参画の 意識づくり', '（１） 意識啓発を進める', 3],
    ['1 意識の醸成', '① 意識啓発の推進', 5],
    ['男女共同参画の意識づくり', '(1) 啓発', 7],
  ])('puts 「%s」 / 「%s」 into the existing nodes', async (goal, direction, n) => {
    const body = { source: { kind: 'paste', text: paste(goal, direction, n) }, mapping: MAPPING, planId };
    const preview = await coord.post(`/api/m/${mid}/imports/preview`, body);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().nodeMatches).toEqual([
      expect.objectContaining({ level: 0, existingLabel: 'Ⅰ 男女共同参画の意識づくり' }),
      expect.objectContaining({ level: 1, existingLabel: '(1) 意識啓発の推進' }),
    ]);
    const res = await coord.post(`/api/m/${mid}/imports/commit`, { ...body, fiscalYear: 2023 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().created).toMatchObject({ nodes: 0, projects: 2 });
    expect(await nodes()).toEqual(['Ⅰ 男女共同参画の意識づくり', '(1) 意識啓発の推進']);
    const under = await h.db
      .selectFrom('projects as p')
      .innerJoin('plan_nodes as n', 'n.id', 'p.node_id')
      .select('n.title')
      .distinct()
      .where('p.plan_id', '=', planId)
      .execute();
    expect(under).toEqual([{ title: '意識啓発の推進' }]);
  });

  it('makes a node that matches neither by number nor by title a new one, and says so in the preview', async () => {
    const body = {
      source: { kind: 'paste', text: paste('Ⅱ 暴力の根絶', '(1) 相談体制の充実', 20) },
      mapping: MAPPING,
      planId,
    };
    const preview = (await coord.post(`/api/m/${mid}/imports/preview`, body)).json();
    expect(preview.nodeMatches).toEqual([
      { level: 0, number: 'Ⅱ', title: '暴力の根絶', existingNodeId: null, existingLabel: null },
      { level: 1, number: '(1)', title: '相談体制の充実', existingNodeId: null, existingLabel: null },
    ]);
    const res = await coord.post(`/api/m/${mid}/imports/commit`, { ...body, fiscalYear: 2023 });
    expect(res.json().created).toMatchObject({ nodes: 2 });
    expect(await nodes()).toEqual([
      'Ⅰ 男女共同参画の意識づくり',
      'Ⅱ 暴力の根絶',
      '(1) 意識啓発の推進',
      '(1) 相談体制の充実',
    ]);
  });

  it('undoing the import that created a plan leaves the plan empty, its grades cleared', async () => {
    const text = [
      '基本目標\t施策の方向\t番号\t事業名\t担当課\t評価',
      'Ⅰ 意識づくり\t(1) 啓発\t1\t講座\t人権推進課\tA',
      '\t\t2\t相談\t人権推進課\tB',
    ].join('\n');
    const res = await coord.post(`/api/m/${mid}/imports/commit`, {
      source: { kind: 'paste', text },
      mapping: { ...MAPPING, headerWords: [...MAPPING.headerWords, '評価'], columns: { ...MAPPING.columns, grade: 5 } },
      newPlan: { title: '取り消す計画', firstYear: 2021, lastYear: 2025 },
      fiscalYear: 2023,
    });
    expect(res.statusCode, res.body).toBe(200);
    const created = res.json<ImportCommitResult>();
    const count = async (t: 'plan_nodes' | 'projects' | 'records') =>
      (await h.db.selectFrom(t).select('id').where('plan_id', '=', created.planId).execute()).length;
    const grades = async () =>
      (
        await h.db
          .selectFrom('evaluations')
          .select('code')
          .where('plan_id', '=', created.planId)
          .where('code', 'is not', null)
          .execute()
      ).length;
    expect([await count('plan_nodes'), await count('projects'), await count('records'), await grades()]).toEqual([
      2, 2, 2, 2,
    ]);
    const undo = await coord.post(`/api/m/${mid}/import-batches/${created.batch!.id}/undo`);
    expect(undo.statusCode, undo.body).toBe(200);
    expect([await count('plan_nodes'), await count('projects'), await count('records'), await grades()]).toEqual([
      0, 0, 0, 0,
    ]);
    expect((await coord.get(`/api/m/${mid}/plans/${created.planId}`)).statusCode).toBe(200);
    // Undone once: not again.
    const again = await coord.post(`/api/m/${mid}/import-batches/${created.batch!.id}/undo`);
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe('この取り込みはすでに取り消されています');
  });

  it('takes two imports of the municipality at the same moment in turn: nothing is written twice', async () => {
    const target = await createPlan(coord, mid);
    const text = [
      '基本目標\t施策の方向\t番号\t事業名\t担当課',
      '同時の目標\t(1) 同時の施策\t1\t同時事業\t同時課',
      '\t\t2\t同時事業その2\t同時課',
    ].join('\n');
    const body = { source: { kind: 'paste', text }, mapping: MAPPING, planId: target, fiscalYear: 2023 };
    const results = await Promise.all([
      coord.post(`/api/m/${mid}/imports/commit`, { ...body, createDepartments: true }),
      coord.post(`/api/m/${mid}/imports/commit`, { ...body, createDepartments: true }),
    ]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
    const plan = (await coord.get(`/api/m/${mid}/plans/${target}`)).json<PlanDetail>();
    expect(plan.nodes.map((n) => n.title)).toEqual(['同時の目標', '同時の施策']);
    expect(plan.projects.map((p) => p.name).sort()).toEqual(['同時事業', '同時事業その2']);
    const named = await h.db
      .selectFrom('departments')
      .select('id')
      .where('municipality_id', '=', mid)
      .where('name', '=', '同時課')
      .execute();
    expect(named).toHaveLength(1);
    const records = await h.db.selectFrom('records').select('id').where('plan_id', '=', target).execute();
    expect(records).toHaveLength(2);
  });

  it('undoing an import takes the departments it added with it, and keeps one something else uses by now', async () => {
    const text = [
      '基本目標\t施策の方向\t番号\t事業名\t担当課\t評価',
      'Ⅰ 住まい\t(1) 住宅\t1\t住宅相談\t住宅政策課（令和2年度より住宅課から組織変更）\tA',
      '\t\t2\t空き家対策\t空き家対策室\tB',
      '\t\t3\t移住相談\t移住推進室\tB',
    ].join('\n');
    const names = async () =>
      (
        await h.db.selectFrom('departments').select('name').where('municipality_id', '=', mid).orderBy('id').execute()
      ).map((d) => d.name);
    const changes = async () =>
      (await h.db.selectFrom('department_changes').select('id').where('municipality_id', '=', mid).execute()).length;
    const before = { names: await names(), changes: await changes() };
    const res = await coord.post(`/api/m/${mid}/imports/commit`, {
      source: { kind: 'paste', text },
      mapping: { ...MAPPING, headerWords: [...MAPPING.headerWords, '評価'], columns: { ...MAPPING.columns, grade: 5 } },
      newPlan: { title: '住まいの計画', firstYear: 2021, lastYear: 2025 },
      fiscalYear: 2023,
      createDepartments: true,
    });
    expect(res.statusCode, res.body).toBe(200);
    const created = res.json<ImportCommitResult>();
    expect(await names()).toEqual([...before.names, '住宅政策課', '空き家対策室', '移住推進室', '住宅課']);
    expect(await changes()).toBe(before.changes + 1);
    // Meanwhile 移住推進室 gets an account of its own: it stays when the import is undone.
    const kept = (
      await h.db
        .selectFrom('departments')
        .select('id')
        .where('municipality_id', '=', mid)
        .where('name', '=', '移住推進室')
        .execute()
    )[0]!.id;
    await h.as('department_editor', { municipalityId: mid, departmentId: kept });

    const undo = await coord.post(`/api/m/${mid}/import-batches/${created.batch!.id}/undo`);
    expect(undo.statusCode, undo.body).toBe(200);
    expect(undo.json<ImportUndoResult>().departments).toEqual({ removed: 3, kept: ['移住推進室'] });
    expect(await names()).toEqual([...before.names, '移住推進室']);
    expect(await changes()).toBe(before.changes);
  });

  it('still refuses the deletion of an imported answer unless its import takes it back in an open year', async () => {
    const db = h.db;
    const record = await db
      .selectFrom('records')
      .select(['id', 'version', 'plan_id', 'fiscal_year', 'municipality_id'])
      .where('plan_id', '=', planId)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const refusal = async () =>
      db
        .deleteFrom('records')
        .where('id', '=', record.id)
        .execute()
        .then(
          () => 'deleted',
          (e: unknown) => String(e),
        );
    expect(await refusal()).toContain('shinchoku-protected');
    const release = (version: number) =>
      db
        .insertInto('import_releases')
        .values({
          municipality_id: record.municipality_id,
          batch_id: null,
          record_id: record.id,
          version,
          created_at: new Date().toISOString(),
        })
        .execute();
    // A release of another version does not count.
    await release(record.version + 1);
    expect(await refusal()).toContain('shinchoku-protected');
    // Nor does a release while the year is fixed.
    await release(record.version);
    const node = await db.selectFrom('plan_nodes').select('id').where('plan_id', '=', planId).executeTakeFirstOrThrow();
    await db
      .insertInto('year_nodes')
      .values({
        municipality_id: record.municipality_id,
        plan_id: planId,
        fiscal_year: record.fiscal_year,
        node_id: node.id,
        parent_id: null,
        depth: 0,
        position: 1,
        number: 'Ⅰ',
        title: '固定',
      })
      .execute();
    expect(await refusal()).toContain('shinchoku-protected');
    await db.deleteFrom('year_nodes').where('plan_id', '=', planId).execute();
    expect(await refusal()).toBe('deleted');
  });
});

describe('a paste given a name', () => {
  let h: Harness;
  let mid: number;
  let coord: Client;
  const seed = fixed000();
  const base = seedImport(seed);
  const paste = (table: Table, name?: string) => ({ kind: 'paste' as const, text: toTsv(table), name });
  const projectNumbers = async (planId: number) =>
    (await h.db.selectFrom('projects').select('number').where('plan_id', '=', planId).execute())
      .map((p) => p.number)
      .sort();

  beforeAll(async () => {
    h = await createHarness();
    mid = (await h.municipality('貼付市')).id;
    coord = await h.as('coordinator', { municipalityId: mid });
  });
  afterAll(() => h.close());

  it('is replaced by its edited version pasted under the same name; another name or none adds beside it', async () => {
    const first = await coord.post(`/api/m/${mid}/imports/commit`, {
      ...base,
      source: paste(seed.table, ' 令和3年度実績 '),
      newPlan: { title: '貼付市プラン', firstYear: 2021, lastYear: 2025 },
    });
    expect(first.statusCode, first.body).toBe(200);
    const { planId, batch } = first.json<ImportCommitResult>();
    expect(await projectNumbers(planId)).toContain('29');

    // The table corrected and pasted again under the same name: the preview says which import it replaces
    // and what goes, and the commit removes what the edited paste no longer holds.
    const edited = paste(withoutThree(seed.table), '令和3年度実績');
    const preview = (
      await coord.post(`/api/m/${mid}/imports/replace-preview`, { ...base, source: edited, planId })
    ).json<ImportReplacePreview>();
    expect(preview.removals.replaces).toMatchObject({ id: batch!.id, sourceName: '貼り付け：令和3年度実績' });
    expect(preview.removals.projects.map((p) => p.number).sort()).toEqual(['29', '54', '8']);
    const again = await coord.post(`/api/m/${mid}/imports/commit`, { ...base, source: edited, planId });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<ImportCommitResult>().batch).toMatchObject({ replaced: batch!.id });
    const numbers = await projectNumbers(planId);
    for (const n of ['8', '29', '54']) expect(numbers).not.toContain(n);

    // The same edited text without a name is the same contents: it replaces too (by its hash).
    const unnamed = (
      await coord.post(`/api/m/${mid}/imports/replace-preview`, {
        ...base,
        source: paste(withoutThree(seed.table)),
        planId,
      })
    ).json<ImportReplacePreview>();
    expect(unnamed.removals.replaces?.sourceName).toBe('貼り付け：令和3年度実績');
    // Another name and other contents replace nothing.
    const other = (
      await coord.post(`/api/m/${mid}/imports/replace-preview`, {
        ...base,
        source: paste(seed.table.slice(0, 30), '別の表'),
        planId,
      })
    ).json<ImportReplacePreview>();
    expect(other.removals.replaces).toBeNull();

    // The history lists the named paste by its name.
    const batches = (await coord.get(`/api/m/${mid}/plans/${planId}/import-batches`)).json().batches as ImportBatch[];
    expect(batches.map((b) => [b.sourceName, b.status])).toEqual([
      ['貼り付け：令和3年度実績', 'live'],
      ['貼り付け：令和3年度実績', 'replaced'],
    ]);
  });

  it('refuses a name longer than 100 characters, naming the field', async () => {
    const res = await coord.post(`/api/m/${mid}/imports/preview`, {
      ...base,
      source: paste(seed.table, 'あ'.repeat(101)),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('貼り付けの名前は100文字以内で入力してください');
  });
});
