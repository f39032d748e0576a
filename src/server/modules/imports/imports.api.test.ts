import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';

const MAPPING = {
  name: '課別調査票',
  label: '基本目標・施策・番号・事業名・担当課・評価',
  headerWords: ['基本目標', '施策', '番号', '事業名', '担当課'],
  levels: [
    { name: '基本目標', column: 0 },
    { name: '施策', column: 1 },
  ],
  columns: { projectNumber: 2, projectName: 3, department: 4, grade: 5 },
};

const PASTE = [
  '基本目標\t施策\t番号\t事業名\t担当課\t評価',
  'Ⅰ 意識づくり\t(1) 啓発\t1\t講座の開催\t人権推進課\tA',
  '\t\t2\t相談窓口\t未登録課\tB',
  '\t(2) 学習\t3\t出前講座\t学校教育課\t',
].join('\n');

describe('the import API', () => {
  let h: Harness;
  let mid: number;
  let coord: Client;
  beforeAll(async () => {
    h = await createHarness();
    mid = (await h.municipality()).id;
    await h.department(mid, '人権推進課');
    await h.department(mid, '学校教育課');
    coord = await h.as('coordinator', { municipalityId: mid });
  });
  afterAll(() => h.close());

  it('previews a pasted table with the unknown department as a name to register, not a flag', async () => {
    const res = await coord.post(`/api/m/${mid}/imports/preview`, {
      source: { kind: 'paste', text: PASTE },
      mapping: MAPPING,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.summary).toMatchObject({ nodes: { 基本目標: 1, 施策: 2 }, projects: 3, records: 3 });
    expect(body.summary.flagged).toEqual([]);
    expect(body.names).toContainEqual(expect.objectContaining({ written: '未登録課', kind: 'new', lines: [3] }));
  });

  it('refuses to commit while a row is flagged, then commits once the cell is fixed, all in one go', async () => {
    const base = {
      source: { kind: 'paste', text: PASTE },
      mapping: MAPPING,
      newPlan: { title: '取込プラン', firstYear: 2021, lastYear: 2025 },
      fiscalYear: 2023,
    };
    const refused = await coord.post(`/api/m/${mid}/imports/commit`, base);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toContain('3行目');
    expect(await h.db.selectFrom('plans').select('id').where('municipality_id', '=', mid).execute()).toHaveLength(0);

    const ok = await coord.post(`/api/m/${mid}/imports/commit`, {
      ...base,
      fixes: { edits: [{ line: 3, column: 4, value: '人権推進課' }] },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().created).toMatchObject({ projects: 3, records: 3, nodes: 3 });
    const plan = (await coord.get(`/api/m/${mid}/plans/${ok.json().planId}`)).json();
    expect(plan.nodes.map((n: { number: string; title: string }) => `${n.number} ${n.title}`)).toEqual([
      'Ⅰ 意識づくり',
      '(1) 啓発',
      '(2) 学習',
    ]);
    // Grades from the usual A–D bring the whole A–D legend.
    const settings = (await coord.get(`/api/m/${mid}/plans/${ok.json().planId}/evaluation`)).json();
    const scale = settings.versions[0].config.scales[0];
    expect(scale.grades.map((g: { code: string }) => g.code)).toEqual(['A', 'B', 'C', 'D']);
  });

  // A report with its title lines, a line whose cells slipped one column left, and a department not registered.
  const REPORT = [
    'テスト市男女共同参画プラン 令和5年度実施状況',
    '令和6年3月31日時点',
    '',
    ...PASTE.split('\n').slice(0, 2),
    '\t2\t相談窓口\t人権推進課\tB',
    '\t(2) 学習\t3\t出前講座\t女性活躍推進室\tA',
  ].join('\n');

  it('answers the repairs made, the names to register and what the document says about itself', async () => {
    const res = await coord.post(`/api/m/${mid}/imports/preview`, {
      source: { kind: 'paste', text: REPORT },
      mapping: MAPPING,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.meta).toEqual({
      title: 'テスト市男女共同参画プラン 令和5年度実施状況',
      fiscalYear: 2023,
      asOf: '令和6年3月31日時点',
      columnYears: {},
    });
    expect(body.repairs).toEqual([
      { line: 6, kind: 'align', shift: 1, reason: expect.stringContaining('ずらしました'), edits: expect.any(Array) },
    ]);
    expect(body.rows.find((r: { line: number }) => r.line === 6)).toMatchObject({
      projectNumber: '2',
      projectName: '相談窓口',
      departments: [{ name: '人権推進課', change: null }],
      values: { grade: 'B' },
      flags: [],
    });
    expect(body.summary.flagged).toEqual([]);
    expect(body.names).toContainEqual(expect.objectContaining({ written: '女性活躍推進室', kind: 'new', lines: [7] }));
    expect(Array.isArray(body.suspects)).toBe(true);
    // The repair undone: the line is flagged with the move it needs, and the same without repairs at all.
    for (const input of [{ fixes: { rejected: [6] } }, { autoRepair: false }]) {
      const undone = (
        await coord.post(`/api/m/${mid}/imports/preview`, {
          source: { kind: 'paste', text: REPORT },
          mapping: MAPPING,
          ...input,
        })
      ).json();
      expect(undone.repairs).toEqual([]);
      const line6 = undone.rows.find((r: { line: number }) => r.line === 6);
      expect(line6.fix).toEqual({ line: 6, shift: 1 });
      expect(line6.flags.join()).toContain('右へ1列ずらすと読めます');
    }
    // The move given as a fix reads the line as the repair did.
    const moved = (
      await coord.post(`/api/m/${mid}/imports/preview`, {
        source: { kind: 'paste', text: REPORT },
        mapping: MAPPING,
        autoRepair: false,
        fixes: { moves: [{ line: 6, shift: 1 }] },
      })
    ).json();
    expect(moved.summary.flagged).toEqual([]);
    expect(moved.rows.find((r: { line: number }) => r.line === 6).projectNumber).toBe('2');
  });

  it('refuses a department not registered unless asked to create it, then files the answer under the new one', async () => {
    const m2 = (await h.municipality('登録市')).id;
    await h.department(m2, '人権推進課');
    await h.department(m2, '学校教育課');
    const c2 = await h.as('coordinator', { municipalityId: m2 });
    const base = {
      source: { kind: 'paste', text: REPORT },
      mapping: MAPPING,
      newPlan: { title: '登録市プラン', firstYear: 2023, lastYear: 2027 },
      fiscalYear: 2023,
    };
    const refused = await c2.post(`/api/m/${m2}/imports/commit`, base);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toBe(
      '登録されていない担当課があります: 女性活躍推進室（7行目）。「担当課を作成する」を選ぶか、既存の課に読み替えてください',
    );
    expect(await h.db.selectFrom('plans').select('id').where('municipality_id', '=', m2).execute()).toHaveLength(0);
    expect(
      await h.db
        .selectFrom('departments')
        .select('id')
        .where('municipality_id', '=', m2)
        .where('name', '=', '女性活躍推進室')
        .execute(),
    ).toHaveLength(0);

    const ok = await c2.post(`/api/m/${m2}/imports/commit`, { ...base, createDepartments: true });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().created).toMatchObject({ projects: 3, records: 3, departments: 1 });
    const stored = await h.db
      .selectFrom('records as r')
      .innerJoin('projects as p', 'p.id', 'r.project_id')
      .innerJoin('departments as d', 'd.id', 'r.department_id')
      .select(['p.number', 'p.name', 'd.name as department', 'r.fiscal_year'])
      .where('r.plan_id', '=', ok.json().planId)
      .orderBy('p.number')
      .execute();
    expect(stored).toEqual([
      { number: '1', name: '講座の開催', department: '人権推進課', fiscal_year: 2023 },
      { number: '2', name: '相談窓口', department: '人権推進課', fiscal_year: 2023 },
      { number: '3', name: '出前講座', department: '女性活躍推進室', fiscal_year: 2023 },
    ]);
  });

  it('reads an uploaded .xlsx and leaves excluded rows out', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('調査票');
    for (const line of PASTE.split('\n')) ws.addRow(line.split('\t'));
    const base64 = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    const res = await coord.post(`/api/m/${mid}/imports/preview`, {
      source: { kind: 'file', name: '調査票.xlsx', base64 },
      mapping: MAPPING,
      fixes: { excluded: [3] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().sheets).toEqual(['調査票']);
    expect(res.json().summary).toMatchObject({ projects: 2, flagged: [] });
  });

  it('answers an oversized upload and a broken file in Japanese', async () => {
    const huge = await coord.post(`/api/m/${mid}/imports/preview`, {
      source: { kind: 'file', name: 'big.xlsx', base64: 'A'.repeat(50 * 1024 * 1024) },
      mapping: MAPPING,
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().message).toContain('大きすぎます');
    const broken = await coord.post(`/api/m/${mid}/imports/preview`, {
      source: { kind: 'file', name: 'broken.xlsx', base64: Buffer.from('not a workbook').toString('base64') },
      mapping: MAPPING,
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().message).toContain('読めません');
  });

  it('saves a mapping by name for next time and lists it with the built-in ones', async () => {
    expect((await coord.post(`/api/m/${mid}/import-mappings`, MAPPING)).statusCode).toBe(201);
    const list = (await coord.get(`/api/m/${mid}/import-mappings`)).json().mappings;
    expect(list.map((m: { name: string; builtin: boolean }) => [m.name, m.builtin])).toEqual([
      ['indicator-achievement', true],
      ['narrative-status', true],
      ['department-sheets', true],
      ['multi-year-values', true],
      ['課別調査票', false],
    ]);
    const byName = await coord.post(`/api/m/${mid}/imports/preview`, {
      source: { kind: 'paste', text: PASTE },
      mapping: '課別調査票',
    });
    expect(byName.json().summary.projects).toBe(3);
    expect(
      (await coord.post(`/api/m/${mid}/import-mappings`, { ...MAPPING, name: 'narrative-status' })).statusCode,
    ).toBe(409);
  });

  it('is for the coordinating section of the municipality only', async () => {
    const editor = await h.as('department_editor', {
      municipalityId: mid,
      departmentId: (
        await h.db.selectFrom('departments').select('id').where('municipality_id', '=', mid).executeTakeFirstOrThrow()
      ).id,
    });
    expect(
      (await editor.post(`/api/m/${mid}/imports/preview`, { source: { kind: 'paste', text: PASTE }, mapping: MAPPING }))
        .statusCode,
    ).toBe(403);
    const other = await h.as('coordinator', { municipalityId: (await h.municipality('他市')).id });
    expect((await other.get(`/api/m/${mid}/import-mappings`)).statusCode).toBe(403);
  });
});

describe('a large import', () => {
  it('does not stop the server answering other requests while it reads', async () => {
    const h = await createHarness();
    const { id: mid } = await h.municipality();
    await h.department(mid, '人権推進課');
    const coord = await h.as('coordinator', { municipalityId: mid });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('大量');
    ws.addRow(PASTE.split('\n')[0]!.split('\t'));
    for (let i = 1; i <= 10_000; i++)
      ws.addRow([
        i === 1 ? 'Ⅰ 目標' : '',
        i % 50 === 1 ? `(${Math.ceil(i / 50)}) 施策` : '',
        i,
        `事業${i}`,
        '人権推進課',
        'A',
      ]);
    const base64 = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    const order: string[] = [];
    const importing = coord
      .post(`/api/m/${mid}/imports/preview`, { source: { kind: 'file', name: '大量.xlsx', base64 }, mapping: MAPPING })
      .then((r) => {
        order.push('import');
        return r;
      });
    // Asked after the import started, answered before it ends: the read yields to other requests.
    const health = h
      .client()
      .get('/api/health')
      .then((r) => {
        order.push('health');
        return r;
      });
    const [imported, healthy] = await Promise.all([importing, health]);
    expect(healthy.statusCode).toBe(200);
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json().summary.projects).toBe(10_000);
    expect(order).toEqual(['health', 'import']);
    await h.close();
  });
});
