import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeCounts } from '../../../domain/report/sample-dataset.test-support.js';
import type { EvaluationConfig } from '../../../domain/evaluation/index.js';
import { presetConfig } from '../../../domain/evaluation/presets.js';
import { readImport } from '../../../domain/import/read.js';
import { mapTable } from '../../../domain/import/mapping.js';
import {
  fixed000,
  fixed001,
  fixed002,
  fixed004,
  seedTable,
  type FixedSeed,
} from '../../../domain/import/seed-fixes.test-support.js';
import type { ReportDocument } from '../../../domain/report/build.js';
import type { Actor } from '../auth/index.js';
import { createHarness, type Harness, inItsMunicipality } from '../../testing/harness.js';
import { commitImport as commitImportService } from '../imports/index.js';
import { formatReport, renderReport as renderReportService } from './reports.service.js';

const commitImport = inItsMunicipality(commitImportService);
const renderReport = inItsMunicipality(renderReportService);

/**
 * Seed 000's rule: the achievement-5 preset as that report prints it, 「-」 where a line has no
 * target or is not graded (the preset prints 「—」).
 */
function seed000Evaluation(): EvaluationConfig {
  const config = structuredClone(presetConfig('achievement-5')!);
  const scale = config.scales[0]!;
  scale.grades = scale.grades.map((g) => (g.code === '—' ? { ...g, code: '-' } : g));
  if (scale.rule.kind === 'ratio') {
    scale.rule.noTarget = '-';
    scale.rule.statusGrades = { ...scale.rule.statusGrades, not_applicable: '-', biennial: '-' };
  }
  return config;
}

/**
 * The four seed reports, imported from ../shared/seeds with their mappings and rendered with the
 * layout of the same name. What is compared was read from each document: its header row, its
 * rows in order, its merged hierarchy cells and its grade counts; the .xlsx is read back.
 */

const admin: Actor = {
  user: {
    id: 0,
    loginName: 'admin',
    displayName: '管理者',
    role: 'system_admin',
    municipalityId: null,
    departmentId: null,
    departmentIds: [],
    mustChangePassword: false,
  },
  requestId: 'seeds',
};
const seedLines = seedTable;

async function readBack(doc: ReportDocument) {
  const file = await formatReport(doc, 'xlsx');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file.body as unknown as ArrayBuffer);
  return wb;
}

const dataRows = (doc: ReportDocument, sheet = 0) => doc.sheets[sheet]!.rows.filter((r) => r.type === 'data');
const sections = (doc: ReportDocument, sheet = 0) => doc.sheets[sheet]!.rows.filter((r) => r.type === 'section');

/** Blocks in a column of a paper sheet: a merged range counts once, an unmerged filled cell once. */
function blocks(ws: ExcelJS.Worksheet, column: number, fromRow: number): number {
  let n = 0;
  for (let r = fromRow; r <= ws.rowCount; r++) {
    const cell = ws.getCell(r, column);
    if (cell.isMerged && cell.master.address !== cell.address) continue;
    if (String(cell.value ?? '').trim() !== '') n++;
  }
  return n;
}

function headerRowOf(ws: ExcelJS.Worksheet, first: string): number {
  for (let r = 1; r <= ws.rowCount; r++) if (ws.getCell(r, 1).value === first) return r;
  throw new Error(`no header ${first}`);
}

describe('the seed reports, rendered in their own layouts', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  async function importSeed(
    f: FixedSeed,
    name: string,
    plan: {
      title: string;
      firstYear: number;
      lastYear: number;
      evaluationPreset?: string;
      evaluation?: EvaluationConfig;
    },
    fiscalYear: number,
  ) {
    const { id } = await h.municipality(name);
    // Read as the command line reads with --auto-repair: no hand-made fix; flagged lines left out.
    const prefix = { 'indicator-achievement': '000', 'multi-year-values': '001', 'narrative-status': '002' }[
      f.mapping.name
    ];
    const read = readImport(prefix ? seedTable(prefix) : f.table, f.mapping);
    const rows = read.rows.filter((r) => r.flags.length === 0);
    const r = await commitImport(h.ctx, admin, id, f.mapping, rows, {
      newPlan: plan,
      fiscalYear,
      baselineYear: read.meta.columnYears.baseline ?? null,
      createDepartments: true,
    });
    expect(r.skipped).toEqual([]);
    return { municipalityId: id, planId: r.planId };
  }

  it('indicator-achievement (000): 74 numbered lines, 14 columns, merged 主要課題 / 施策 / 施策No., grades by the derived rule', async () => {
    const { municipalityId, planId } = await importSeed(
      fixed000(),
      '東松山市',
      // The plan evaluates by its own rule before the report is read in: the printed grades must agree with it.
      { title: '第5次ひがしまつやま共生プラン', firstYear: 2021, lastYear: 2025, evaluation: seed000Evaluation() },
      2021,
    );
    const doc = await renderReport(h.ctx, admin, municipalityId, {
      planId,
      fiscalYear: 2021,
      layout: 'indicator-achievement',
    });

    // Title, document number and as-of date as printed.
    expect(doc.title).toBe('第5次ひがしまつやま共生プラン 令和3年度事業最終評価');
    expect(doc.documentNumber).toBe('資料2');
    expect(doc.asOfLabel).toBe('令和4年3月31日時点');
    // The header row is the document's, cell for cell.
    const seedHeader = seedLines('000')
      .find((r) => r[0] === '主要課題')!
      .map((c) => c.trim());
    expect(doc.columns.map((c) => c.header[0])).toEqual(seedHeader.slice(0, 14));

    const rows = dataRows(doc);
    expect(rows.map((r) => r.rowNumber)).toEqual(Array.from({ length: 74 }, (_, i) => i + 1));
    const col = (key: string) => doc.columns.findIndex((c) => c.key === key);
    // Every graded line's 達成度 and 最終評価 equal the document's, line by line.
    const f = fixed000();
    const printed = mapTable(f.table, f.mapping).filter((r) => !f.excluded.includes(r.line));
    const mine = rows.map((r) => [
      r.cells[col('indicator')]!.text,
      r.cells[col('level')]!.text,
      r.cells[col('grade')]!.text,
    ]);
    const theirs = printed.map((r) => [r.values.indicator ?? '', r.values.achievement ?? '', r.values.grade ?? '']);
    expect(mine).toEqual(theirs);
    // ...because the rule computes them: not one printed grade had to be kept as an override.
    expect(rows.filter((r) => r.cells[col('grade')]!.note)).toEqual([]);
    const overrides = await h.db
      .selectFrom('evaluations')
      .select(['code', 'reason'])
      .where('plan_id', '=', planId)
      .where('reason', '<>', '')
      .execute();
    expect(overrides).toEqual([]);
    // Nor was a counted grade stored as a plain entry where the rule computed nothing, but on the one line the document
    // grades without a target (昇任試験の実施回数: 達成度 5, ◎ by hand). A wrong scale that computes nothing
    // for a line (level 1 from above 0%) would leave the document's grade stored here too.
    const stored = await h.db
      .selectFrom('evaluations')
      .innerJoin('indicators', 'indicators.id', 'evaluations.subject_id')
      .select(['indicators.name', 'evaluations.code', 'evaluations.level', 'evaluations.subject_kind'])
      .where('evaluations.plan_id', '=', planId)
      .where('evaluations.code', 'in', ['◎', '○', '△', '×'])
      .execute();
    expect(stored).toEqual([{ name: '昇任試験の実施回数', code: '◎', level: '5', subject_kind: 'indicator' }]);
    // 72 indicator lines are tallied; the 2 answers without an indicator are graded by hand, and as the
    // document prints no grade for them they count as not graded yet (未評価) rather than vanish.
    expect(doc.tallies.total).toEqual({
      counts: codeCounts({ '◎': 52, '○': 3, '△': 5, '×': 4 }),
      graded: 64,
      notGraded: 8,
      ungraded: 2,
    });
    expect(doc.tallies.byNode).toHaveLength(12);
    expect(doc.tallies.byNode[0]).toMatchObject({
      label: '(1) 男女の共同参画意識の啓発',
      tally: { counts: expect.arrayContaining(codeCounts({ '◎': 4 })) },
    });

    const wb = await readBack(doc);
    // The tally the screen prints after the report, in its own sheet, numbers as numbers.
    const tally = wb.getWorksheet('評価の集計')!;
    const rowValues = (r: number) => (tally.getRow(r).values as unknown[]).slice(1);
    expect(rowValues(2)).toEqual(['区分', '◎', '○', '△', '×', '評価あり計', '評価対象外', '未評価']);
    expect(rowValues(tally.rowCount)).toEqual(['合計', 52, 3, 5, 4, 64, 8, 2]);
    expect(tally.rowCount).toBe(2 + 12 + 1);
    const ws = wb.getWorksheet('報告')!;
    const header = headerRowOf(ws, '主要課題');
    expect(ws.pageSetup).toMatchObject({
      orientation: 'landscape',
      paperSize: 9,
      printTitlesRow: `${header}:${header}`,
    });
    expect(blocks(ws, 1, header + 1)).toBe(12);
    expect(blocks(ws, 2, header + 1)).toBe(27);
    expect(blocks(ws, 3, header + 1)).toBe(31);
    const grades: Record<string, number> = {};
    for (let r = header + 1; r <= ws.rowCount; r++) {
      const g = String(ws.getCell(r, 11).value ?? '');
      if (g) grades[g] = (grades[g] ?? 0) + 1;
    }
    expect(grades).toEqual({ '◎': 52, '○': 3, '△': 5, '×': 4, '—': 4, '-': 4 });
    expect(ws.getCell(ws.rowCount, 14).value).toBe(74);
    // The data sheet: one value per cell, numbers as numbers, no merged cells, both year forms.
    const data = wb.getWorksheet('データ')!;
    expect(data.getRow(1).values).toEqual(
      expect.arrayContaining(['年度（西暦）', '年度（和暦）', '主要課題', '施策', '施策の内容']),
    );
    expect(data.getCell(2, 1).value).toBe(2021);
    expect(data.getCell(2, 2).value).toBe('令和3年度');
    expect(data.rowCount).toBe(75);
    expect(Object.keys((data.model as unknown as { merges?: string[] }).merges ?? {})).toHaveLength(0);
  });

  it('multi-year-values (001): 69 rows under 41 headings, the baseline and two years of values, several departments per project', async () => {
    const { municipalityId, planId } = await importSeed(
      fixed001(),
      '小城市',
      { title: '第2次小城市男女共同参画プラン', firstYear: 2017, lastYear: 2026 },
      2020,
    );
    const doc = await renderReport(h.ctx, admin, municipalityId, {
      planId,
      fiscalYear: 2020,
      layout: 'multi-year-values',
    });
    expect(doc.title).toBe('第2次小城市男女共同参画プラン事業実績一覧（R2）');
    expect(doc.headerRows).toBe(2);
    expect(doc.columns.map((c) => c.header.join('|'))).toEqual([
      '施策の方向|',
      '基本事業|',
      '事業|',
      '担当課|',
      '現状値|',
      '実績値|令和元年度',
      '①実績値|令和2年度',
      '②令和2年度実績|（事業の内容・取り組み状況）',
    ]);
    const rows = dataRows(doc);
    expect(rows).toHaveLength(69);
    expect(rows.map((r) => Number(r.cells[1]!.text))).toEqual(Array.from({ length: 69 }, (_, i) => i + 1));
    const heads = sections(doc);
    expect(heads.filter((s) => s.depth === 0)).toHaveLength(5);
    expect(heads.filter((s) => s.depth === 1)).toHaveLength(13);
    expect(heads.filter((s) => s.depth === 2)).toHaveLength(23);
    expect(heads[0]).toMatchObject({ text: '基本目標Ⅰ 男女共同参画社会の実現に向けた意識づくり' });
    expect(heads[1]).toMatchObject({ text: '(1) 男女平等の意識啓発' });
    const first = rows[0]!.cells.map((c) => c.text);
    expect(first.slice(2, 7)).toEqual([
      '男女共同参画を推進するための研修会等を開催し、意識啓発を行う。 【数値目標】男女共同参画に関する研修会等の受講者数',
      '企画政策課\n生涯学習課',
      '172人',
      '213人',
      '159人',
    ]);
    expect(rows[0]!.cells[6]!.value).toBe(159);
    expect(first[7]).toContain('【企画政策課】');
    // A project without an indicator prints its answers' ○ × — in the year columns; a second department
    // whose answer the report printed once prints once (no 「…に同じ」 beside the text).
    const row = (n: number) => rows.find((r) => r.cells[1]!.text === String(n))!.cells.map((c) => c.text);
    expect(row(2).slice(3, 7)).toEqual(['企画政策課\n人権・同和対策室', '—', '○', '○']);
    expect(row(2)[7]).not.toContain('に同じ');
    expect(row(6).slice(5, 7)).toEqual(['○\n—', '○\n—']);
    expect(row(57).slice(5, 7)).toEqual(['—', '—\n○']);

    const wb = await readBack(doc);
    const ws = wb.getWorksheet('報告')!;
    const header = headerRowOf(ws, '施策の方向');
    expect(ws.pageSetup.printTitlesRow).toBe(`${header}:${header + 1}`);
    // Section rows are merged across the table; single-line headers over both header rows.
    expect(ws.getCell(header + 2, 1).value).toBe('基本目標Ⅰ 男女共同参画社会の実現に向けた意識づくり');
    expect(ws.getCell(header + 2, 8).isMerged).toBe(true);
    expect(ws.getCell(header + 1, 1).isMerged).toBe(true);
  });

  it('narrative-status (002): 57 rows, merged 基本目標 and 施策の方向, reorganisation notes on department names', async () => {
    const { municipalityId, planId } = await importSeed(
      fixed002(),
      'さいたま市',
      {
        title: '第2次さいたま市配偶者等からの暴力の防止及び被害者の支援に関する基本計画',
        firstYear: 2014,
        lastYear: 2020,
      },
      2017,
    );
    const doc = await renderReport(h.ctx, admin, municipalityId, {
      planId,
      fiscalYear: 2017,
      layout: 'narrative-status',
    });
    const seedHeader = seedLines('002')
      .find((r) => r[0] === '基本目標')!
      .map((c) => c.trim());
    expect(doc.columns.map((c) => c.header[0])).toEqual(seedHeader.slice(0, 6));
    const rows = dataRows(doc);
    expect(rows).toHaveLength(57);
    expect(rows[0]!.cells.map((c) => c.text).slice(0, 3)).toEqual([
      'I 教育・啓発の推進',
      '1 市民への意識啓発',
      '1 DVの防止・啓発',
    ]);
    const dept = (n: number) => rows[n - 1]!.cells[5]!.text;
    expect(dept(32)).toBe('住宅政策課（平成28年度より住宅課から組織変更）');
    expect(dept(53)).toBe('危機管理課（平成30年度より安心安全課から組織変更）');
    expect(dept(7)).toBe('男女共同参画課\n人権教育推進室');

    const wb = await readBack(doc);
    const ws = wb.getWorksheet('報告')!;
    const header = headerRowOf(ws, '基本目標');
    expect(blocks(ws, 1, header + 1)).toBe(5);
    expect(blocks(ws, 2, header + 1)).toBe(15);
    expect(blocks(ws, 3, header + 1)).toBe(57);
  });

  it('department-sheets (004): a sheet per department with the A–D legend, 区分 counts per goal, and the document’s projects on each sheet', async () => {
    const { municipalityId, planId } = await importSeed(
      fixed004(),
      '武蔵野市',
      { title: '武蔵野市第四次男女平等推進計画', firstYear: 2017, lastYear: 2021, evaluationPreset: 'manual-a-d' },
      2019,
    );
    const all = await renderReport(h.ctx, admin, municipalityId, {
      planId,
      fiscalYear: 2019,
      layout: 'department-sheets',
    });
    expect(all.tallies.total.counts).toEqual(codeCounts({ A: 28, B: 12, C: 0, D: 1 }));
    expect(all.legend!.items.map((i) => `${i.code}: ${i.label}`)).toEqual([
      'A: 順調または目標達成',
      'B: 概ね順調',
      'C: 検討が必要',
      'D: 極めて不十分・実施せず',
    ]);

    // The document's sheets: for each 対象課, the project numbers it lists, in order.
    const lines = seedLines('004');
    const seedSheets = new Map<string, string[]>();
    let current = '';
    for (const l of lines) {
      const m = /【対象課\s*(.+?)】/.exec(l[0] ?? '');
      if (m) current = m[1]!;
      else if (current && /^\d+$/.test((l[0] ?? '').trim())) {
        const list = seedSheets.get(current) ?? [];
        if (!list.includes(l[0]!.trim())) list.push(l[0]!.trim());
        seedSheets.set(current, list);
      }
    }
    expect([...seedSheets.keys()]).toEqual(['高齢者支援課', '子ども政策課', '子ども育成課', '子ども家庭支援センター']);
    const departments = await h.db
      .selectFrom('departments')
      .select(['id', 'name'])
      .where('municipality_id', '=', municipalityId)
      .execute();
    for (const [name, numbers] of seedSheets) {
      const departmentId = departments.find((d) => d.name === name)!.id;
      const doc = await renderReport(h.ctx, admin, municipalityId, {
        planId,
        fiscalYear: 2019,
        layout: 'department-sheets',
        departmentId,
      });
      expect(doc.sheets.map((s) => s.name)).toEqual([name]);
      expect(doc.sheets[0]!.title).toBe(
        `武蔵野市第四次男女平等推進計画 進捗状況調査報告書(ヒアリング対象課別シート)【対象課 ${name}】`,
      );
      const shown = [...new Set(dataRows(doc).map((r) => r.cells[0]!.text))];
      expect(shown, name).toEqual(numbers);
    }

    const sheet = all.sheets.find((s) => s.name === '高齢者支援課')!;
    const goal = sheet.rows.find((r) => r.type === 'section' && r.depth === 0)!;
    // The counts are of the plan's projects under the goal; the document holds only part of the plan,
    // so they are checked against the 区分 column of the projects it lists.
    const goalII = mapTable(fixed004().table, fixed004().mapping).filter(
      (r) => !r.continuation && r.hierarchy[0]?.number === 'Ⅱ',
    );
    const count = (c: string) =>
      new Set(goalII.filter((r) => r.values.category === c).map((r) => r.projectNumber)).size;
    expect(goal).toMatchObject({
      text: `基本目標Ⅱ 生活と仕事が両立でき、個性と能力を発揮できるまち（新規:${count('新規')}/継続:${count('継続')}/充実:${count('充実')}/見直し:${count('見直し')}）`,
    });
    // Project 39: 地域支援課's row and 高齢者支援課's row, project cells merged over both.
    const p39 = sheet.rows.filter((r) => r.type === 'data' && r.cells[0]!.text === '39');
    expect(p39.map((r) => (r.type === 'data' ? [r.cells[5]!.text, r.cells[8]!.text, r.cells[0]!.span] : []))).toEqual([
      ['地域支援課', 'B', 2],
      ['高齢者支援課', 'B', 0],
    ]);
    expect(sheet.rows.some((r) => r.type === 'data' && r.cells[1]!.text === '家族介護支援事業の拡充(事業19再掲)')).toBe(
      true,
    );

    const wb = await readBack(all);
    expect(wb.worksheets.map((w) => w.name)).toEqual(
      expect.arrayContaining(['高齢者支援課', '子ども政策課', '子ども育成課', '子ども家庭支援センター', 'データ']),
    );
    const ws = wb.getWorksheet('高齢者支援課')!;
    expect(ws.getCell(2, 1).value).toBe('【評価基準について】');
    expect(ws.getCell(4, 1).value).toBe(' A: 順調または目標達成');
  });
});
