import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../testing/harness.js';
import { cycleFixture, openRound, selfGrade, sheet, type CycleFixture } from '../../testing/cycle-fixtures.js';

const DRAFT = '下書きのままの実績テキスト';
const APPROVED = '確定した実績テキスト';

/** Every text cell of every sheet of a workbook. */
async function workbookText(body: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const out: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => out.push(String(c.value ?? '')))));
  return out.join('\n');
}

describe('publishing and what the council reads', () => {
  let h: Harness;
  let f: CycleFixture;
  let code: string;
  let roundId: number;
  const base = () => ({ planId: f.planId, fiscalYear: 2025, layout: 'department-sheets', asOf: '2026-03-31' });

  beforeAll(async () => {
    h = await createHarness();
    f = await cycleFixture(h);
    code = (await h.db.selectFrom('municipalities').select('code').where('id', '=', f.mid).executeTakeFirstOrThrow())
      .code;
    roundId = await openRound(f, 2025);
    // 人権推進課: answered, submitted, approved. 学校教育課: a draft only.
    const a = await sheet(f.editorA, f, roundId, f.deptA);
    for (const item of a.items)
      await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
        version: item.record.version,
        planText: '予定',
        resultText: APPROVED,
        entries: selfGrade(item, 'A'),
        actuals: item.indicators.map((i) => ({ indicatorId: i.id, text: `7${i.unit}` })),
      });
    expect((await f.editorA.post(`/api/m/${f.mid}/rounds/${roundId}/departments/${f.deptA}/submit`)).statusCode).toBe(
      200,
    );
    expect((await f.coord.post(`/api/m/${f.mid}/rounds/${roundId}/departments/${f.deptA}/approve`)).statusCode).toBe(
      200,
    );
    const b = (await sheet(f.editorB, f, roundId, f.deptB)).items[0]!;
    await f.editorB.put(`/api/m/${f.mid}/records/${b.record.id}`, {
      version: b.record.version,
      planText: '予定',
      resultText: DRAFT,
      entries: selfGrade(b, 'C'),
      actuals: [{ indicatorId: f.ind2, text: '999人' }],
    });
  });
  afterAll(() => h.close());

  it('shows before publishing how many answers are approved and how many would be left out', async () => {
    const res = await f.coord.get(`/api/m/${f.mid}/report-snapshots/preview?planId=${f.planId}&fiscalYear=2025`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().preview).toMatchObject({
      total: 3,
      statusCounts: { approved: 2, draft: 1, submitted: 0, returned: 0, not_started: 0 },
      current: [],
    });
    expect(
      (await f.editorA.get(`/api/m/${f.mid}/report-snapshots/preview?planId=${f.planId}&fiscalYear=2025`)).statusCode,
    ).toBe(403);
  });

  it('refuses a report said to be as of a day still to come', async () => {
    // The harness lives on 2026-12-05 (JST).
    const res = await f.coord.post(`/api/m/${f.mid}/report-snapshots`, { ...base(), asOf: '2026-12-06' });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0]).toMatchObject({ field: 'asOf', message: '今日より後の日付は指定できません' });
  });

  it('publishes approved answers only by default, and says what it left out', async () => {
    const res = await f.coord.post(`/api/m/${f.mid}/report-snapshots`, base());
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().snapshot).toMatchObject({
      includesUnapproved: false,
      statusCounts: { approved: 2, draft: 1 },
      withdrawnAt: null,
    });
    const page = await h.client().get(`/public/${code}/reports/${res.json().snapshot.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(APPROVED);
    expect(page.body).not.toContain(DRAFT);
    expect(page.body).not.toContain('999');
    expect(page.body).toContain('確定していない回答1件は掲載していません');
    // 学校教育課's row is there, empty.
    expect(page.body).toContain('学校教育課');
  });

  it('includes unapproved answers only when asked, and labels the report 速報', async () => {
    const res = await f.coord.post(`/api/m/${f.mid}/report-snapshots`, { ...base(), includeUnapproved: true });
    expect(res.statusCode).toBe(201);
    expect(res.json().snapshot).toMatchObject({ includesUnapproved: true, title: expect.stringMatching(/^【速報】/) });
    const page = await h.client().get(`/public/${code}/reports/${res.json().snapshot.id}`);
    expect(page.body).toContain(DRAFT);
    expect(page.body).toContain('速報（未確定を含む）');
    const list = await h.client().get(`/public/${code}`);
    expect(list.body).toContain('（速報・未確定を含む）');
  });

  it('withdraws a publication with its reason: the public page keeps a notice instead of the content', async () => {
    const snapshots = (await f.coord.get(`/api/m/${f.mid}/report-snapshots`)).json().snapshots;
    const latest = snapshots[0];
    expect(
      (await f.editorA.post(`/api/m/${f.mid}/report-snapshots/${latest.id}/withdraw`, { reason: 'x' })).statusCode,
    ).toBe(403);
    const empty = await f.coord.post(`/api/m/${f.mid}/report-snapshots/${latest.id}/withdraw`, { reason: ' ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().details[0]).toMatchObject({ field: 'reason', label: '理由' });
    const before = await h.db
      .selectFrom('report_snapshots')
      .select('document')
      .where('id', '=', latest.id)
      .executeTakeFirstOrThrow();
    const res = await f.coord.post(`/api/m/${f.mid}/report-snapshots/${latest.id}/withdraw`, {
      reason: '未確定の回答を含めてしまったため',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().snapshot).toMatchObject({
      withdrawReason: '未確定の回答を含めてしまったため',
      withdrawnAt: expect.any(String),
    });
    expect(
      (await f.coord.post(`/api/m/${f.mid}/report-snapshots/${latest.id}/withdraw`, { reason: '二度目' })).statusCode,
    ).toBe(409);

    const page = await h.client().get(`/public/${code}/reports/${latest.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/この報告は令和\d+年\d+月\d+日に取り下げられました（未確定の回答を含めてしまったため）/);
    expect(page.body).not.toContain(DRAFT);
    expect(page.body).not.toContain(APPROVED);
    const list = await h.client().get(`/public/${code}`);
    expect(list.body).toMatch(/に取り下げ）/);
    // The snapshot itself is kept as it was; the audit says who withdrew it and why.
    const after = await h.db
      .selectFrom('report_snapshots')
      .select('document')
      .where('id', '=', latest.id)
      .executeTakeFirstOrThrow();
    expect(after.document).toBe(before.document);
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('entity', '=', 'report_snapshot')
      .where('entity_id', '=', String(latest.id))
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['publish', 'withdraw']);
    expect(JSON.parse(audit[1]!.detail)).toEqual({ reason: '未確定の回答を含めてしまったため' });
  });

  it('gives council members approved answers only, in every format and in the summary', async () => {
    const url = `/api/m/${f.mid}/report?planId=${f.planId}&fiscalYear=2025&layout=department-sheets`;
    const json = await f.council.get(url);
    expect(json.statusCode).toBe(200);
    expect(json.body).toContain(APPROVED);
    expect(json.body).not.toContain(DRAFT);
    for (const format of ['csv', 'html'] as const) {
      const res = await f.council.get(`${url}&format=${format}`);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(APPROVED);
      expect(res.body).not.toContain(DRAFT);
    }
    const xlsx = await workbookText((await f.council.get(`${url}&format=xlsx`)).rawPayload);
    expect(xlsx).toContain(APPROVED);
    expect(xlsx).not.toContain(DRAFT);
    expect(xlsx).not.toContain('999');
    const summary = (await f.council.get(`/api/m/${f.mid}/report-summary?planId=${f.planId}&fiscalYear=2025`)).json()
      .summary;
    expect(summary.completeness).toBeNull();
    expect(JSON.stringify(summary)).not.toContain(DRAFT);
    // The shared indicator's line holds 学校教育課's draft value 999 and 人権推進課's approved 7.
    const series = (await f.council.get(`/api/m/${f.mid}/indicators/${f.ind2}/series`)).json().series;
    expect(series.points).toEqual([{ fiscalYear: 2025, target: null, actual: 7, actualText: '7人' }]);
    // The coordinator still sees everything.
    expect((await f.coord.get(url)).body).toContain(DRAFT);
    expect((await f.coord.get(`/api/m/${f.mid}/indicators/${f.ind2}/series`)).json().series.points[0].actual).toBe(
      1006,
    );
  });

  it('fixes the year’s structure as printed when it publishes', async () => {
    const fixed = await h.db
      .selectFrom('year_nodes')
      .select('node_id')
      .where('plan_id', '=', f.planId)
      .where('fiscal_year', '=', 2025)
      .execute();
    expect(fixed.length).toBeGreaterThan(0);
  });
  it('shows a report published when counts were stored as an object by code exactly as before', async () => {
    const res = await f.coord.post(`/api/m/${f.mid}/report-snapshots`, base());
    expect(res.statusCode, res.body).toBe(201);
    const id: number = res.json().snapshot.id;
    const url = `/public/${code}/reports/${id}`;
    const now = await h.client().get(url);
    expect(now.statusCode).toBe(200);
    // The document as an earlier version stored it: each tally's counts an object keyed by code.
    // Published reports never change, so the earlier document is stored as a publication of its own.
    const { id: _id, ...row } = await h.db
      .selectFrom('report_snapshots')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const doc = JSON.parse(row.document) as {
      tallies: { codes: string[]; total: Old; byNode: { tally: Old }[] };
    };
    type Old = { counts: { code: string; count: number }[] | Record<string, number> };
    const asObject = (t: Old) => {
      expect(Array.isArray(t.counts)).toBe(true);
      t.counts = Object.fromEntries((t.counts as { code: string; count: number }[]).map((c) => [c.code, c.count]));
    };
    expect(doc.tallies.codes.length).toBeGreaterThan(0);
    asObject(doc.tallies.total);
    for (const n of doc.tallies.byNode) asObject(n.tally);
    const earlier = await h.db
      .insertInto('report_snapshots')
      .values({ ...row, document: JSON.stringify(doc) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const old = await h.client().get(`/public/${code}/reports/${earlier.id}`);
    expect(old.statusCode).toBe(200);
    // Its tallies print as the same document printed them: A 2 under the goal and in total.
    const tallies = (html: string) => html.match(/<table class="data-table tally-table">.*?<\/table>/gs);
    expect(tallies(now.body)).toHaveLength(2);
    expect(tallies(now.body)![0]).toContain(
      '<th scope="row">合計</th><td>2</td><td>0</td><td>0</td><td>0</td><td>2</td>',
    );
    expect(tallies(old.body)).toEqual(tallies(now.body));
  });
});
