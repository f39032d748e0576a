import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfGrade } from '../../testing/cycle-fixtures.js';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { addNode } from '../../testing/plan-fixtures.js';

/**
 * The structure over the years: what is added, moved or removed this year does not change what
 * earlier years printed, and renumbering is a choice made with the changes in view.
 */
describe('the plan structure across fiscal years', () => {
  let h: Harness;
  let mid: number;
  let coord: Client;
  let editor: Client;
  let dept: number;
  let planId: number;
  const ids: Record<string, number> = {};
  const projects: Record<string, number> = {};
  let r2026: number;
  let published: { id: number; document: string };
  let report2025: string;

  const answer = async (roundId: number, approve: boolean) => {
    const sheet = (await editor.get(`/api/m/${mid}/rounds/${roundId}/departments/${dept}/sheet`)).json();
    for (const item of sheet.items)
      await editor.put(`/api/m/${mid}/records/${item.record.id}`, {
        version: item.record.version,
        planText: `${item.project.name}の予定`,
        resultText: `${item.project.name}の実績`,
        entries: selfGrade(item, 'A'),
      });
    if (!approve) return;
    expect((await editor.post(`/api/m/${mid}/rounds/${roundId}/departments/${dept}/submit`)).statusCode).toBe(200);
    expect((await coord.post(`/api/m/${mid}/rounds/${roundId}/departments/${dept}/approve`)).statusCode).toBe(200);
  };
  const round = async (year: number) => {
    const res = await coord.post(`/api/m/${mid}/rounds`, {
      planId,
      fiscalYear: year,
      phase: 'end',
      deadline: `${year + 1}-04-30`,
      departmentIds: [dept],
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().round.id as number;
  };
  const report = async (year: number) =>
    (await coord.get(`/api/m/${mid}/report?planId=${planId}&fiscalYear=${year}&layout=narrative-status`)).json()
      .document;
  /** The hierarchy cells as printed: 「Ⅰ 意識づくり / (1) 啓発」 per data row. */
  const printed = (doc: { sheets: { rows: { type: string; cells?: { text: string }[] }[] }[] }) =>
    doc.sheets[0]!.rows.filter((r) => r.type === 'data').map(
      (r) => `${r.cells![0]!.text} / ${r.cells![1]!.text} / ${r.cells![2]!.text}`,
    );
  const detail = async () => (await coord.get(`/api/m/${mid}/plans/${planId}`)).json();
  const numberOf = async (id: number) =>
    (await detail()).nodes.find((n: { id: number }) => n.id === id).number as string;

  beforeAll(async () => {
    h = await createHarness();
    mid = (await h.municipality('年度市')).id;
    dept = await h.department(mid, '人権推進課');
    coord = await h.as('coordinator', { municipalityId: mid });
    editor = await h.as('department_editor', { municipalityId: mid, departmentId: dept });
    const plan = await coord.post(`/api/m/${mid}/plans`, {
      title: '年度市プラン',
      firstYear: 2021,
      lastYear: 2030,
      levels: [
        { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
        { name: '施策', numberingStyle: 'paren', numberingScope: 'plan' },
      ],
    });
    planId = plan.json().plan.id;
    // Before any round, what is added belongs to the whole plan period.
    ids.g1 = await addNode(coord, mid, planId, '意識づくり');
    ids.g2 = await addNode(coord, mid, planId, '暮らし');
    ids.s1 = await addNode(coord, mid, planId, '啓発', ids.g1);
    ids.s2 = await addNode(coord, mid, planId, '教育', ids.g1);
    ids.s3 = await addNode(coord, mid, planId, '就労', ids.g2);
    ids.s4 = await addNode(coord, mid, planId, '福祉', ids.g2);
    for (const [i, s] of ['s1', 's2', 's3', 's4'].entries())
      projects[s] = (
        await coord.post(`/api/m/${mid}/plans/${planId}/projects`, {
          nodeId: ids[s],
          number: String(i + 1),
          name: `事業${s}`,
          leadDepartmentId: dept,
        })
      ).json().project.id;
    expect((await detail()).nodes.every((n: { startYear: number | null }) => n.startYear === null)).toBe(true);

    const r2025 = await round(2025);
    await answer(r2025, true);
    await coord.post(`/api/m/${mid}/rounds/${r2025}/close`);
    const pub = await coord.post(`/api/m/${mid}/report-snapshots`, {
      planId,
      fiscalYear: 2025,
      layout: 'narrative-status',
      asOf: '2026-03-31',
    });
    expect(pub.statusCode, pub.body).toBe(201);
    published = await h.db
      .selectFrom('report_snapshots')
      .select(['id', 'document'])
      .where('id', '=', pub.json().snapshot.id)
      .executeTakeFirstOrThrow();
    report2025 = JSON.stringify(printed(await report(2025)));
    r2026 = await round(2026);
  });
  afterAll(() => h.close());

  it('shows which numbers of this year a new 施策 would change, before adding it', async () => {
    expect(printed(await report(2025))).toEqual([
      'Ⅰ 意識づくり / (1) 啓発 / 1 事業s1',
      'Ⅰ 意識づくり / (2) 教育 / 2 事業s2',
      'Ⅱ 暮らし / (3) 就労 / 3 事業s3',
      'Ⅱ 暮らし / (4) 福祉 / 4 事業s4',
    ]);
    const preview = await coord.post(`/api/m/${mid}/plans/${planId}/numbering-preview`, {
      op: 'create',
      parentId: ids.g1,
    });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ year: 2026, frozen: false });
    expect(
      preview.json().changes.map((c: { title: string; from: string; to: string }) => `${c.title} ${c.from}→${c.to}`),
    ).toEqual(['就労 (3)→(4)', '福祉 (4)→(5)']);
    const append = await coord.post(`/api/m/${mid}/plans/${planId}/numbering-preview`, {
      op: 'create',
      parentId: ids.g1,
      numbering: 'append',
    });
    expect(append.json().changes).toEqual([]);
  });

  it('adds a 施策 from this year: this year renumbers as chosen, last year’s report and publication do not change', async () => {
    const res = await coord.post(`/api/m/${mid}/plans/${planId}/nodes`, { title: '相談', parentId: ids.g1 });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().node).toMatchObject({ startYear: 2026, number: '(3)' });
    ids.s5 = res.json().node.id;
    expect(await numberOf(ids.s3!)).toBe('(4)');
    // Appended: takes the next number and moves nothing.
    const appended = await coord.post(`/api/m/${mid}/plans/${planId}/nodes`, {
      title: '防災',
      parentId: ids.g1,
      numbering: 'append',
    });
    expect(appended.json().node).toMatchObject({ number: '(6)', countsInNumbering: false });
    ids.s6 = appended.json().node.id;
    expect(await numberOf(ids.s4!)).toBe('(5)');

    expect(JSON.stringify(printed(await report(2025)))).toBe(report2025);
    const doc2026 = printed(await report(2026));
    expect(doc2026).toContain('Ⅱ 暮らし / (4) 就労 / 3 事業s3');
    const snapshot = await h.db
      .selectFrom('report_snapshots')
      .select('document')
      .where('id', '=', published.id)
      .executeTakeFirstOrThrow();
    expect(snapshot.document).toBe(published.document);
  });

  it('keeps a project added this year out of last year’s sheets and reports, and puts it on this year’s sheet at once', async () => {
    const res = await coord.post(`/api/m/${mid}/plans/${planId}/projects`, {
      nodeId: ids.s5,
      number: '5',
      name: '女性相談',
      leadDepartmentId: dept,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().project).toMatchObject({ startYear: 2026, endYear: null });
    projects.s5 = res.json().project.id;
    expect(JSON.stringify(printed(await report(2025)))).toBe(report2025);
    expect(JSON.stringify(await report(2025))).not.toContain('女性相談');
    const sheet = (await editor.get(`/api/m/${mid}/rounds/${r2026}/departments/${dept}/sheet`)).json();
    expect(sheet.items.map((i: { project: { name: string } }) => i.project.name)).toContain('女性相談');
    // A start year before a year with answers is refused, for a project as for a node.
    const bad = await coord.put(`/api/m/${mid}/projects/${projects.s1}`, {
      nodeId: ids.s1,
      number: '1',
      name: '事業s1',
      leadDepartmentId: dept,
      startYear: 2026,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0]).toMatchObject({ field: 'startYear', label: '開始年度' });
    expect(bad.json().message).toContain('2025年度の回答があるため');
    const outside = await coord.post(`/api/m/${mid}/plans/${planId}/projects`, {
      nodeId: ids.s5,
      number: '9',
      name: '期間外',
      leadDepartmentId: dept,
      startYear: 2035,
    });
    expect(outside.statusCode).toBe(400);
  });

  it('moves a 施策 keeping the printed numbers when asked, and says what it would renumber otherwise', async () => {
    const preview = await coord.post(`/api/m/${mid}/plans/${planId}/numbering-preview`, {
      op: 'move',
      nodeId: ids.s4,
      parentId: ids.g1,
      index: 0,
    });
    expect(preview.json().changes.length).toBeGreaterThan(0);
    const before = await detail();
    const res = await coord.post(`/api/m/${mid}/nodes/${ids.s4}/move`, {
      parentId: ids.g1,
      index: 0,
      keepNumbers: true,
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = await detail();
    for (const n of before.nodes) expect(after.nodes.find((x: { id: number }) => x.id === n.id).number).toBe(n.number);
    expect(JSON.stringify(printed(await report(2025)))).toBe(report2025);
  });

  it('fixes this year’s numbers at the first approval: later additions are appended', async () => {
    await answer(r2026, true);
    const frozen = await coord.post(`/api/m/${mid}/plans/${planId}/numbering-preview`, {
      op: 'create',
      parentId: ids.g2,
    });
    expect(frozen.json()).toMatchObject({ frozen: true, changes: [] });
    const res = await coord.post(`/api/m/${mid}/plans/${planId}/nodes`, { title: '国際', parentId: ids.g2 });
    expect(res.json().node).toMatchObject({ number: '(7)', countsInNumbering: false });
    ids.s7 = res.json().node.id;
    // A move now leaves 2026 as answered and says what it changes from 2027 on.
    const before2026 = JSON.stringify(printed(await report(2026)));
    // (The move above kept its numbers as explicit ones: two of them go back to counting.)
    for (const n of [ids.s1, ids.s2]) await coord.patch(`/api/m/${mid}/nodes/${n}`, { numberOverride: null });
    const move = await coord.post(`/api/m/${mid}/plans/${planId}/numbering-preview`, {
      op: 'move',
      nodeId: ids.s2,
      parentId: ids.g1,
      index: 1,
    });
    expect(move.json()).toMatchObject({ year: 2027, frozen: true });
    expect(
      move
        .json()
        .changes.map((c: { title: string }) => c.title)
        .sort(),
    ).toEqual(['啓発', '教育']);
    expect((await coord.post(`/api/m/${mid}/nodes/${ids.s2}/move`, { parentId: ids.g1, index: 1 })).statusCode).toBe(
      200,
    );
    expect(JSON.stringify(printed(await report(2026)))).toBe(before2026);
  });
});

describe('deleting what has answers', () => {
  let h: Harness;
  let mid: number;
  let coord: Client;
  let editor: Client;
  let dept: number;
  let planId: number;
  let goal: number;
  let measure: number;
  let project: number;
  let roundId: number;
  beforeAll(async () => {
    h = await createHarness();
    mid = (await h.municipality('保存市')).id;
    dept = await h.department(mid, '人権推進課');
    coord = await h.as('coordinator', { municipalityId: mid });
    editor = await h.as('department_editor', { municipalityId: mid, departmentId: dept });
    planId = (
      await coord.post(`/api/m/${mid}/plans`, {
        title: '保存市プラン',
        firstYear: 2021,
        lastYear: 2030,
        levels: [
          { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
          { name: '施策', numberingStyle: 'paren', numberingScope: 'plan' },
        ],
      })
    ).json().plan.id;
    goal = await addNode(coord, mid, planId, '意識づくり');
    measure = await addNode(coord, mid, planId, '啓発', goal);
    project = (
      await coord.post(`/api/m/${mid}/plans/${planId}/projects`, {
        nodeId: measure,
        number: '1',
        name: '講座',
        leadDepartmentId: dept,
      })
    ).json().project.id;
    roundId = (
      await coord.post(`/api/m/${mid}/rounds`, {
        planId,
        fiscalYear: 2025,
        phase: 'end',
        deadline: '2026-04-30',
        departmentIds: [dept],
      })
    ).json().round.id;
    const item = (await editor.get(`/api/m/${mid}/rounds/${roundId}/departments/${dept}/sheet`)).json().items[0];
    await editor.put(`/api/m/${mid}/records/${item.record.id}`, {
      version: item.record.version,
      planText: '講座を開く',
      resultText: '講座を開いた',
      entries: selfGrade(item, 'A'),
    });
    await editor.post(`/api/m/${mid}/rounds/${roundId}/departments/${dept}/submit`);
    await coord.post(`/api/m/${mid}/rounds/${roundId}/departments/${dept}/approve`);
    await coord.post(`/api/m/${mid}/rounds/${roundId}/close`);
    const council = await h.as('council_member', { municipalityId: mid });
    expect(
      (
        await council.post(`/api/m/${mid}/projects/${project}/council-comments`, {
          fiscalYear: 2025,
          body: '参加者の内訳を示してください',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await coord.post(`/api/m/${mid}/report-snapshots`, {
          planId,
          fiscalYear: 2025,
          layout: 'narrative-status',
          asOf: '2026-03-31',
        })
      ).statusCode,
    ).toBe(201);
  });
  afterAll(() => h.close());

  const counts = async () => ({
    records: (await h.db.selectFrom('records').select('id').where('municipality_id', '=', mid).execute()).length,
    history: (await h.db.selectFrom('record_history').select('id').where('municipality_id', '=', mid).execute()).length,
    snapshots: (await h.db.selectFrom('report_snapshots').select('id').where('municipality_id', '=', mid).execute())
      .length,
    comments: (await h.db.selectFrom('record_comments').select('id').where('municipality_id', '=', mid).execute())
      .length,
    council: (await h.db.selectFrom('council_comments').select('id').where('municipality_id', '=', mid).execute())
      .length,
  });

  it('walks every delete that used to cascade and finds each refused or archived, with nothing lost', async () => {
    const before = await counts();
    expect(before.records).toBe(1);
    expect(before.snapshots).toBe(1);
    expect(before.council).toBe(1);

    // The node above the project: refused while the project is live.
    const node = await coord.delete(`/api/m/${mid}/nodes/${measure}`);
    expect(node.statusCode).toBe(409);
    expect(node.json().message).toContain('事業が1件');
    // The plan: refused, it has rounds and a publication.
    const plan = await coord.delete(`/api/m/${mid}/plans/${planId}`);
    expect(plan.statusCode).toBe(409);
    expect(plan.json().message).toContain('アーカイブしてください');
    // The project: archived, not deleted.
    const res = await coord.delete(`/api/m/${mid}/projects/${project}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ archived: true, project: { archived: true, endYear: 2025 } });
    // Now the node holds only an archived project: archived too. Then its parent.
    const n2 = await coord.delete(`/api/m/${mid}/nodes/${measure}`);
    expect(n2.statusCode, n2.body).toBe(200);
    expect(n2.json()).toEqual({ archived: true });
    expect((await coord.delete(`/api/m/${mid}/nodes/${goal}`)).json()).toEqual({ archived: true });
    expect((await coord.delete(`/api/m/${mid}/plans/${planId}`)).statusCode).toBe(409);

    expect(await counts()).toEqual(before);
    // The archived year still prints it; the public page still answers.
    const doc = (
      await coord.get(`/api/m/${mid}/report?planId=${planId}&fiscalYear=2025&layout=narrative-status`)
    ).json().document;
    expect(JSON.stringify(doc)).toContain('講座を開いた');
    const code = (
      await h.db.selectFrom('municipalities').select('code').where('id', '=', mid).executeTakeFirstOrThrow()
    ).code;
    const snapshotId = (
      await h.db
        .selectFrom('report_snapshots')
        .select('id')
        .where('municipality_id', '=', mid)
        .executeTakeFirstOrThrow()
    ).id;
    expect((await h.client().get(`/public/${code}/reports/${snapshotId}`)).statusCode).toBe(200);
    // A new year's round leaves the archived project out.
    const r2026 = await coord.post(`/api/m/${mid}/rounds`, {
      planId,
      fiscalYear: 2026,
      phase: 'end',
      deadline: '2027-04-30',
      departmentIds: [dept],
    });
    expect(
      (await editor.get(`/api/m/${mid}/rounds/${r2026.json().round.id}/departments/${dept}/sheet`)).json().items,
    ).toEqual([]);
    await coord.post(`/api/m/${mid}/rounds/${r2026.json().round.id}/close`);
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['action', 'entity'])
      .where('municipality_id', '=', mid)
      .where('action', '=', 'archive')
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { action: 'archive', entity: 'project' },
      { action: 'archive', entity: 'plan_node' },
      { action: 'archive', entity: 'plan_node' },
    ]);
  });

  it('restores what was archived, parents first', async () => {
    expect((await coord.post(`/api/m/${mid}/projects/${project}/restore`)).statusCode).toBe(409);
    expect((await coord.post(`/api/m/${mid}/nodes/${measure}/restore`)).statusCode).toBe(409);
    expect((await coord.post(`/api/m/${mid}/nodes/${goal}/restore`)).statusCode).toBe(200);
    expect((await coord.post(`/api/m/${mid}/nodes/${measure}/restore`)).statusCode).toBe(200);
    const res = await coord.post(`/api/m/${mid}/projects/${project}/restore`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().project).toMatchObject({ archived: false, endYear: null });
  });

  it('archives a plan instead of deleting it; an archived plan opens no round and takes no edits', async () => {
    expect((await editor.post(`/api/m/${mid}/plans/${planId}/archive`)).statusCode).toBe(403);
    const res = await coord.post(`/api/m/${mid}/plans/${planId}/archive`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().plan.archived).toBe(true);
    expect((await coord.get(`/api/m/${mid}/plans`)).json().plans[0]).toMatchObject({ id: planId, archived: true });
    const round = await coord.post(`/api/m/${mid}/rounds`, {
      planId,
      fiscalYear: 2027,
      phase: 'end',
      deadline: '2028-04-30',
      departmentIds: [dept],
    });
    expect(round.statusCode).toBe(409);
    expect((await coord.post(`/api/m/${mid}/plans/${planId}/nodes`, { title: '追加' })).statusCode).toBe(409);
    // Read-only in every way: the plan, its structure, its indicators and scale, its rounds.
    expect((await coord.patch(`/api/m/${mid}/plans/${planId}`, { title: '改題' })).statusCode).toBe(409);
    expect((await coord.patch(`/api/m/${mid}/nodes/${goal}`, { title: '改題' })).statusCode).toBe(409);
    expect(
      (
        await coord.post(`/api/m/${mid}/projects/${project}/indicators`, {
          name: '参加者数',
          unit: '人',
          kind: 'number',
          direction: 'higher',
        })
      ).statusCode,
    ).toBe(409);
    const { presetConfig } = await import('../../../domain/evaluation/presets.js');
    const settings = (await coord.get(`/api/m/${mid}/plans/${planId}/evaluation`)).json();
    const evaluation = { fromYear: settings.versions[0].fromYear, config: presetConfig('achievement-5') };
    expect((await coord.put(`/api/m/${mid}/plans/${planId}/evaluation`, evaluation)).statusCode).toBe(409);
    const r2025 = (await coord.get(`/api/m/${mid}/rounds?planId=${planId}`))
      .json()
      .rounds.find((r: { fiscalYear: number }) => r.fiscalYear === 2025).id;
    const reopen = await coord.post(`/api/m/${mid}/rounds/${r2025}/departments/${dept}/reopen`);
    expect(reopen.statusCode).toBe(409);
    expect(reopen.json().message).toContain('アーカイブした計画は変更できません');
    expect((await coord.post(`/api/m/${mid}/plans/${planId}/restore`)).json().plan.archived).toBe(false);
    // An update that leaves a field out keeps it.
    await coord.patch(`/api/m/${mid}/plans/${planId}`, { slogan: 'ともに輝くまち' });
    const renamed = await coord.patch(`/api/m/${mid}/plans/${planId}`, { title: '保存市プラン（改）' });
    expect(renamed.json().plan).toMatchObject({ title: '保存市プラン（改）', slogan: 'ともに輝くまち' });
  });

  it('is refused by the database itself when code forgets the rules', async () => {
    const refuse = async (q: Promise<unknown>) => {
      await expect(q).rejects.toThrow(/shinchoku-protected/);
    };
    await refuse(h.db.deleteFrom('records').where('municipality_id', '=', mid).execute());
    await refuse(h.db.deleteFrom('record_history').where('municipality_id', '=', mid).execute());
    await refuse(h.db.deleteFrom('report_snapshots').where('municipality_id', '=', mid).execute());
    await refuse(
      h.db.updateTable('report_snapshots').set({ document: '{}' }).where('municipality_id', '=', mid).execute(),
    );
    await refuse(h.db.deleteFrom('council_comments').where('municipality_id', '=', mid).execute());
    await refuse(h.db.deleteFrom('plans').where('id', '=', planId).execute());
    // Withdrawal and superseding still write their own columns.
    await h.db
      .updateTable('report_snapshots')
      .set({ superseded_by: null })
      .where('municipality_id', '=', mid)
      .execute();
    expect((await counts()).records).toBe(1);
  });
});
