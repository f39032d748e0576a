import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeCounts } from '../../../domain/report/sample-dataset.test-support.js';
import type { NodeEvaluationsDto, Sheet, SlotValueDto } from '../../../domain/api-types.js';
import { presetConfig } from '../../../domain/evaluation/presets.js';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { openYearRound } from '../../testing/plan-fixtures.js';

/**
 * A plan evaluated in four slots (the department's self-evaluation of each answer, the coordinating
 * section's of each answer, the council's stars and comment on each 施策, the coordinating section's
 * 総評 of each 基本目標), entered by the people the plan names, each change kept with who made it.
 */
/** A 基本目標 意識づくり with its 施策 啓発 and the project 啓発講座 of the department. */
async function goalMeasureProject(coord: Client, mid: number, planId: number, dept: number) {
  const goal: number = (await coord.post(`/api/m/${mid}/plans/${planId}/nodes`, { title: '意識づくり' })).json().node
    .id;
  const measure: number = (
    await coord.post(`/api/m/${mid}/plans/${planId}/nodes`, { title: '啓発', parentId: goal })
  ).json().node.id;
  const project: number = (
    await coord.post(`/api/m/${mid}/plans/${planId}/projects`, {
      nodeId: measure,
      number: '1',
      name: '啓発講座',
      leadDepartmentId: dept,
    })
  ).json().project.id;
  return { goal, measure, project };
}

describe('evaluation slots through the API', () => {
  let h: Harness;
  let mid: number;
  let planId: number;
  let goal: number;
  let measure: number;
  let project: number;
  let dept: number;
  let coord: Client;
  let editor: Client;
  let council: Client;
  let committee: Client;
  let roundId: number;

  beforeAll(async () => {
    h = await createHarness();
    mid = (await h.municipality('評価市')).id;
    dept = await h.department(mid, '人権推進課');
    coord = await h.as('coordinator', { municipalityId: mid });
    editor = await h.as('department_editor', { municipalityId: mid, departmentId: dept });
    council = await h.as('council_member', { municipalityId: mid });
    committee = await h.as('committee_member', { municipalityId: mid });
    const plan = await coord.post(`/api/m/${mid}/plans`, {
      title: '評価市プラン',
      firstYear: 2021,
      lastYear: 2030,
      evaluationPreset: 'council-stars',
      levels: [
        { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
        { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
      ],
    });
    expect(plan.statusCode, plan.body).toBe(201);
    planId = plan.json().plan.id;
    ({ goal, measure, project } = await goalMeasureProject(coord, mid, planId, dept));
    roundId = await openYearRound(coord, mid, planId, dept, 2024);
  });
  afterAll(() => h.close());

  const sheet = async (): Promise<Sheet> =>
    (await editor.get(`/api/m/${mid}/rounds/${roundId}/departments/${dept}/sheet`)).json();
  const nodes = async (c: Client): Promise<NodeEvaluationsDto> =>
    (await c.get(`/api/m/${mid}/plans/${planId}/years/2024/node-evaluations`)).json();

  it('starts a plan from the preset it names, in force from its first year', async () => {
    const settings = (await coord.get(`/api/m/${mid}/plans/${planId}/evaluation`)).json();
    expect(settings.versions).toHaveLength(1);
    expect(settings.versions[0]).toMatchObject({ fromYear: 2021, toYear: null, fixedYears: [] });
    expect(settings.versions[0].config).toEqual(presetConfig('council-stars'));
  });

  it('takes the self-evaluation with the answer, refuses a code the legend lacks, and asks for it on submitting', async () => {
    const item = (await sheet()).items[0]!;
    expect(sheet).toBeDefined();
    expect(item.evaluations.record.self).toMatchObject({ code: null, source: 'none' });
    const url = `/api/m/${mid}/records/${item.record.id}`;
    const base = { version: item.record.version, planText: '講座を開く', resultText: '講座を開いた' };
    const saved = await editor.put(url, base);
    expect(saved.statusCode, saved.body).toBe(200);
    const refusedSubmit = await editor.post(`${url}/submit`);
    expect(refusedSubmit.statusCode).toBe(400);
    expect(refusedSubmit.json().details[0]).toMatchObject({
      field: `records.${item.record.id}.entries.self.record.${project}`,
      message: '自己評価を選んでください',
    });
    const entry = (code: string) => [{ slotKey: 'self', subjectKind: 'record', subjectId: project, code }];
    const wrong = await editor.put(url, { ...base, version: saved.json().record.version, entries: entry('S') });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().details[0].field).toBe(`entries.self.record.${project}`);
    expect(wrong.json().message).toContain('「S」は自己評価の凡例にありません');
    // The coordinating section's slot is not the department's to fill.
    const foreign = await editor.put(url, {
      ...base,
      version: saved.json().record.version,
      entries: [{ slotKey: 'coord', subjectKind: 'record', subjectId: project, code: 'A' }],
    });
    expect(foreign.statusCode).toBe(400);
    const graded = await editor.put(url, { ...base, version: saved.json().record.version, entries: entry('B') });
    expect(graded.statusCode, graded.body).toBe(200);
    expect(graded.json().record.entries).toEqual([
      { slotKey: 'self', subjectKind: 'record', subjectId: project, code: 'B', reason: '', comment: '' },
    ]);
    // A later save that does not send the entry keeps it.
    const text = await editor.put(url, { ...base, version: graded.json().record.version, remarks: '追記' });
    expect(text.json().record.entries.map((e: { code: string }) => e.code)).toEqual(['B']);
    expect((await sheet()).items[0]!.evaluations.record.self).toMatchObject({ code: 'B', source: 'entered' });
    expect((await editor.post(`${url}/submit`)).statusCode).toBe(200);
    // The history names the change by the slot's name.
    const history = (await coord.get(`/api/m/${mid}/records/${item.record.id}/history`)).json().entries;
    const changes = history.flatMap(
      (e: { changes: { field: string; label: string; before: string; after: string }[] }) =>
        e.changes.filter((c) => c.field.startsWith('entries.')),
    );
    expect(changes).toEqual([{ field: `entries.self.record.${project}`, label: '自己評価', before: '', after: 'B' }]);
  });

  it('lets the coordinating section grade the answer in its own slot, with optimistic versions and a history', async () => {
    const url = `/api/m/${mid}/plans/${planId}/years/2024/evaluations`;
    const body = { slotKey: 'coord', subjectKind: 'record', subjectId: project, departmentId: dept, code: 'A' };
    expect((await editor.post(url, { ...body, version: 0 })).statusCode).toBe(403);
    expect((await council.post(url, { ...body, version: 0 })).statusCode).toBe(403);
    const first = await coord.post(url, { ...body, version: 0 });
    expect(first.statusCode, first.body).toBe(200);
    const value: SlotValueDto = first.json();
    expect(value).toMatchObject({ code: 'A', source: 'entered', version: 1 });
    const stale = await coord.post(url, { ...body, code: 'B', version: 0 });
    expect(stale.statusCode).toBe(409);
    const second = await coord.post(url, { ...body, code: 'C', reason: '実施回数が少ない', version: 1 });
    expect(second.statusCode, second.body).toBe(200);
    const history = (await coord.get(`/api/m/${mid}/evaluations/${value.entryId}/history`)).json().history;
    expect(
      history.map((e: { before: { code: string | null }; after: { code: string } }) => [e.before.code, e.after.code]),
    ).toEqual([
      ['A', 'C'],
      [null, 'A'],
    ]);
    const stored = await h.db
      .selectFrom('evaluations')
      .select(['code', 'reason', 'version', 'entered_by_name'])
      .where('id', '=', value.entryId!)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ code: 'C', reason: '実施回数が少ない', version: 2 });
    const audit = await h.db.selectFrom('audit_log').select('action').where('action', '=', 'evaluation.save').execute();
    expect(audit).toHaveLength(2);
  });

  it('counts the self-evaluation checks per department in 集計, for the city hall only', async () => {
    const item = (await sheet()).items[0]!;
    // A B (not the top grade) with neither a reason nor a remark is a shortfall without a stated reason.
    const saved = await coord.put(`/api/m/${mid}/records/${item.record.id}`, {
      version: item.record.version,
      planText: item.record.planText,
      resultText: item.record.resultText,
      remarks: '',
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const summary = `/api/m/${mid}/report-summary?planId=${planId}&fiscalYear=2024`;
    const checks = (await coord.get(summary)).json().summary.checks;
    expect(checks).toEqual([
      {
        departmentId: dept,
        label: '人権推進課',
        counts: { contradicts: 0, sameAsLastYear: 0, shortfallWithoutReason: 1, gradeWithoutActual: 0 },
        total: 1,
      },
    ]);
    const review = (await coord.get(`/api/m/${mid}/rounds/${roundId}/review`)).json().rows[0];
    expect(review.checks.map((c: { kind: string }) => c.kind)).toEqual(['shortfallWithoutReason']);
    expect((await council.get(summary)).json().summary.checks).toBeNull();
  });

  it('lets the council star each 施策 with a comment, not a committee member, nor a 基本目標 the slot does not evaluate', async () => {
    const url = `/api/m/${mid}/plans/${planId}/years/2024/evaluations`;
    const view = await nodes(council);
    expect(view.mayEnter).toEqual(['council']);
    expect(view.rows.map((r) => [r.title, Object.keys(r.values)])).toEqual([
      ['意識づくり', ['summary']],
      ['啓発', ['council']],
    ]);
    const body = { slotKey: 'council', subjectKind: 'node', subjectId: measure, code: '★★', comment: '周知の工夫を' };
    expect((await committee.post(url, { ...body, version: 0 })).statusCode).toBe(403);
    expect((await council.post(url, { ...body, subjectId: goal, version: 0 })).statusCode).toBe(404);
    const saved = await council.post(url, { ...body, version: 0 });
    expect(saved.statusCode, saved.body).toBe(200);
    const after = await nodes(coord);
    expect(after.rows.find((r) => r.subjectId === measure)!.values.council).toMatchObject({
      code: '★★',
      comment: '周知の工夫を',
      source: 'entered',
    });
  });

  it('keeps a fixed year’s configuration: a change applies from the next year on, as a new version', async () => {
    const item = (await sheet()).items[0]!;
    expect((await coord.post(`/api/m/${mid}/records/${item.record.id}/approve`)).statusCode).toBe(200);
    // The council reads the approved answer with every slot's value: the department's and the coordinating section's.
    const view = (await council.get(`/api/m/${mid}/council?planId=${planId}&fiscalYear=2024`)).json();
    const answer = view.projects[0].records[0];
    expect(answer.evaluations.record).toMatchObject({
      self: { code: 'B', source: 'entered' },
      coord: { code: 'C', source: 'entered', reason: '実施回数が少ない' },
    });
    // Once the year is approved, what is left to evaluate shows as a task for whoever enters it.
    type Tasks = { tasks: { kind: string; title: string; count: number; link: string }[] };
    const coordTasks = (await coord.get(`/api/m/${mid}/tasks`)).json<Tasks>().tasks;
    expect(coordTasks.filter((t) => t.kind === 'evaluation').map((t) => [t.title, t.count, t.link])).toEqual([
      [`総評の入力: 評価市プラン 令和6年度（2024年度）`, 1, `/m/${mid}/evaluations/${planId}/2024`],
    ]);
    const councilTasks = (await council.get(`/api/m/${mid}/tasks`)).json<Tasks>().tasks;
    expect(councilTasks.filter((t) => t.kind === 'evaluation')).toEqual([]);
    expect((await committee.get(`/api/m/${mid}/tasks`)).json<Tasks>().tasks).toEqual([]);
    const url = `/api/m/${mid}/plans/${planId}/evaluation`;
    const changed = structuredClone(presetConfig('council-stars')!);
    changed.slots[0]!.name = '担当課評価';
    const refused = await coord.put(url, { fromYear: 2021, config: changed });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().details[0]).toMatchObject({ field: 'fromYear', message: '2025年度以降を選んでください' });
    const next = await coord.put(url, { fromYear: 2025, config: changed, note: '名称の変更' });
    expect(next.statusCode, next.body).toBe(200);
    const versions = next.json().versions;
    expect(versions.map((v: { fromYear: number; toYear: number | null }) => [v.fromYear, v.toYear])).toEqual([
      [2021, 2024],
      [2025, null],
    ]);
    expect(versions[0].fixedYears).toEqual([2024]);
    // 2024 still prints under the first version's name.
    expect((await sheet()).evaluation.slots[0]!.name).toBe('自己評価');
    const removed = await coord.delete(`${url}/versions/${versions[1].id}`);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().versions).toHaveLength(1);
  });

  it('lists the year’s nodes as the tree prints them, each 基本目標 followed by its 施策', async () => {
    const second = (await coord.post(`/api/m/${mid}/plans/${planId}/nodes`, { title: '環境づくり' })).json().node.id;
    await coord.post(`/api/m/${mid}/plans/${planId}/nodes`, { title: '相談', parentId: second });
    const view = (await coord.get(`/api/m/${mid}/plans/${planId}/years/2025/node-evaluations`)).json();
    expect(view.rows.map((r: { title: string }) => r.title)).toEqual(['意識づくり', '啓発', '環境づくり', '相談']);
  });
});

/**
 * A whole round of a plan evaluated five ways: the department's self-evaluation of each answer, the
 * coordinating section's, the council's (with a comment), the evaluation committee's (with a comment),
 * and the council's stars on each 施策. Each is entered by the role the plan names and nobody else, and
 * the report prints the three evaluations of an answer side by side.
 */
describe('a whole round with self, coordinator and council evaluations of each answer', () => {
  let h: Harness;
  let mid: number;
  let planId: number;
  let measure: number;
  let project: number;
  let dept: number;
  let coord: Client;
  let editor: Client;
  let council: Client;
  let committee: Client;
  let roundId: number;
  const year = 2024;

  beforeAll(async () => {
    h = await createHarness();
    mid = (await h.municipality('審議評価市')).id;
    dept = await h.department(mid, '人権推進課');
    coord = await h.as('coordinator', { municipalityId: mid, loginName: 'coord' });
    editor = await h.as('department_editor', { municipalityId: mid, departmentId: dept, loginName: 'editor' });
    council = await h.as('council_member', { municipalityId: mid, loginName: 'council' });
    committee = await h.as('committee_member', { municipalityId: mid, loginName: 'committee' });
    const plan = await coord.post(`/api/m/${mid}/plans`, {
      title: '審議評価市プラン',
      firstYear: 2021,
      lastYear: 2030,
      evaluationPreset: 'council-stars',
      levels: [
        { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
        { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
      ],
    });
    planId = plan.json().plan.id;
    const preset = presetConfig('council-stars')!;
    const config = {
      ...preset,
      slots: [
        ...preset.slots.slice(0, 2),
        {
          key: 'panel',
          name: '審議会の事業評価',
          subject: 'record',
          enteredBy: 'council',
          scale: 'a-d',
          comment: true,
        },
        {
          key: 'committee',
          name: '評価委員会の評価',
          subject: 'record',
          enteredBy: 'committee',
          scale: 'a-d',
          comment: true,
        },
        ...preset.slots.slice(2),
      ],
    };
    const saved = await coord.put(`/api/m/${mid}/plans/${planId}/evaluation`, { fromYear: 2021, config });
    expect(saved.statusCode, saved.body).toBe(200);
    ({ measure, project } = await goalMeasureProject(coord, mid, planId, dept));
    roundId = await openYearRound(coord, mid, planId, dept, year);
  });
  afterAll(() => h.close());

  const entriesUrl = () => `/api/m/${mid}/plans/${planId}/years/${year}/evaluations`;
  const onAnswer = (slotKey: string, code: string, more: Record<string, unknown> = {}) => ({
    slotKey,
    subjectKind: 'record',
    subjectId: project,
    departmentId: dept,
    code,
    version: 0,
    ...more,
  });
  const storedEntries = () =>
    h.db
      .selectFrom('evaluations')
      .select(['slot_key', 'subject_kind', 'subject_id', 'department_id', 'code', 'comment', 'version'])
      .select('entered_by_name')
      .where('plan_id', '=', planId)
      .orderBy('slot_key')
      .execute();

  it('takes each evaluation from the role the plan names, and from nobody else', async () => {
    const sheet: Sheet = (await editor.get(`/api/m/${mid}/rounds/${roundId}/departments/${dept}/sheet`)).json();
    const record = sheet.items[0]!.record;
    const url = `/api/m/${mid}/records/${record.id}`;
    const answer = { version: record.version, planText: '講座を開く', resultText: '講座を3回開いた' };
    // The department fills its own slot with the answer, never the coordinating section's, the council's or
    // the committee's.
    for (const slotKey of ['coord', 'panel', 'committee']) {
      const refused = await editor.put(url, {
        ...answer,
        entries: [{ slotKey, subjectKind: 'record', subjectId: project, code: 'A' }],
      });
      expect(refused.statusCode, slotKey).toBe(400);
      expect((await editor.post(entriesUrl(), onAnswer(slotKey, 'A'))).statusCode, slotKey).toBe(403);
    }
    const saved = await editor.put(url, {
      ...answer,
      entries: [{ slotKey: 'self', subjectKind: 'record', subjectId: project, code: 'B' }],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await editor.post(`${url}/submit`)).statusCode).toBe(200);

    // The council evaluates approved answers only.
    const early = await council.post(entriesUrl(), onAnswer('panel', 'C'));
    expect(early.statusCode).toBe(409);
    // The coordinating section reviews, grades in its own slot and approves.
    expect((await council.post(entriesUrl(), onAnswer('coord', 'A'))).statusCode).toBe(403);
    expect((await committee.post(entriesUrl(), onAnswer('coord', 'A'))).statusCode).toBe(403);
    const graded = await coord.post(entriesUrl(), onAnswer('coord', 'A', { reason: '目標どおり' }));
    expect(graded.statusCode, graded.body).toBe(200);
    expect((await coord.post(`${url}/approve`)).statusCode).toBe(200);

    // The council's slot: not the department's, not a committee member's; the department's slot not the council's.
    expect((await editor.post(entriesUrl(), onAnswer('panel', 'C'))).statusCode).toBe(403);
    expect((await committee.post(entriesUrl(), onAnswer('panel', 'C'))).statusCode).toBe(403);
    expect((await council.post(entriesUrl(), onAnswer('self', 'A'))).statusCode).toBe(403);
    expect(
      (
        await council.put(url, {
          ...answer,
          version: saved.json().record.version,
          entries: [{ slotKey: 'self', subjectKind: 'record', subjectId: project, code: 'A' }],
        })
      ).statusCode,
    ).toBe(403);
    const entered = await council.post(entriesUrl(), onAnswer('panel', 'C', { comment: '参加者の声を集めること' }));
    expect(entered.statusCode, entered.body).toBe(200);
    expect(entered.json()).toMatchObject({ code: 'C', version: 1, enteredByName: 'テスト council' });
    // A save of the version read before someone else's is refused, and changes nothing.
    expect((await council.post(entriesUrl(), onAnswer('panel', 'D'))).statusCode).toBe(409);
    // The council stars the 施策 the answer sits under.
    const star = await council.post(entriesUrl(), {
      slotKey: 'council',
      subjectKind: 'node',
      subjectId: measure,
      code: '★★',
      comment: '周知の工夫を',
      version: 0,
    });
    expect(star.statusCode, star.body).toBe(200);

    expect(await storedEntries()).toEqual([
      {
        slot_key: 'coord',
        subject_kind: 'record',
        subject_id: project,
        department_id: dept,
        code: 'A',
        comment: '',
        version: 1,
        entered_by_name: 'テスト coord',
      },
      {
        slot_key: 'council',
        subject_kind: 'node',
        subject_id: measure,
        department_id: 0,
        code: '★★',
        comment: '周知の工夫を',
        version: 1,
        entered_by_name: 'テスト council',
      },
      {
        slot_key: 'panel',
        subject_kind: 'record',
        subject_id: project,
        department_id: dept,
        code: 'C',
        comment: '参加者の声を集めること',
        version: 1,
        entered_by_name: 'テスト council',
      },
      {
        slot_key: 'self',
        subject_kind: 'record',
        subject_id: project,
        department_id: dept,
        code: 'B',
        comment: '',
        version: 1,
        entered_by_name: 'テスト editor',
      },
    ]);
    const saves = await h.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('action', '=', 'evaluation.save')
      .where('municipality_id', '=', mid)
      .execute();
    expect(saves).toHaveLength(3);
  });

  it('shows the council each entry of an approved answer with its version, who entered it and when', async () => {
    const view = (await council.get(`/api/m/${mid}/council?planId=${planId}&fiscalYear=${year}`)).json();
    const values: Record<string, SlotValueDto> = view.projects[0].records[0].evaluations.record;
    expect(values.self).toMatchObject({ code: 'B', source: 'entered', version: 1, enteredByName: 'テスト editor' });
    expect(values.coord).toMatchObject({ code: 'A', version: 1, enteredByName: 'テスト coord' });
    expect(values.panel).toMatchObject({ code: 'C', comment: '参加者の声を集めること', version: 1 });
    expect(values.panel!.enteredAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const nodes: NodeEvaluationsDto = (
      await council.get(`/api/m/${mid}/plans/${planId}/years/${year}/node-evaluations`)
    ).json();
    expect(nodes.rows.find((r) => r.subjectId === measure)!.values.council).toMatchObject({
      code: '★★',
      enteredByName: 'テスト council',
    });
  });

  it('prints the three evaluations of the answer side by side, and 集計 counts the printed one', async () => {
    const layout = {
      name: '三者評価',
      hierarchy: 'columns',
      rowUnit: 'record',
      grouping: 'tree',
      columns: [
        { key: 'projectName', header: ['事業'], width: 20 },
        { key: 'department', header: ['課'], width: 10 },
        { key: 'grade', slot: 'self', header: ['自己評価'], width: 5 },
        { key: 'grade', slot: 'coord', header: ['所管課評価'], width: 5 },
        { key: 'grade', slot: 'panel', header: ['審議会評価'], width: 5 },
      ],
    };
    const created = await coord.post(`/api/m/${mid}/report-layouts`, layout);
    expect(created.statusCode, created.body).toBe(201);
    const url = `/api/m/${mid}/report?planId=${planId}&fiscalYear=${year}&layout=${encodeURIComponent('三者評価')}`;
    const doc = (await coord.get(url)).json().document;
    const rows = doc.sheets[0].rows.filter((r: { type: string }) => r.type === 'data');
    expect(rows.map((r: { cells: { text: string }[] }) => r.cells.map((c) => c.text))).toEqual([
      ['啓発講座', '人権推進課', 'B', 'A', 'C'],
    ]);
    // 集計 counts the plan's printed slot on answers (the self-evaluation).
    const summary = (await coord.get(`/api/m/${mid}/report-summary?planId=${planId}&fiscalYear=${year}`)).json()
      .summary;
    expect(summary.unit).toBe('record');
    expect(summary.total.tally.counts).toEqual(codeCounts({ A: 0, B: 1, C: 0, D: 0 }));
  });

  it('takes the evaluation committee’s slot from a committee member, and nothing else from them', async () => {
    const answerValues = async (c: Client): Promise<Record<string, SlotValueDto>> =>
      (await c.get(`/api/m/${mid}/council?planId=${planId}&fiscalYear=${year}`)).json().projects[0].records[0]
        .evaluations.record;
    const before = await answerValues(coord);
    expect(before.committee).toMatchObject({ code: null, source: 'none', version: 0 });

    // Neither a council member nor the department enters the committee's slot.
    for (const other of [council, editor]) {
      const refused = await other.post(entriesUrl(), onAnswer('committee', 'A'));
      expect(refused.statusCode).toBe(403);
      expect(refused.json().message).toBe('評価委員会の評価を入力する権限がありません');
    }

    // The committee member enters neither the council's slots nor the department's.
    const councils = await committee.post(entriesUrl(), onAnswer('panel', 'A', { version: 1 }));
    expect(councils.statusCode).toBe(403);
    expect(councils.json().message).toBe('審議会の事業評価を入力する権限がありません');
    const stars = await committee.post(entriesUrl(), {
      ...{ slotKey: 'council', subjectKind: 'node', subjectId: measure, departmentId: 0 },
      ...{ code: '★', version: 1 },
    });
    expect(stars.statusCode).toBe(403);
    expect(stars.json().message).toBe('審議会評価を入力する権限がありません');
    const departments = await committee.post(entriesUrl(), onAnswer('self', 'A', { version: 1 }));
    expect(departments.statusCode).toBe(403);
    expect(departments.json().message).toBe('自己評価は担当課の回答で入力します');
    expect(await answerValues(coord)).toEqual(before);

    // Its own slot: entered, and read back by the coordinating section and by the committee member.
    const entered = await committee.post(
      entriesUrl(),
      onAnswer('committee', 'B', { comment: '参加者アンケートの活用を' }),
    );
    expect(entered.statusCode, entered.body).toBe(200);
    expect(entered.json()).toMatchObject({ code: 'B', source: 'entered', version: 1 });
    for (const reader of [coord, committee]) {
      const values = await answerValues(reader);
      expect(values.committee).toMatchObject({
        code: 'B',
        comment: '参加者アンケートの活用を',
        source: 'entered',
        version: 1,
        enteredByName: 'テスト committee',
      });
      expect(values.panel).toMatchObject({ code: 'C', version: 1, enteredByName: 'テスト council' });
      expect(values.self).toMatchObject({ code: 'B', version: 1, enteredByName: 'テスト editor' });
    }
    const history = (await committee.get(`/api/m/${mid}/evaluations/${entered.json().entryId}/history`)).json().history;
    expect(history).toMatchObject([
      {
        actorName: 'テスト committee',
        before: { code: null },
        after: { code: 'B', comment: '参加者アンケートの活用を' },
      },
    ]);
    // A change of a stale version is refused; the version read is taken.
    expect((await committee.post(entriesUrl(), onAnswer('committee', 'A'))).statusCode).toBe(409);
    const changed = await committee.post(entriesUrl(), onAnswer('committee', 'A', { version: 1 }));
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await answerValues(coord)).committee).toMatchObject({ code: 'A', version: 2 });
  });
});
