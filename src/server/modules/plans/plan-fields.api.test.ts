import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanDetail, Sheet } from '../../../domain/api-types.js';
import type { ReportDocument } from '../../../domain/report/build.js';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';

/**
 * A plan's own 区分 list and extra typed fields: set in the plan's settings, checked on every save
 * (a value the plan does not know is refused beside its field, never dropped), entered on projects
 * and on the departments' answers, printed by report columns, counted by the plan's own list, carried
 * by the plan file, and flagged by an import that meets a 区分 outside the list.
 */
describe('the plan’s 区分 list and extra fields', () => {
  let h: Harness;
  let mid: number;
  let planId: number;
  let measure: number;
  let human: number;
  let kids: number;
  let coord: Client;
  let humanEditor: Client;
  let council: Client;
  let projectA: number;
  let projectB: number;
  let roundId: number;

  const FIELDS = [
    { key: 'budget', label: '予算額', on: 'project', type: 'money', unit: '千円' },
    { key: 'stage', label: '取組の段階', on: 'project', type: 'stage', phases: ['前期', '後期'] },
    { key: 'code', label: '施策コード', on: 'project', type: 'text', maxLength: 10 },
    { key: 'participants', label: '参加者数', on: 'record', type: 'number', unit: '人' },
    { key: 'method', label: '実施方法', on: 'record', type: 'choice', choices: ['対面', 'オンライン'] },
  ];
  const plan = async (): Promise<PlanDetail> => (await coord.get(`/api/m/${mid}/plans/${planId}`)).json();
  const project = (over: Record<string, unknown>) => ({
    nodeId: measure,
    number: '1',
    name: '講座の開催',
    leadDepartmentId: human,
    ...over,
  });

  beforeAll(async () => {
    h = await createHarness();
    mid = (await h.municipality('区分市')).id;
    human = await h.department(mid, '人権推進課');
    kids = await h.department(mid, 'こども課');
    coord = await h.as('coordinator', { municipalityId: mid });
    humanEditor = await h.as('department_editor', { municipalityId: mid, departmentId: human });
    council = await h.as('council_member', { municipalityId: mid });
    const created = await coord.post(`/api/m/${mid}/plans`, {
      title: '区分市プラン',
      firstYear: 2023,
      lastYear: 2027,
      levels: [
        { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
        { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
      ],
    });
    expect(created.statusCode, created.body).toBe(201);
    planId = created.json().plan.id;
    const goal = (await coord.post(`/api/m/${mid}/plans/${planId}/nodes`, { title: '意識づくり' })).json().node.id;
    measure = (await coord.post(`/api/m/${mid}/plans/${planId}/nodes`, { title: '啓発', parentId: goal })).json().node
      .id;
  });
  afterAll(() => h.close());

  it('starts with the four usual 区分 and takes the plan’s own list, refusing a project’s value outside it', async () => {
    expect((await plan()).plan.categories.map((c) => c.code)).toEqual(['新規', '継続', '充実', '見直し']);
    const outside = await coord.post(`/api/m/${mid}/plans/${planId}/projects`, project({ category: '変更' }));
    expect(outside.statusCode).toBe(400);
    expect(outside.json().details).toEqual([
      expect.objectContaining({
        field: 'category',
        message: '区分は「新規」「継続」「充実」「見直し」から選んでください（「変更」は計画の区分にありません）',
      }),
    ]);
    const saved = await coord.patch(`/api/m/${mid}/plans/${planId}`, {
      categories: [
        { code: '新規', counted: true },
        { code: '継続', counted: true },
        { code: '変更', counted: true },
        { code: '完了', counted: false },
      ],
      customFields: FIELDS,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const p = (await plan()).plan;
    expect(p.categories).toEqual([
      { code: '新規', counted: true },
      { code: '継続', counted: true },
      { code: '変更', counted: true },
      { code: '完了', counted: false },
    ]);
    expect(p.customFields.map((f) => [f.key, f.type, f.unit])).toEqual([
      ['budget', 'money', '千円'],
      ['stage', 'stage', ''],
      ['code', 'text', ''],
      ['participants', 'number', '人'],
      ['method', 'choice', ''],
    ]);
  });

  it('keeps a level’s number heading, names a bad one beside its field, and carries it in the plan’s export', async () => {
    const levels = (numberHeading: string) => [
      { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { name: '施策の内容', numberingStyle: 'arabic', numberingScope: 'plan', numberHeading },
    ];
    const long = await coord.patch(`/api/m/${mid}/plans/${planId}`, { levels: levels('番'.repeat(31)) });
    expect(long.statusCode).toBe(400);
    expect(long.json().details).toEqual([
      expect.objectContaining({
        field: 'levels.1.numberHeading',
        message: '階層（2件目）の番号の列見出しは30文字以内で入力してください',
      }),
    ]);
    expect((await plan()).levels.map((l) => l.name)).toEqual(['基本目標', '施策']);
    const saved = await coord.patch(`/api/m/${mid}/plans/${planId}`, { levels: levels('\u3000施策 No.\u3000') });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await plan()).levels.map((l) => [l.name, l.numberHeading])).toEqual([
      ['基本目標', ''],
      ['施策の内容', '施策 No.'],
    ]);
    const exported = (await coord.get(`/api/m/${mid}/plans/${planId}/export`)).json();
    expect(exported.levels[1]).toEqual(expect.objectContaining({ name: '施策の内容', numberHeading: '施策 No.' }));
    // Back as it was for the tests below.
    const back = await coord.patch(`/api/m/${mid}/plans/${planId}`, {
      levels: [
        { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
        { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
      ],
    });
    expect(back.statusCode, back.body).toBe(200);
    expect((await plan()).levels.map((l) => l.numberHeading)).toEqual(['', '']);
  });

  it('stores a project’s extra values read by their type, and names a bad one beside its field', async () => {
    const bad = await coord.post(
      `/api/m/${mid}/plans/${planId}/projects`,
      project({ category: '変更', custom: { budget: '千二百', stage: { 前期: '☆' }, code: 'あ'.repeat(11) } }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.map((d: { field: string; message: string }) => [d.field, d.message])).toEqual([
      ['custom.budget', '予算額は数値で入力してください（「千二百」は数値として読めません）'],
      ['custom.stage', '取組の段階の前期は「△」「○」「◎」から選んでください（「☆」は選べません）'],
      ['custom.code', '施策コードは10文字以内で入力してください'],
    ]);
    const a = await coord.post(
      `/api/m/${mid}/plans/${planId}/projects`,
      project({ category: '変更', custom: { budget: '1,200千円', stage: { 前期: '○', 後期: '◎' }, code: 'A-01' } }),
    );
    expect(a.statusCode, a.body).toBe(201);
    projectA = a.json().project.id;
    const b = await coord.post(
      `/api/m/${mid}/plans/${planId}/projects`,
      project({ number: '2', name: '相談窓口', category: '完了', leadDepartmentId: kids, coDepartmentIds: [human] }),
    );
    expect(b.statusCode, b.body).toBe(201);
    projectB = b.json().project.id;
    const stored = (await plan()).projects.find((x) => x.id === projectA)!;
    expect(stored.category).toBe('変更');
    expect(stored.custom).toEqual({ budget: 1200, stage: { 前期: '○', 後期: '◎' }, code: 'A-01' });
    // A save that does not send the values keeps them.
    const renamed = await coord.put(
      `/api/m/${mid}/projects/${projectA}`,
      project({ name: '講座の開催（拡充）', category: '変更' }),
    );
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect((await plan()).projects.find((x) => x.id === projectA)!.custom).toEqual(stored.custom);
  });

  it('keeps a 区分 in use and a field holding values from being taken away', async () => {
    const dropUsed = await coord.patch(`/api/m/${mid}/plans/${planId}`, {
      categories: [{ code: '新規' }, { code: '継続' }, { code: '完了', counted: false }],
    });
    expect(dropUsed.statusCode).toBe(409);
    expect(dropUsed.json().message).toBe(
      '区分「変更」は1件の事業に設定されているため外せません。先に事業の区分を変えてください',
    );
    const dropField = await coord.patch(`/api/m/${mid}/plans/${planId}`, {
      customFields: FIELDS.filter((f) => f.key !== 'budget'),
    });
    expect(dropField.statusCode).toBe(409);
    expect(dropField.json().message).toBe('追加の項目「予算額」には入力された値があるため削除できません');
    const retype = await coord.patch(`/api/m/${mid}/plans/${planId}`, {
      customFields: FIELDS.map((f) => (f.key === 'code' ? { ...f, type: 'number' } : f)),
    });
    expect(retype.statusCode).toBe(409);
    // Unchanged: the list and the fields are as before.
    const p = (await plan()).plan;
    expect(p.categories.map((c) => c.code)).toEqual(['新規', '継続', '変更', '完了']);
    expect(p.customFields.map((f) => f.key)).toEqual(FIELDS.map((f) => f.key));
    // Relabelling keeps the values; a field without values may go.
    const relabel = await coord.patch(`/api/m/${mid}/plans/${planId}`, {
      customFields: [
        ...FIELDS.map((f) => (f.key === 'budget' ? { ...f, label: '事業費' } : f)),
        { key: 'spare', label: '予備', on: 'project', type: 'text' },
      ],
    });
    expect(relabel.statusCode, relabel.body).toBe(200);
    const back = await coord.patch(`/api/m/${mid}/plans/${planId}`, { customFields: FIELDS });
    expect(back.statusCode, back.body).toBe(200);
  });

  it('lets a department enter the answer’s extra fields on its sheet, with history and a refusal beside the field', async () => {
    const round = await coord.post(`/api/m/${mid}/rounds`, {
      planId,
      fiscalYear: 2024,
      phase: 'end',
      deadline: '2025-04-30',
      departmentIds: [human, kids],
    });
    expect(round.statusCode, round.body).toBe(201);
    roundId = round.json().round.id;
    const sheet = async (): Promise<Sheet> =>
      (await humanEditor.get(`/api/m/${mid}/rounds/${roundId}/departments/${human}/sheet`)).json();
    const s = await sheet();
    expect(s.customFields.filter((f) => f.on === 'record').map((f) => f.label)).toEqual(['参加者数', '実施方法']);
    const item = s.items.find((i) => i.project.id === projectA)!;
    expect(item.project.custom).toMatchObject({ budget: 1200 });
    const save = (version: number, custom: Record<string, unknown> | undefined) =>
      humanEditor.put(`/api/m/${mid}/records/${item.record.id}`, {
        version,
        planText: '',
        resultText: '講座を3回開いた',
        remarks: '',
        nextYearPlan: '',
        ...(custom ? { custom } : {}),
      });
    const refused = await save(item.record.version, { participants: '三十五人', method: '郵送' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details.map((d: { field: string }) => d.field)).toEqual([
      'custom.participants',
      'custom.method',
    ]);
    const ok = await save(item.record.version, { participants: '35人', method: 'オンライン' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().record.custom).toEqual({ participants: 35, method: 'オンライン' });
    // Another save without the values keeps them; the sheet read again shows them.
    const again = await save(ok.json().record.version, undefined);
    expect(again.statusCode, again.body).toBe(200);
    expect((await sheet()).items.find((i) => i.project.id === projectA)!.record.custom).toEqual({
      participants: 35,
      method: 'オンライン',
    });
    const history = (await humanEditor.get(`/api/m/${mid}/records/${item.record.id}/history`)).json();
    const labels = history.entries.flatMap((e: { changes: { label: string }[] }) => e.changes.map((c) => c.label));
    expect(labels).toEqual(expect.arrayContaining(['参加者数', '実施方法']));
  });

  it('prints extra fields as report columns and counts the plan’s own 区分, over the plan or over what the sheet prints', async () => {
    const layout = {
      name: '追加項目の表',
      hierarchy: 'sections',
      sectionFormats: ['{number} {title}', '{number} {title}'],
      categoryCountsDepth: 0,
      rowUnit: 'record',
      grouping: 'department',
      columns: [
        { key: 'projectName', header: ['事業名'], width: 20 },
        { key: 'custom', field: 'budget', header: ['事業費'], width: 10 },
        { key: 'custom', field: 'stage', header: ['段階'], width: 12 },
        { key: 'custom', field: 'participants', header: ['参加者'], width: 8 },
        { key: 'custom', field: 'method', header: ['方法'], width: 8 },
      ],
    };
    expect((await coord.post(`/api/m/${mid}/report-layouts`, layout)).statusCode).toBe(201);
    const report = async (c: Client, name: string): Promise<ReportDocument> => {
      const res = await c.get(
        `/api/m/${mid}/report?planId=${planId}&fiscalYear=2024&layout=${encodeURIComponent(name)}&format=json`,
      );
      expect(res.statusCode, res.body).toBe(200);
      return res.json().document;
    };
    const doc = await report(coord, '追加項目の表');
    const humanSheet = doc.sheets.find((s) => s.name === '人権推進課')!;
    // 完了 is not counted; 変更 is the plan's own.
    expect(humanSheet.rows[0]).toEqual({ type: 'section', depth: 0, text: 'Ⅰ 意識づくり（新規:0/継続:0/変更:1）' });
    const row = humanSheet.rows.find((r) => r.type === 'data' && r.projectId === projectA);
    expect(row?.type === 'data' && row.cells.map((c) => c.text)).toEqual([
      '講座の開催（拡充）',
      '1,200千円',
      '前期:○ 後期:◎',
      '35人',
      'オンライン',
    ]);
    expect(row?.type === 'data' && row.cells[1]!.value).toBe(1200);
    // Only what the sheet prints: こども課 answers 相談窓口 (完了, not counted) only.
    await coord.post(`/api/m/${mid}/report-layouts`, {
      ...layout,
      name: '追加項目の表（表示分）',
      categoryCountsOf: 'shown',
    });
    const shown = await report(coord, '追加項目の表（表示分）');
    // こども課's sheet holds 相談窓口 only (its answer and the co-department's).
    const kidsProjects = shown.sheets
      .find((s) => s.name === 'こども課')!
      .rows.flatMap((r) => (r.type === 'data' ? [r.projectId] : []));
    expect([...new Set(kidsProjects)]).toEqual([projectB]);
    expect(shown.sheets.find((s) => s.name === 'こども課')!.rows[0]).toMatchObject({
      text: 'Ⅰ 意識づくり（新規:0/継続:0/変更:0）',
    });
    expect(shown.sheets.find((s) => s.name === '人権推進課')!.rows[0]).toMatchObject({
      text: 'Ⅰ 意識づくり（新規:0/継続:0/変更:1）',
    });
    // The council reads approved answers only: the answer's values stay out until it is approved.
    const councilRow = (await report(council, '追加項目の表')).sheets
      .find((s) => s.name === '人権推進課')!
      .rows.find((r) => r.type === 'data' && r.projectId === projectA);
    expect(councilRow?.type === 'data' && councilRow.cells.map((c) => c.text).slice(1)).toEqual([
      '1,200千円',
      '前期:○ 後期:◎',
      '',
      '',
    ]);
    // In .xlsx the amount stays a number.
    const xlsx = await coord.get(
      `/api/m/${mid}/report?planId=${planId}&fiscalYear=2024&layout=${encodeURIComponent('追加項目の表')}&format=xlsx`,
    );
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('人権推進課')!;
    const cells: unknown[] = [];
    ws.eachRow((r) => r.eachCell((c) => cells.push(c.value)));
    expect(cells).toContain(1200);
    // 集計 adds up the number and amount fields under each 基本目標: the projects' 事業費, the answers' 参加者数.
    const summary = (await coord.get(`/api/m/${mid}/report-summary?planId=${planId}&fiscalYear=2024`)).json();
    expect(
      summary.summary.fieldTotals.map((f: { label: string; unit: string; total: number | null }) => [
        f.label,
        f.unit,
        f.total,
      ]),
    ).toEqual([
      ['予算額', '千円', 1200],
      ['参加者数', '人', 35],
    ]);
    // A layout naming a field the plan lacks is refused by name.
    await coord.post(`/api/m/${mid}/report-layouts`, {
      ...layout,
      name: '誤った項目',
      columns: [{ key: 'custom', field: 'nothing', header: ['なし'], width: 8 }],
    });
    const missing = await coord.get(
      `/api/m/${mid}/report?planId=${planId}&fiscalYear=2024&layout=${encodeURIComponent('誤った項目')}&format=json`,
    );
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toContain('この計画にない追加の項目「nothing」');
  });

  it('carries the list, the fields and the values in the plan file', async () => {
    const file = (await coord.get(`/api/m/${mid}/plans/${planId}/export`)).json();
    expect(file.plan.categories.map((c: { code: string }) => c.code)).toEqual(['新規', '継続', '変更', '完了']);
    expect(file.plan.customFields).toHaveLength(FIELDS.length);
    const imported = await coord.post(`/api/m/${mid}/plans/import`, {
      ...file,
      plan: { ...file.plan, title: '写しプラン' },
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const copyId = imported.json().plan.id;
    const copy = (await coord.get(`/api/m/${mid}/plans/${copyId}/export`)).json();
    expect({ ...copy, plan: { ...copy.plan, title: '' } }).toEqual({ ...file, plan: { ...file.plan, title: '' } });
    // A file whose project carries a 区分 outside the file's own list is refused, naming the project.
    const wrong = structuredClone(file);
    wrong.plan.title = '誤りプラン';
    wrong.projects[0].category = '廃止';
    const refused = await coord.post(`/api/m/${mid}/plans/import`, wrong);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toContain('区分「廃止」が計画の区分にありません');
  });

  it('imports the plan’s extra fields from their columns, flagging a value its field cannot take and a field the plan lacks', async () => {
    const mapping = {
      name: '追加項目つき',
      headerWords: ['基本目標', '施策', '番号', '事業名', '担当課', '予算額', '参加者数'],
      levels: [
        { name: '基本目標', column: 0 },
        { name: '施策', column: 1 },
      ],
      columns: { projectNumber: 2, projectName: 3, department: 4 },
      customColumns: { budget: 5, participants: 6 },
    };
    const text = [
      '基本目標\t施策\t番号\t事業名\t担当課\t予算額\t参加者数',
      'Ⅰ 意識づくり\t1 啓発\t1\t講座の開催（拡充）\t人権推進課\t1,300千円\t多数',
      '\t\t9\t男女共同参画週間\t人権推進課\t80\t120人',
    ].join('\n');
    const body = { source: { kind: 'paste', text }, mapping, planId, fiscalYear: 2024 };
    const preview = await coord.post(`/api/m/${mid}/imports/preview`, body);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().summary.flagged).toEqual([
      {
        line: 2,
        reason: '参加者数は数値で入力してください（「多数」は数値として読めません）',
      },
    ]);
    // A column for a field the target plan does not have is flagged on every line that fills it.
    const unknown = await coord.post(`/api/m/${mid}/imports/preview`, {
      ...body,
      mapping: { ...mapping, customColumns: { budget: 5, nothing: 6 } },
    });
    expect(unknown.json().summary.flagged.map((f: { reason: string }) => f.reason)).toEqual([
      '取り込み設定の列「nothing」は計画の追加の項目にありません。計画の設定で項目を加えるか、取り込み設定を直してください',
      '取り込み設定の列「nothing」は計画の追加の項目にありません。計画の設定で項目を加えるか、取り込み設定を直してください',
    ]);
    expect((await coord.post(`/api/m/${mid}/imports/commit`, body)).statusCode).toBe(400);
    const fixed = await coord.post(`/api/m/${mid}/imports/commit`, {
      ...body,
      fixes: { edits: [{ line: 2, column: 6, value: '42人' }] },
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    const projects = (await plan()).projects;
    // The file's amount replaces the stored one; the fields it does not fill keep their values.
    expect(projects.find((p) => p.number === '1')!.custom).toEqual({
      budget: 1300,
      stage: { 前期: '○', 後期: '◎' },
      code: 'A-01',
    });
    expect(projects.find((p) => p.number === '9')!.custom).toEqual({ budget: 80 });
    const sheet = (await coord.get(`/api/m/${mid}/rounds/${roundId}/departments/${human}/sheet`)).json<Sheet>();
    const answers = Object.fromEntries(sheet.items.map((i) => [i.project.number, i.record.custom]));
    // The imported answer keeps its other field (実施方法) and takes the file's count.
    expect(answers['1']).toEqual({ participants: 42, method: 'オンライン' });
    expect(answers['9']).toEqual({ participants: 120 });
  });

  it('flags an imported 区分 outside the target plan’s list in the preview and stores nothing until it is fixed', async () => {
    const mapping = {
      name: '区分つき',
      headerWords: ['基本目標', '施策', '番号', '事業名', '担当課', '区分'],
      levels: [
        { name: '基本目標', column: 0 },
        { name: '施策', column: 1 },
      ],
      columns: { projectNumber: 2, projectName: 3, department: 4, category: 5 },
    };
    const text = [
      '基本目標\t施策\t番号\t事業名\t担当課\t区分',
      'Ⅰ 意識づくり\t1 啓発\t7\t出前講座\t人権推進課\t変更',
      '\t\t8\t情報誌\t人権推進課\t主目的',
    ].join('\n');
    const preview = await coord.post(`/api/m/${mid}/imports/preview`, {
      source: { kind: 'paste', text },
      mapping,
      planId,
    });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().summary.flagged).toEqual([
      {
        line: 3,
        reason:
          '区分「主目的」は計画の区分（新規・継続・変更・完了）にありません。計画の設定で区分に加えるか、値を直してください',
      },
    ]);
    const commit = await coord.post(`/api/m/${mid}/imports/commit`, {
      source: { kind: 'paste', text },
      mapping,
      planId,
      fiscalYear: 2024,
    });
    expect(commit.statusCode).toBe(400);
    expect((await plan()).projects.map((p) => p.number).sort()).toEqual(['1', '2', '9']);
    // Against a new plan (the default list), 変更 is outside too.
    const fresh = await coord.post(`/api/m/${mid}/imports/preview`, { source: { kind: 'paste', text }, mapping });
    expect(fresh.json().summary.flagged.map((f: { line: number }) => f.line)).toEqual([2, 3]);
    const fixed = await coord.post(`/api/m/${mid}/imports/commit`, {
      source: { kind: 'paste', text },
      mapping,
      planId,
      fiscalYear: 2024,
      fixes: { edits: [{ line: 3, column: 5, value: '新規' }] },
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    const stored = (await plan()).projects.filter((p) => ['7', '8'].includes(p.number));
    expect(stored).toHaveLength(2);
    expect(stored.map((p) => [p.number, p.category])).toEqual([
      ['7', '変更'],
      ['8', '新規'],
    ]);
  });
});
