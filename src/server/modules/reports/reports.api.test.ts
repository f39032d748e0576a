import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeCount } from '../../../domain/report/evaluation.js';
import { codeCounts } from '../../../domain/report/sample-dataset.test-support.js';
import { presetConfig } from '../../../domain/evaluation/presets.js';
import { createHarness, type Harness } from '../../testing/harness.js';
import { cycleFixture, openRound, selfGrade, sheet, type CycleFixture } from '../../testing/cycle-fixtures.js';

/**
 * Scales, reports in every format, summaries, publishing and the public page, through the API as
 * the screens use it: P1 (人権推進課, 講座開催回数 target 4回) and P2 (人権推進課 + 学校教育課).
 */
describe('grades and reports', () => {
  let h: Harness;
  let f: CycleFixture;
  let code: string;
  const q = (extra = '') =>
    `/api/m/${f.mid}/report?planId=${f.planId}&fiscalYear=2023&layout=indicator-achievement${extra}`;

  beforeAll(async () => {
    h = await createHarness();
    f = await cycleFixture(h);
    code = (await h.db.selectFrom('municipalities').select('code').where('id', '=', f.mid).executeTakeFirstOrThrow())
      .code;
    // Last year: P1 graded at 2 of 4 (△); this year 3 of 4 (○).
    for (const [year, actual] of [
      [2022, '2回'],
      [2023, '3回'],
    ] as const) {
      await f.coord.put(`/api/m/${f.mid}/indicators/${f.ind1}`, {
        name: '講座開催回数',
        unit: '回',
        kind: 'number',
        direction: 'higher',
        baseline: '2回',
        baselineYear: 2020,
        targets: [
          { fiscalYear: 2022, text: '4回' },
          { fiscalYear: 2023, text: '4回' },
        ],
      });
      const round = await openRound(f, year);
      const s = await sheet(f.editorA, f, round, f.deptA);
      const item = s.items.find((i) => i.project.id === f.p1)!;
      const res = await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
        version: item.record.version,
        planText: '講座を開く',
        resultText: `講座を${actual}開いた`,
        entries: selfGrade(item, 'A'),
        actuals: [{ indicatorId: f.ind1, text: actual }],
      });
      expect(res.statusCode, res.body).toBe(200);
      if (year === 2022) await f.coord.post(`/api/m/${f.mid}/rounds/${round}/close`);
    }
  });
  afterAll(() => h.close());

  it('prints one sheet per project as a form (事業評価シート), in .xlsx a worksheet each with units kept', async () => {
    const doc = (await f.coord.get(q().replace('indicator-achievement', 'project-sheet'))).json().document;
    expect(doc.columns.map((c: { header: string[] }) => c.header[0])).toEqual(['項目', '内容']);
    const x = await f.coord.get(q('&format=xlsx').replace('indicator-achievement', 'project-sheet'));
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const names = wb.worksheets.map((w) => w.name);
    expect(names).toEqual([...doc.sheets.map((s: { name: string }) => s.name), '評価の集計', 'データ']);
    const first = wb.worksheets[0]!;
    const pairs = new Map<string, unknown>();
    first.eachRow((r) => pairs.set(String(r.getCell(1).value ?? ''), r.getCell(2).value));
    expect(pairs.get('主な取組') ?? pairs.get('事業名')).toBe('啓発講座');
    expect(pairs.get('実績')).toBe('3回');
    expect(pairs.get('目標')).toBe('4回');
    // A4 portrait, fitted to the page width, as the layout says.
    expect(first.pageSetup).toMatchObject({ paperSize: 9, orientation: 'portrait', fitToWidth: 1 });
  });

  it('lets the coordinator set how the plan evaluates, and refuses a configuration that does not hold together, naming the field', async () => {
    const settings = (await f.editorA.get(`/api/m/${f.mid}/plans/${f.planId}/evaluation`)).json();
    const fromYear = settings.versions[0].fromYear as number;
    const config = presetConfig('achievement-5')!;
    const url = `/api/m/${f.mid}/plans/${f.planId}/evaluation`;
    expect((await f.editorA.put(url, { fromYear, config })).statusCode).toBe(403);
    const broken = structuredClone(config);
    const rule = broken.scales[0]!.rule;
    if (rule.kind === 'ratio') rule.levelGrades = [{ level: '9', grade: '◎' }];
    const bad = await f.coord.put(url, { fromYear, config: broken });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('段階「9」がありません');
    // The answers graded A by hand under the old configuration would lose their slot: refused, not dropped.
    const orphaning = await f.coord.put(url, { fromYear, config });
    expect(orphaning.statusCode).toBe(409);
    expect(orphaning.json().message).toContain('self: 2件');
    const kept = structuredClone(config);
    kept.scales.push(structuredClone(settings.versions[0].config.scales[0]));
    kept.slots.push({ ...settings.versions[0].config.slots[0], required: false });
    const ok = await f.coord.put(url, { fromYear, config: kept, note: '達成度から計算する' });
    expect(ok.statusCode, ok.body).toBe(200);
    const got = (await f.editorA.get(url)).json();
    expect(got.versions.map((v: { config: { slots: { key: string }[] } }) => v.config.slots.map((x) => x.key))).toEqual(
      [['grade', 'self']],
    );
    expect(got.presets.map((p: { name: string }) => p.name)).toContain('council-stars');
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['action', 'actor_name'])
      .where('action', '=', 'evaluation.version.update')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('computes each line’s grade, and takes a different one only with a reason', async () => {
    const res = await f.coord.get(q());
    expect(res.statusCode, res.body).toBe(200);
    const doc = res.json().document;
    const rows = doc.sheets[0].rows.filter((r: { type: string }) => r.type === 'data');
    const p1 = rows.find((r: { projectId: number }) => r.projectId === f.p1);
    const col = (key: string) => doc.columns.findIndex((c: { key: string }) => c.key === key);
    expect([p1.cells[col('actual')].text, p1.cells[col('level')].text, p1.cells[col('grade')].text]).toEqual([
      '3回',
      '3',
      '○',
    ]);
    expect(p1.cells[col('grade')].speech).toBe('○（概ね達成（達成度3））');

    const round = (await f.coord.get(`/api/m/${f.mid}/rounds?planId=${f.planId}`))
      .json()
      .rounds.find((r: { fiscalYear: number; status: string }) => r.fiscalYear === 2023 && r.status === 'open').id;
    const item = (await sheet(f.editorA, f, round, f.deptA)).items.find((i) => i.project.id === f.p1)!;
    const url = `/api/m/${f.mid}/records/${item.record.id}`;
    const body = {
      version: item.record.version,
      planText: '講座を開く',
      resultText: '講座を3回開いた',
      actuals: [{ indicatorId: f.ind1, text: '3回' }],
    };
    const override = (code: string, reason: string) => [
      { slotKey: 'grade', subjectKind: 'indicator', subjectId: f.ind1, code, reason },
    ];
    const refused = await f.editorA.put(url, { ...body, entries: override('◎', '') });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toContain('計算（○）と異なる評価にする理由を入力してください');
    expect(refused.json().details[0].field).toBe(`entries.grade.indicator.${f.ind1}`);
    const saved = await f.editorA.put(url, { ...body, entries: override('◎', '4回目は他課の講座と合同で実施') });
    expect(saved.statusCode, saved.body).toBe(200);
    // The line's grade is part of the answer as the department reads it back: in the save's answer, in a later
    // save that does not touch it, and in the sheet.
    const lineEntry = { slotKey: 'grade', subjectKind: 'indicator', subjectId: f.ind1, code: '◎' };
    expect(saved.json().record.entries).toContainEqual(expect.objectContaining(lineEntry));
    const untouched = await f.editorA.put(url, {
      version: saved.json().record.version,
      planText: '講座を開く（日程は広報に掲載）',
    });
    expect(untouched.statusCode, untouched.body).toBe(200);
    expect(untouched.json().record.entries).toContainEqual(expect.objectContaining(lineEntry));
    const reread = (await sheet(f.editorA, f, round, f.deptA)).items.find((i) => i.project.id === f.p1)!;
    expect(reread.record.entries).toContainEqual(expect.objectContaining(lineEntry));
    const after = (await f.coord.get(q())).json().document;
    const line = after.sheets[0].rows.find(
      (r: { projectId: number; type: string }) => r.type === 'data' && r.projectId === f.p1,
    );
    expect(line.cells[col('grade')]).toMatchObject({ text: '◎', note: '4回目は他課の講座と合同で実施' });
    // Choosing the computed grade again stores no override.
    const back = await f.editorA.put(url, {
      ...body,
      version: untouched.json().record.version,
      entries: override('○', ''),
    });
    expect(back.statusCode).toBe(200);
    // The entry that only repeated the computation is cleared; the answer's own self-grade stays.
    expect(back.json().record.entries.map((e: { slotKey: string; code: string }) => [e.slotKey, e.code])).toEqual([
      ['self', 'A'],
    ]);
    const printed = (await f.coord.get(q())).json().document;
    const again = printed.sheets[0].rows.find(
      (r: { projectId: number; type: string }) => r.type === 'data' && r.projectId === f.p1,
    );
    expect(again.cells[col('grade')]).toMatchObject({ text: '○' });
    expect(again.cells[col('grade')].note).toBeUndefined();
  });

  it('gives a department only its own rows, everyone else all rows, and another municipality nothing', async () => {
    const mine = (await f.editorB.get(q())).json().document;
    const rows = mine.sheets[0].rows.filter((r: { type: string }) => r.type === 'data');
    expect(new Set(rows.map((r: { projectId: number }) => r.projectId))).toEqual(new Set([f.p2]));
    expect((await f.editorB.get(q(`&departmentId=${f.deptA}`))).statusCode).toBe(403);
    const all = (await f.council.get(q())).json().document;
    expect(all.sheets[0].rows.filter((r: { type: string }) => r.type === 'data').length).toBeGreaterThan(rows.length);
    const other = await h.as('coordinator', { municipalityId: (await h.municipality('他市')).id });
    expect((await other.get(q())).statusCode).toBe(403);
    expect((await f.coord.get(q().replace('indicator-achievement', 'no-such-layout'))).json().message).toContain(
      'レイアウト「no-such-layout」がありません',
    );
  });

  it('writes the same rows to xlsx, CSV (UTF-8 with BOM and Shift_JIS, formulas defused) and JSON', async () => {
    // A remark that a spreadsheet would run as a formula.
    const round = (await f.coord.get(`/api/m/${f.mid}/rounds?planId=${f.planId}`))
      .json()
      .rounds.find((r: { fiscalYear: number; status: string }) => r.fiscalYear === 2023 && r.status === 'open').id;
    const item = (await sheet(f.editorA, f, round, f.deptA)).items.find((i) => i.project.id === f.p1)!;
    await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      planText: '講座を開く',
      resultText: '3回',
      remarks: '=HYPERLINK("http://example.invalid")',
      actuals: [{ indicatorId: f.ind1, text: '3回' }],
    });

    const x = await f.coord.get(q('&format=xlsx'));
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['報告', '評価の集計', 'データ']);
    const data = wb.getWorksheet('データ')!;
    const headers = data.getRow(1).values as string[];
    const actualCol = headers.indexOf('最終実績');
    const p1Row = [...Array(data.rowCount).keys()]
      .map((i) => data.getRow(i + 1))
      .find((r) => r.getCell(headers.indexOf('主な取組')).value === '啓発講座')!;
    expect(p1Row.getCell(actualCol).value).toBe(3);

    const csv = await f.coord.get(q('&format=csv'));
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const text = csv.rawPayload.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toContain('年度（西暦）,年度（和暦）');
    expect(text).toContain(`"'=HYPERLINK(""http://example.invalid"")"`);
    expect(text).toContain('2023,令和5年度');
    const sjis = await f.coord.get(q('&format=csv&encoding=sjis'));
    expect(sjis.headers['content-type']).toContain('Shift_JIS');
    expect(iconv.decode(sjis.rawPayload, 'cp932')).toBe(text);

    const html = await f.coord.get(q('&format=html'));
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toMatch(/<link rel="stylesheet" href="\/public\/report.css"\/?>/);
    expect(html.body).not.toMatch(/<script|style=/);
  });

  it('summarises grades per node and department with last year’s change, and completeness', async () => {
    const s = (await f.coord.get(`/api/m/${f.mid}/report-summary?planId=${f.planId}&fiscalYear=2023&depth=0`)).json()
      .summary;
    expect(s.codes).toEqual(['◎', '○', '△', '×']);
    // P1 went from △ (2 of 4) to ○ (3 of 4); P2's indicator has no target, so nothing is computed.
    expect(s.total.tally.counts).toEqual(codeCounts({ '◎': 0, '○': 1, '△': 0, '×': 0 }));
    expect(s.total.previous.counts).toEqual(codeCounts({ '◎': 0, '○': 0, '△': 1, '×': 0 }));
    expect(s.total.change).toEqual(codeCounts({ '◎': 0, '○': 1, '△': -1, '×': 0 }));
    expect(s.byDepartment.map((d: { label: string }) => d.label)).toEqual(['人権推進課', '学校教育課']);
    expect(s.completeness.total).toBe(3);
    expect(s.hasPrevious).toBe(true);
    // How the grades moved: each year with answers, counted the same way.
    expect(
      s.history.map((y: { fiscalYear: number; total: { counts: CodeCount[] } }) => [y.fiscalYear, y.total.counts]),
    ).toEqual([
      [2022, codeCounts({ '◎': 0, '○': 0, '△': 1, '×': 0 })],
      [2023, codeCounts({ '◎': 0, '○': 1, '△': 0, '×': 0 })],
    ]);
    expect(s.history[1].byNode.map((n: { label: string }) => n.label)).toEqual(
      s.byNode.map((n: { label: string }) => n.label),
    );
    const series = (await f.coord.get(`/api/m/${f.mid}/indicators/${f.ind1}/series`)).json().series;
    expect(series.baseline).toMatchObject({ year: 2020, value: 2 });
    expect(series.points.map((p: { fiscalYear: number; actual: number | null }) => [p.fiscalYear, p.actual])).toEqual([
      [2022, 2],
      [2023, 3],
    ]);
  });

  it('publishes an immutable snapshot that the public page shows without login, and keeps superseded ones in the history', async () => {
    const body = { planId: f.planId, fiscalYear: 2023, layout: 'indicator-achievement', asOf: '2024-03-31' };
    expect((await f.editorA.post(`/api/m/${f.mid}/report-snapshots`, body)).statusCode).toBe(403);
    // Nothing of 2023 is approved: publishing approved answers only has nothing to show.
    const refused = await f.coord.post(`/api/m/${f.mid}/report-snapshots`, body);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('確定した回答がまだないため公表できません');
    const first = await f.coord.post(`/api/m/${f.mid}/report-snapshots`, { ...body, includeUnapproved: true });
    expect(first.statusCode, first.body).toBe(201);
    const firstId = first.json().snapshot.id;
    expect(first.json().snapshot).toMatchObject({
      includesUnapproved: true,
      title: expect.stringMatching(/^【速報】/),
    });

    // A later edit does not change what was published.
    const round = (await f.coord.get(`/api/m/${f.mid}/rounds?planId=${f.planId}`))
      .json()
      .rounds.find((r: { fiscalYear: number; status: string }) => r.fiscalYear === 2023 && r.status === 'open').id;
    const item = (await sheet(f.editorA, f, round, f.deptA)).items.find((i) => i.project.id === f.p1)!;
    await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      planText: '公表後に書き換えた予定',
      resultText: 'x',
      actuals: [{ indicatorId: f.ind1, text: '4回' }],
    });

    const anonymous = h.client();
    const page = await anonymous.get(`/public/${code}/reports/${firstId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('令和6年3月31日時点');
    expect(page.body).not.toContain('公表後に書き換えた予定');
    expect(page.body).toContain('講座を開く');
    expect(page.body).toContain('速報（未確定を含む）');

    const second = await f.coord.post(`/api/m/${f.mid}/report-snapshots`, {
      ...body,
      asOf: '2024-05-31',
      includeUnapproved: true,
    });
    const secondId = second.json().snapshot.id;
    const list = await anonymous.get(`/public/${code}`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`/public/${code}/reports/${firstId}`);
    expect(list.body).toContain(`/public/${code}/reports/${secondId}`);
    expect(list.body).toContain('新しい版があります');
    const old = await anonymous.get(`/public/${code}/reports/${firstId}`);
    expect(old.body).toContain('この版は新しい版に置き換えられています');
    expect(old.body).not.toContain('公表後に書き換えた予定');
    const latest = await anonymous.get(`/public/${code}/reports/${secondId}`);
    expect(latest.body).toContain('公表後に書き換えた予定');
    expect(latest.headers['content-security-policy']).toContain("default-src 'self'");
    // Nothing but snapshots is public.
    expect((await anonymous.get(q())).statusCode).toBe(401);
    const missing = await anonymous.get(`/public/${code}/reports/999999`);
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('text/html');
    expect(missing.body).toContain('<h1>公表された報告が見つかりません</h1>');
    const stored = await h.db
      .selectFrom('report_snapshots')
      .select(['id', 'superseded_by'])
      .where('municipality_id', '=', f.mid)
      .orderBy('id')
      .execute();
    expect(stored).toEqual([
      { id: firstId, superseded_by: secondId },
      { id: secondId, superseded_by: null },
    ]);
  });

  it('saves a layout of the coordinator’s own and renders with it; built-in names are taken', async () => {
    const layout = {
      name: '庁内用',
      hierarchy: 'columns',
      rowUnit: 'record',
      grouping: 'tree',
      columns: [
        { key: 'projectName', header: ['事業'], width: 20 },
        { key: 'department', header: ['課'], width: 10 },
        { key: 'grade', header: ['評価'], width: 5 },
      ],
    };
    expect((await f.editorA.post(`/api/m/${f.mid}/report-layouts`, layout)).statusCode).toBe(403);
    expect(
      (await f.coord.post(`/api/m/${f.mid}/report-layouts`, { ...layout, name: 'department-sheets' })).statusCode,
    ).toBe(409);
    const bad = await f.coord.post(`/api/m/${f.mid}/report-layouts`, {
      ...layout,
      columns: [{ key: 'node', header: ['体系'], width: 10 }],
    });
    expect(bad.json().message).toContain('1列目は体系の列です。階層を選んでください');
    expect((await f.coord.post(`/api/m/${f.mid}/report-layouts`, layout)).statusCode).toBe(201);
    const doc = (
      await f.coord.get(
        `/api/m/${f.mid}/report?planId=${f.planId}&fiscalYear=2023&layout=${encodeURIComponent('庁内用')}`,
      )
    ).json().document;
    expect(doc.columns.map((c: { header: string[] }) => c.header[0])).toEqual(['事業', '課', '評価']);
    expect(
      doc.sheets[0].rows
        .filter((r: { type: string }) => r.type === 'data')
        .map((r: { cells: { text: string }[] }) => r.cells[1]!.text),
    ).toEqual(['人権推進課', '人権推進課', '学校教育課']);
  });

  it('prints last year’s values and texts, the unit, the computed %, points and the council’s remarks from the database, and keeps numbers as numbers in xlsx', async () => {
    // P1's answer of 2023 approved, remarked on by the council and answered by 人権推進課.
    const round = (await f.coord.get(`/api/m/${f.mid}/rounds?planId=${f.planId}`))
      .json()
      .rounds.find((r: { fiscalYear: number; status: string }) => r.fiscalYear === 2023 && r.status === 'open').id;
    const item = (await sheet(f.editorA, f, round, f.deptA)).items.find((i) => i.project.id === f.p1)!;
    expect((await f.editorA.post(`/api/m/${f.mid}/records/${item.record.id}/submit`)).statusCode).toBe(200);
    expect((await f.coord.post(`/api/m/${f.mid}/records/${item.record.id}/approve`)).statusCode).toBe(200);
    const remark = await f.council.post(`/api/m/${f.mid}/projects/${f.p1}/council-comments`, {
      fiscalYear: 2023,
      body: '回数より参加者の声を',
    });
    expect(remark.statusCode, remark.body).toBe(201);
    const answered = await f.editorA.post(`/api/m/${f.mid}/council-comments/${remark.json().id}/answers`, {
      body: 'アンケートを取ります',
    });
    expect(answered.statusCode, answered.body).toBe(201);
    const layout = {
      name: '経年比較',
      hierarchy: 'columns',
      rowUnit: 'indicator',
      grouping: 'tree',
      columns: [
        { key: 'projectName', header: ['事業'], width: 20 },
        { key: 'indicator', header: ['指標'], width: 12 },
        { key: 'unit', header: ['単位'], width: 4 },
        { key: 'actual', yearOffset: -1, header: ['{year-1:西暦}'], width: 8 },
        { key: 'actual', header: ['{year:略}'], width: 8 },
        { key: 'ratio', digits: 1, header: ['達成率'], width: 8 },
        { key: 'points', header: ['点数'], width: 4 },
        { key: 'resultText', yearOffset: -1, header: ['前年度の実績'], width: 20 },
        { key: 'councilComments', header: ['審議会の意見'], width: 30 },
      ],
    };
    expect((await f.coord.post(`/api/m/${f.mid}/report-layouts`, layout)).statusCode).toBe(201);
    const url = `/api/m/${f.mid}/report?planId=${f.planId}&fiscalYear=2023&layout=${encodeURIComponent('経年比較')}`;
    const doc = (await f.coord.get(url)).json().document;
    expect(doc.columns.map((c: { header: string[] }) => c.header[0]).slice(3, 5)).toEqual(['2022年度', 'R5']);
    const row = doc.sheets[0].rows.find(
      (r: { type: string; cells: { text: string }[] }) => r.type === 'data' && r.cells[1]!.text === '講座開催回数',
    );
    // 4 of 4 (the actual corrected before the second publication above): 100.0% → 達成度5 → ◎, 4 points.
    expect(row.cells.map((c: { text: string }) => c.text)).toEqual([
      '啓発講座',
      '講座開催回数',
      '回',
      '2回',
      '4回',
      '100.0%',
      '4',
      '講座を2回開いた',
      expect.stringMatching(
        /^【意見 令和\d+年\d+月\d+日】回数より参加者の声を\n【回答 人権推進課 令和\d+年\d+月\d+日】アンケートを取ります$/,
      ),
    ]);

    const x = await f.coord.get(`${url}&format=xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('報告')!;
    const line = [...Array(ws.rowCount).keys()]
      .map((i) => ws.getRow(i + 1))
      .find((r) => r.getCell(2).value === '講座開催回数')!;
    expect([4, 5, 6, 7].map((c) => line.getCell(c).value)).toEqual(['2回', '4回', 100, 4]);
    expect(line.getCell(6).numFmt).toBe('0.0"%"');
  });

  it('prints on the paper the layout names: the .xlsx fitted to the page width, the header rows on every page, page numbers', async () => {
    /** The paper sheet's print settings, read back with exceljs. */
    const pageSetupOf = async (url: string) => {
      const x = await f.coord.get(url);
      expect(x.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
      const ws = wb.getWorksheet('報告')!;
      const header = [...Array(ws.rowCount).keys()].map((i) => i + 1).find((r) => ws.getCell(r, 1).value === '事業')!;
      return { ws, header };
    };
    const layout = {
      name: '縦長のA3',
      hierarchy: 'columns',
      rowUnit: 'record',
      grouping: 'tree',
      columns: [
        { key: 'projectName', header: ['事業'], width: 20 },
        { key: 'department', header: ['課'], width: 10 },
        { key: 'resultText', header: ['実績'], width: 40 },
      ],
    };
    const wrong = await f.coord.post(`/api/m/${f.mid}/report-layouts`, {
      ...layout,
      paper: { size: 'B5', orientation: 'portrait' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(
      (
        await f.coord.post(`/api/m/${f.mid}/report-layouts`, {
          ...layout,
          paper: { size: 'A3', orientation: 'portrait' },
        })
      ).statusCode,
    ).toBe(201);
    const url = `/api/m/${f.mid}/report?planId=${f.planId}&fiscalYear=2023&layout=${encodeURIComponent('縦長のA3')}`;
    expect((await f.coord.get(url)).json().document.paper).toEqual({ size: 'A3', orientation: 'portrait' });
    const a3 = await pageSetupOf(`${url}&format=xlsx`);
    expect(a3.ws.pageSetup).toMatchObject({
      paperSize: 8,
      orientation: 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${a3.header}:${a3.header}`,
    });
    expect(a3.ws.headerFooter.oddFooter).toBe('&C- &P -&R&P / &N');
    const margins = a3.ws.pageSetup.margins!;
    for (const side of [margins.left, margins.right, margins.top, margins.bottom]) {
      expect(side).toBeGreaterThanOrEqual(0.3);
      expect(side).toBeLessThanOrEqual(0.8);
    }

    // A layout saved before layouts named their paper prints A4 landscape.
    expect(
      (await f.coord.post(`/api/m/${f.mid}/report-layouts`, { ...layout, name: '用紙の指定なし' })).statusCode,
    ).toBe(201);
    const plain = await pageSetupOf(
      `/api/m/${f.mid}/report?planId=${f.planId}&fiscalYear=2023&layout=${encodeURIComponent('用紙の指定なし')}&format=xlsx`,
    );
    expect(plain.ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToWidth: 1, fitToHeight: 0 });
  });
});
