/**
 * Reports of a 1,000-project plan with three fiscal years of answers: the on-screen report's server
 * time (dataset read and document built, in process, and over HTTP for reference), and the .xlsx
 * export next to bare exceljs writing the same cell values to the same two sheets, in the same run.
 */
import ExcelJS from 'exceljs';
import type { ReportDocument } from '../src/domain/report/build.js';
import { dataTable } from '../src/domain/report/table-data.js';
import { layoutInput } from '../src/domain/report/layout.js';

import { formatReport, renderReport } from '../src/server/modules/reports/index.js';
import { benchAdmin, gradeIndicatorLines, largeMunicipality, login } from './fixtures.js';
import { percentile } from './lib.js';

const YEARS = [2023, 2024, 2025];

/** The same cells the export writes, with no styles, merges or page setup: exceljs's own cost. */
async function bareWorkbook(doc: ReportDocument): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const sheet of doc.sheets) {
    const ws = wb.addWorksheet(sheet.name);
    ws.addRow([sheet.title]);
    for (let line = 0; line < doc.headerRows; line++) ws.addRow(doc.columns.map((c) => c.header[line] ?? ''));
    for (const r of sheet.rows)
      ws.addRow(
        r.type === 'section'
          ? [r.text]
          : r.cells.map((c) => (c.span === 0 ? null : typeof c.value === 'number' ? c.value : c.text)),
      );
  }
  const t = dataTable(doc);
  const data = wb.addWorksheet('データ');
  data.addRow(t.headers);
  data.addRows(t.rows);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

/** The server's time for a report: five warm-up runs, then forty measured. */
async function serverTimes(render: () => Promise<ReportDocument>): Promise<{ server: number[]; doc: ReportDocument }> {
  for (let i = 0; i < 5; i++) await render();
  const server: number[] = [];
  let doc!: ReportDocument;
  for (let i = 0; i < 40; i++) {
    const [ms, d] = await time(render);
    server.push(ms);
    doc = d;
  }
  return { server, doc };
}

/** xlsx and bare exceljs, alternated so that both see the same machine. */
async function fileTimes(doc: ReportDocument) {
  const xlsx: number[] = [];
  const bare: number[] = [];
  let sizes = { xlsx: 0, bare: 0 };
  for (let i = 0; i < 5; i++) {
    const [a, file] = await time(() => formatReport(doc, 'xlsx'));
    const [b, plain] = await time(() => bareWorkbook(doc));
    xlsx.push(a);
    bare.push(b);
    sizes = { xlsx: (file.body as Buffer).length, bare: plain.length };
  }
  return { xlsx, bare, sizes };
}

/** A layout of one row per indicator line with the year columns, %, parts and slot columns. */
const WIDE = layoutInput.parse({
  name: 'wide-1000',
  hierarchy: 'columns',
  rowUnit: 'indicator',
  grouping: 'tree',
  columns: [
    { key: 'node', depth: 0, header: ['基本目標'], width: 14, merge: true },
    { key: 'projectName', header: ['事業'], width: 20, merge: true },
    { key: 'indicator', header: ['指標'], width: 14 },
    { key: 'unit', header: ['単位'], width: 4 },
    { key: 'actual', yearOffset: -2, header: ['{year-2:略}'], width: 6 },
    { key: 'actual', yearOffset: -1, header: ['{year-1:略}'], width: 6 },
    { key: 'actual', parts: true, header: ['{year:略}（内訳）'], width: 10 },
    { key: 'actual', part: '女性', header: ['うち女性'], width: 6 },
    { key: 'target', header: ['目標'], width: 6 },
    { key: 'ratio', digits: 1, header: ['達成率'], width: 6 },
    { key: 'grade', slot: 'grade', header: ['評価'], width: 4 },
    { key: 'points', header: ['点'], width: 4 },
    { key: 'overrideMark', header: [''], width: 2 },
    { key: 'resultText', yearOffset: -1, header: ['前年度の実績'], width: 20 },
  ],
});

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

export async function run(): Promise<Record<string, unknown>> {
  const m = await largeMunicipality({ projects: 1000, departments: 60, years: YEARS });
  try {
    const { db } = m.handle;
    const ctx = {
      db,
      dialect: m.handle.dialect,
      config: (await import('../src/server/config.js')).loadConfig({ SAMPLE_DATA: 'off', DATA_DIR: m.dir }),
    };
    const actor = benchAdmin(1);
    await gradeIndicatorLines(m, YEARS);
    await db
      .insertInto('report_layouts')
      .values({
        municipality_id: m.mid,
        name: WIDE.name,
        definition: JSON.stringify(WIDE),
        updated_at: new Date().toISOString(),
      })
      .execute();
    const query = { planId: m.planId, fiscalYear: 2025, layout: 'indicator-achievement' };
    const { server, doc } = await serverTimes(() => renderReport(ctx, actor, m.mid, query));
    // A layout with the column kinds that read more: three years' values, %, parts, a slot's points and marks.
    const wide = await serverTimes(() => renderReport(ctx, actor, m.mid, { ...query, layout: WIDE.name }));
    const wideFiles = await fileTimes(wide.doc);
    // The same over HTTP with JSON serialisation, for reference.
    const session = await login(m.address, 'bench-admin');
    const url = `${m.address}/api/m/${m.mid}/report?planId=${m.planId}&fiscalYear=2025&layout=indicator-achievement`;
    const http: number[] = [];
    for (let i = 0; i < 20; i++) {
      const [ms, res] = await time(() => fetch(url, { headers: { cookie: session.cookie } }));
      if (!res.ok) throw new Error(`report ${res.status}`);
      await res.arrayBuffer();
      http.push(ms);
    }

    const { xlsx, bare, sizes } = await fileTimes(doc);
    const dataRows = doc.sheets.reduce((n, s) => n + s.rows.filter((r) => r.type === 'data').length, 0);
    const result = {
      report_p50_ms: Math.round(median(server) * 10) / 10,
      report_p99_ms:
        Math.round(
          percentile(
            [...server].sort((a, b) => a - b),
            99,
          ) * 10,
        ) / 10,
      http_report_p50_ms: Math.round(median(http) * 10) / 10,
      xlsx_ms: Math.round(median(xlsx)),
      bare_exceljs_ms: Math.round(median(bare)),
      xlsx_over_bare: Math.round((median(xlsx) / median(bare)) * 100) / 100,
      rows: dataRows,
      projects: 1000,
      fiscal_years: YEARS.length,
      graded_lines: doc.tallies.total.graded + doc.tallies.total.notGraded,
      xlsx_bytes: sizes.xlsx,
      bare_bytes: sizes.bare,
      wide_layout: {
        columns: WIDE.columns.length,
        report_p50_ms: Math.round(median(wide.server) * 10) / 10,
        xlsx_ms: Math.round(median(wideFiles.xlsx)),
        bare_exceljs_ms: Math.round(median(wideFiles.bare)),
        xlsx_over_bare: Math.round((median(wideFiles.xlsx) / median(wideFiles.bare)) * 100) / 100,
      },
      targets: { report_p50_ms: '≤ 50', xlsx_over_bare: '≤ 1.5' },
    };
    return result;
  } finally {
    await m.close();
  }
}
