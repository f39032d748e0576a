import { describe, expect, it } from 'vitest';
import { presetConfig } from '../evaluation/presets.js';
import { buildReport } from './build.js';
import { dataset, withEvaluation } from './sample-dataset.test-support.js';
import { reportCsv, protectCell } from './csv.js';
import { builtinLayout, layoutInput, type ReportLayout } from './layout.js';
import { countWithChange, summarise } from './summary.js';

const layout = (patch: Partial<ReportLayout>): ReportLayout => ({ ...builtinLayout('narrative-status')!, ...patch });
const texts = (doc: ReturnType<typeof buildReport>, sheet = 0) =>
  doc.sheets[sheet]!.rows.map((r) =>
    r.type === 'section' ? `# ${r.text}` : r.cells.map((c) => (c.span === 0 ? '^' : c.text)).join(' | '),
  );

describe('report documents', () => {
  it('merges hierarchy cells by node, marks cross-listings, and names reorganised departments as printed', () => {
    const doc = buildReport(dataset(), builtinLayout('narrative-status')!);
    expect(texts(doc)).toEqual([
      'Ⅰ 意識づくり | (1) 啓発 | 1 講座 | 講座を開く | 結果1 | 人権推進課',
      '^ | ^ | 2 研修 | 研修する | 【人権推進課】\n結果2\n【学校教育課】\n結果3 | 人権推進課\n学校教育課（令和5年度より教育総務課から組織変更）',
      '^ | (1) 学習'.replace('(1) 学習', '(2) 学習') +
        ' | 3 出前授業 | 学校で | 結果4 | 学校教育課（令和5年度より教育総務課から組織変更）',
      // A cross-listed project follows the node's own projects.
      'Ⅱ 暴力の根絶 | (1) 相談 | 4 女性相談 | 相談を受ける | 結果5 | 人権推進課',
      '^ | ^ | 3 出前授業（再掲） | 学校で | 結果4 | 学校教育課（令和5年度より教育総務課から組織変更）',
    ]);
    expect(doc.columns[4]!.header).toEqual(['令和6年度実施状況']);
    // Cross-listed rows are shown but not counted twice: A 3, B 1, C 1 over five records.
    expect(doc.tallies.total.counts).toEqual({ A: 3, B: 1, C: 1, D: 0 });
    expect(doc.tallies.byNode.map((n) => [n.label, n.tally.graded])).toEqual([
      ['Ⅰ 意識づくり', 4],
      ['Ⅱ 暴力の根絶', 1],
    ]);
  });

  it('filters by node, sub-plan and department', () => {
    const ds = dataset();
    const l = builtinLayout('narrative-status')!;
    const names = (doc: ReturnType<typeof buildReport>) =>
      doc.sheets[0]!.rows.flatMap((r) => (r.type === 'data' ? [r.cells[2]!.text] : []));
    expect(names(buildReport(ds, l, { nodeId: 3 }))).toEqual(['3 出前授業']);
    expect(names(buildReport(ds, l, { subPlanId: 9 }))).toEqual(['4 女性相談', '3 出前授業（再掲）']);
    expect(names(buildReport(ds, l, { departmentId: 200 }))).toEqual(['2 研修', '3 出前授業', '3 出前授業（再掲）']);
    expect(buildReport(ds, l, { departmentId: 200 }).tallies.total.counts).toEqual({ A: 1, B: 0, C: 1, D: 0 });
  });

  it('prints heading rows with 区分 counts, one sheet per department, and rows per record with project cells merged', () => {
    const doc = buildReport(dataset(), builtinLayout('department-sheets')!);
    expect(doc.sheets.map((s) => s.name)).toEqual(['人権推進課', '学校教育課']);
    expect(doc.sheets[1]!.title).toBe(
      'サンプル市プラン 進捗状況調査報告書(ヒアリング対象課別シート)【対象課 学校教育課】',
    );
    expect(
      texts(doc, 1).map((t) =>
        t
          .split(' | ')
          .slice(0, 2)
          .join(' | ')
          .replace(/ \| .*/, (m) => m),
      ),
    ).toEqual([
      '# 基本目標Ⅰ 意識づくり（新規:1/継続:1/充実:1/見直し:0）',
      '# 施策(1) 啓発',
      '2 | 研修',
      '^ | ^',
      '# 施策(2) 学習',
      '3 | 出前授業',
      '# 基本目標Ⅱ 暴力の根絶（新規:0/継続:1/充実:0/見直し:0）',
      '# 施策(1) 相談',
      '3 | 出前授業（再掲）',
    ]);
    expect(doc.legend!.items.map((i) => i.code)).toEqual(['A', 'B', 'C', 'D']);
    expect(doc.columns.map((c) => c.header[0])).toContain('令和7年度事業予定');
  });

  it('grades indicator lines by the scale, sums departments’ values on project rows, and shows overrides with their reason', () => {
    const rows0 = dataset({
      indicators: [
        {
          id: 1,
          projectId: 11,
          nodeId: null,
          departmentId: null,
          name: '開催回数',
          unit: '回',
          direction: 'higher',
          baselineValue: 2,
          baselineText: '2回',
          finalTargetValue: 6,
          finalTargetText: '6回',
          position: 1,
        },
        {
          id: 2,
          projectId: 12,
          nodeId: null,
          departmentId: null,
          name: '参加者数',
          unit: '人',
          direction: 'higher',
          baselineValue: null,
          baselineText: '',
          finalTargetValue: null,
          finalTargetText: '',
          position: 1,
        },
        {
          id: 3,
          projectId: 14,
          nodeId: null,
          departmentId: null,
          name: '相談待ち日数',
          unit: '日',
          direction: 'lower',
          baselineValue: null,
          baselineText: '',
          finalTargetValue: null,
          finalTargetText: '',
          position: 1,
        },
      ],
      targets: [
        { indicatorId: 1, fiscalYear: 2023, value: 4, text: '4回' },
        { indicatorId: 1, fiscalYear: 2024, value: 4, text: '4回' },
        { indicatorId: 2, fiscalYear: 2024, value: 100, text: '100人' },
        { indicatorId: 3, fiscalYear: 2024, value: 5, text: '5日' },
      ],
      actuals: [
        {
          indicatorId: 1,
          departmentId: 100,
          fiscalYear: 2024,
          value: 3,
          text: '3回',
          status: null,
        },
        {
          indicatorId: 1,
          departmentId: 100,
          fiscalYear: 2023,
          value: 2,
          text: '2回',
          status: null,
        },
        {
          indicatorId: 2,
          departmentId: 100,
          fiscalYear: 2024,
          value: 60,
          text: '60人',
          status: null,
        },
        {
          indicatorId: 2,
          departmentId: 200,
          fiscalYear: 2024,
          value: 45,
          text: '45人',
          status: null,
        },
        {
          indicatorId: 3,
          departmentId: 100,
          fiscalYear: 2024,
          value: 4,
          text: '4日',
          status: null,
        },
      ],
    });
    // 開催回数 reached 3 of 4 (○ by the rule); the department entered ◎ with its reason.
    const ds = withEvaluation(rows0, presetConfig('achievement-5')!, [
      {
        fiscalYear: 2024,
        slotKey: 'grade',
        subjectKind: 'indicator',
        subjectId: 1,
        departmentId: 100,
        code: '◎',
        level: null,
        reason: '台風で1回中止、代替で動画配信',
        comment: '',
      },
    ]);
    const doc = buildReport(ds, builtinLayout('indicator-achievement')!);
    const rows = doc.sheets[0]!.rows.filter((r) => r.type === 'data');
    const pick = (r: (typeof rows)[number]) =>
      r.type === 'data'
        ? [r.cells[6]!.text, r.cells[8]!.text, r.cells[9]!.text, r.cells[10]!.text, r.cells[10]!.note ?? '']
        : [];
    expect(rows.map(pick)).toEqual([
      ['開催回数', '3回', '3', '◎', '台風で1回中止、代替で動画配信'],
      ['参加者数', '60人', '3', '○', ''],
      ['参加者数', '45人', '2', '△', ''],
      ['', '', '', '', ''],
      // less is better: 5 days aimed at, 4 taken → 125% → 5
      ['相談待ち日数', '4日', '5', '◎', ''],
      ['', '', '', '', ''],
    ]);
    expect(rows.map((r) => (r.type === 'data' ? r.rowNumber : 0))).toEqual([1, 2, 3, 4, 5, 6]);
    // A project row sums the departments' values: 60 + 45 = 105.
    const byProject = buildReport(ds, builtinLayout('multi-year-values')!);
    const p2 = byProject.sheets[0]!.rows.find((r) => r.type === 'data' && r.projectId === 12)!;
    expect(p2.type === 'data' && p2.cells[6]).toMatchObject({ value: 105 });
    // The summary compares with last year: 開催回数 was 2 of 4 (△), now ◎ by override.
    const s = summarise(ds, 0);
    expect(s.total.tally.counts).toMatchObject({ '◎': 2, '○': 1, '△': 1 });
    expect(s.total.previous.counts).toMatchObject({ '△': 1 });
    expect(countWithChange(s.total.tally.counts['◎']!, s.total.change['◎']!)).toBe('2（前年比+2）');
    expect(s.categories.map((c) => c.counts)).toEqual([
      { 新規: 1, 継続: 1, 充実: 1, 見直し: 0 },
      { 新規: 0, 継続: 1, 充実: 0, 見直し: 0 },
    ]);
  });

  it('defuses formula cells in CSV and keeps plain numbers and dashes', () => {
    expect(['=1+1', '+81-3', '@SUM(A1)', '-2+3', '\tx', '-', '-5', '12', '講座'].map(protectCell)).toEqual([
      "'=1+1",
      "'+81-3",
      "'@SUM(A1)",
      "'-2+3",
      "'\tx",
      '-',
      '-5',
      '12',
      '講座',
    ]);
    expect(['＝SUM(A1)', '＋1', '－HYPERLINK("x")', '＠A1'].map(protectCell)).toEqual([
      "'＝SUM(A1)",
      "'＋1",
      '\'－HYPERLINK("x")',
      "'＠A1",
    ]);
    const csv = reportCsv(buildReport(dataset(), builtinLayout('narrative-status')!));
    expect(csv.split('\r\n')[0]).toBe(
      '年度（西暦）,年度（和暦）,基本目標,施策,基本目標,施策の方向,事業名称,事業内容,令和6年度実施状況,担当課',
    );
  });

  it('refuses a layout whose node column names no level, naming the column', () => {
    const r = layoutInput.safeParse({
      name: 'x',
      hierarchy: 'columns',
      rowUnit: 'project',
      grouping: 'tree',
      columns: [
        { key: 'projectName', header: ['事業'], width: 10 },
        { key: 'node', header: ['体系'], width: 10 },
      ],
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toBe('2列目は体系の列です。階層を選んでください');
    expect(layoutInput.safeParse({ ...layout({}), name: 'ok' }).success).toBe(true);
  });
});
