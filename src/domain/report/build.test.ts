import { describe, expect, it } from 'vitest';
import { presetConfig } from '../evaluation/presets.js';
import { buildReport } from './build.js';
import { codeCounts, dataset, indicator, selfGrade, withEvaluation } from './sample-dataset.test-support.js';
import { reportCsv, protectCell } from './csv.js';
import { builtinLayout, layoutInput, type ReportLayout } from './layout.js';
import { layoutYears } from './columns.js';
import { printedRows } from './table-data.js';
import { countWithChange, summarise } from './summary.js';
import { countOf } from './evaluation.js';

const layout = (patch: Partial<ReportLayout>): ReportLayout => ({ ...builtinLayout('narrative-status')!, ...patch });
const texts = (doc: ReturnType<typeof buildReport>, sheet = 0) =>
  doc.sheets[sheet]!.rows.map((r) =>
    r.type === 'section' ? `# ${r.text}` : r.cells.map((c) => (c.span === 0 ? '^' : c.text)).join(' | '),
  );

/** An indicator line with neither a baseline nor a final target. */
const NO_TERMS = { baselineValue: null, baselineText: '', finalTargetValue: null, finalTargetText: '' };

describe('report documents', () => {
  it("prints the plan's own level names over tree columns, and a level's number heading over its number column", () => {
    const columns = layoutInput.parse({
      name: 'headings',
      hierarchy: 'columns',
      rowUnit: 'project',
      grouping: 'tree',
      columns: [
        { key: 'node', depth: 0, header: ['{level:0}'], width: 10 },
        { key: 'nodeNumber', depth: 1, header: ['{levelNo:1}'], width: 4 },
        { key: 'nodeTitle', depth: 1, header: ['{level:1}'], width: 10 },
        { key: 'nodeNumber', depth: 0, header: ['{levelNo:0}'], width: 4 },
      ],
    });
    const named = dataset();
    named.levels = named.levels.map((l) =>
      l.depth === 1 ? { ...l, name: '施策の内容', numberHeading: '施策 No.' } : l,
    );
    expect(buildReport(named, { ...layout({}), ...columns }).columns.map((c) => c.header[0])).toEqual([
      '基本目標',
      '施策 No.',
      '施策の内容',
      // Without a heading of its own: the level's name and No.
      '基本目標No.',
    ]);
    // The built-in layout speaks the plan's words, not another document's.
    const builtin = buildReport(dataset(), builtinLayout('indicator-achievement')!).columns.map((c) => c.header[0]);
    expect(builtin.slice(0, 2)).toEqual(['基本目標', '施策']);
    expect(builtin.join(' ')).not.toMatch(/主要課題|施策 No\.|施策の内容/);
  });

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
    expect(doc.tallies.total.counts).toEqual(codeCounts({ A: 3, B: 1, C: 1, D: 0 }));
    expect(doc.tallies.byNode.map((n) => [n.label, n.tally.graded])).toEqual([
      ['Ⅰ 意識づくり', 4],
      ['Ⅱ 暴力の根絶', 1],
    ]);
  });

  it("lists counts in the scale's order in JSON too, numeric codes included (4 3 2 1, not 1 2 3 4)", () => {
    const ds = dataset();
    const digit: Record<string, string> = { A: '4', B: '3', C: '2', D: '1' };
    const renamed = (code: string | null) => (code === null ? null : (digit[code] ?? code));
    const config = structuredClone(ds.evaluation.config);
    for (const scale of config.scales) scale.grades = scale.grades.map((g) => ({ ...g, code: renamed(g.code)! }));
    const numeric = {
      ...ds,
      evaluation: { config, values: ds.evaluation.values.map((v) => ({ ...v, code: renamed(v.code) })) },
    };
    const doc = buildReport(numeric, layout({}));
    const sent = JSON.parse(JSON.stringify(doc.tallies)) as typeof doc.tallies;
    expect(sent.total.counts.map((c) => [c.code, c.count])).toEqual([
      ['4', 3],
      ['3', 1],
      ['2', 1],
      ['1', 0],
    ]);
    expect(sent.byNode[0]!.tally.counts.map((c) => c.code)).toEqual(['4', '3', '2', '1']);
  });

  it('filters by node, sub-plan and department', () => {
    const ds = dataset();
    const l = builtinLayout('narrative-status')!;
    const names = (doc: ReturnType<typeof buildReport>) =>
      doc.sheets[0]!.rows.flatMap((r) => (r.type === 'data' ? [r.cells[2]!.text] : []));
    expect(names(buildReport(ds, l, { nodeId: 3 }))).toEqual(['3 出前授業']);
    expect(names(buildReport(ds, l, { subPlanId: 9 }))).toEqual(['4 女性相談', '3 出前授業（再掲）']);
    expect(names(buildReport(ds, l, { departmentId: 200 }))).toEqual(['2 研修', '3 出前授業', '3 出前授業（再掲）']);
    expect(buildReport(ds, l, { departmentId: 200 }).tallies.total.counts).toEqual(
      codeCounts({ A: 1, B: 0, C: 1, D: 0 }),
    );
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
        indicator(),
        indicator({ id: 2, projectId: 12, name: '参加者数', unit: '人', ...NO_TERMS }),
        indicator({ id: 3, projectId: 14, name: '相談待ち日数', unit: '日', direction: 'lower', ...NO_TERMS }),
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
          parts: [],
        },
        {
          indicatorId: 1,
          departmentId: 100,
          fiscalYear: 2023,
          value: 2,
          text: '2回',
          status: null,
          parts: [],
        },
        {
          indicatorId: 2,
          departmentId: 100,
          fiscalYear: 2024,
          value: 60,
          text: '60人',
          status: null,
          parts: [],
        },
        {
          indicatorId: 2,
          departmentId: 200,
          fiscalYear: 2024,
          value: 45,
          text: '45人',
          status: null,
          parts: [],
        },
        {
          indicatorId: 3,
          departmentId: 100,
          fiscalYear: 2024,
          value: 4,
          text: '4日',
          status: null,
          parts: [],
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
    // With a department's A〜D self-evaluation of the answer listed first, a report of indicator lines still prints
    // the lines' slot under 達成度 and 評価 (the self-evaluation is printed where the rows are answers).
    const achievement = presetConfig('achievement-5')!;
    const manual = presetConfig('manual-a-d')!;
    const selfFirst = withEvaluation(
      rows0,
      { scales: [...manual.scales, ...achievement.scales], slots: [...manual.slots, ...achievement.slots] },
      [
        { ...selfGrade(2024, 11, 100, 'D') },
        {
          ...{ fiscalYear: 2024, slotKey: 'grade', subjectKind: 'indicator', subjectId: 1, departmentId: 100 },
          ...{ code: '◎', level: null, reason: '台風で1回中止、代替で動画配信', comment: '' },
        },
      ],
    );
    const lines = buildReport(selfFirst, builtinLayout('indicator-achievement')!);
    expect(lines.sheets[0]!.rows.filter((r) => r.type === 'data').map(pick)).toEqual(rows.map(pick));
    expect(lines.tallies.codes).toEqual(['◎', '○', '△', '×']);
    const answers = buildReport(selfFirst, builtinLayout('department-sheets')!);
    expect(answers.tallies.codes).toEqual(['A', 'B', 'C', 'D']);
    // A project row sums the departments' values: 60 + 45 = 105.
    const byProject = buildReport(ds, builtinLayout('multi-year-values')!);
    const p2 = byProject.sheets[0]!.rows.find((r) => r.type === 'data' && r.projectId === 12)!;
    expect(p2.type === 'data' && p2.cells[6]).toMatchObject({ value: 105 });
    // The summary compares with last year: 開催回数 was 2 of 4 (△), now ◎ by override.
    const s = summarise(ds, 0);
    expect(s.hasPrevious).toBe(true);
    expect(summarise({ ...ds, records: ds.records.filter((r) => r.fiscalYear === 2024) }, 0).hasPrevious).toBe(false);
    // Counts are lists in the scale's order (JSON keeps it), counted codes first.
    expect(s.total.tally.counts.map((c) => [c.code, c.count])).toEqual([
      ['◎', 2],
      ['○', 1],
      ['△', 1],
      ['×', 0],
    ]);
    expect(countOf(s.total.previous.counts, '△')).toBe(1);
    expect(countWithChange(countOf(s.total.tally.counts, '◎'), countOf(s.total.change, '◎'))).toBe('2（前年比+2）');
    expect(s.categories.map((c) => c.counts)).toEqual([
      { 新規: 1, 継続: 1, 充実: 1, 見直し: 0 },
      { 新規: 0, 継続: 1, 充実: 0, 見直し: 0 },
    ]);
  });

  it('sums up every tallied slot in its own scale, with points, per node and in total', () => {
    // The department's A〜D and the coordinating section's A〜D on answers, the council's ★ on 施策; 総評 is not tallied.
    const entry = (
      slotKey: string,
      subjectKind: 'record' | 'node',
      subjectId: number,
      departmentId: number,
      code: string,
    ) => ({
      ...{ fiscalYear: 2024, slotKey, subjectKind, subjectId, departmentId, code },
      ...{ level: null, reason: '', comment: '' },
    });
    const ds = withEvaluation(dataset(), presetConfig('council-stars')!, [
      entry('self', 'record', 11, 100, 'A'),
      entry('self', 'record', 12, 100, 'B'),
      entry('self', 'record', 12, 200, 'A'),
      entry('self', 'record', 14, 100, 'C'),
      entry('coord', 'record', 11, 100, 'B'),
      entry('coord', 'record', 14, 100, 'D'),
      entry('council', 'node', 2, 0, '★★★'),
      entry('council', 'node', 3, 0, '★'),
      entry('council', 'node', 5, 0, '★★'),
    ]);
    const slots = summarise(ds, 0).slots;
    expect(slots.map((s) => s.slotKey)).toEqual(['self', 'coord', 'council']);
    const [self, coord, council] = slots;
    expect(self!.total.counts.map((c) => [c.code, c.count])).toEqual([
      ['A', 2],
      ['B', 1],
      ['C', 1],
      ['D', 0],
    ]);
    // 出前授業 (学校教育課) has no self-evaluation yet.
    expect(self!.total).toMatchObject({ graded: 4, ungraded: 1, points: { total: 13, scored: 4, average: 3.25 } });
    expect(self!.byNode.map((n) => [n.label, n.tally.graded, n.tally.points.total])).toEqual([
      ['Ⅰ 意識づくり', 3, 11],
      ['Ⅱ 暴力の根絶', 1, 2],
    ]);
    expect(coord!.total).toMatchObject({ graded: 2, ungraded: 3, points: { total: 4, average: 2 } });
    // The council's stars, counted in their own order with 3/2/1 points, under the 基本目標 each 施策 belongs to.
    expect(council!.codes.map((c) => c.code)).toEqual(['★★★', '★★', '★']);
    expect(council!.byNode.map((n) => n.tally.counts.map((c) => c.count))).toEqual([
      [1, 0, 1],
      [0, 1, 0],
    ]);
    expect(council!.total.points).toEqual({ total: 6, scored: 3, average: 2 });
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
      '年度（西暦）,年度（和暦）,基本目標,施策,基本目標（2）,施策（2）,事業名称,事業内容,令和6年度実施状況,担当課',
    );
  });

  it("prints an answer's hand grade on each of its indicator rows where the slot grades answers, and counts it once", () => {
    // The default configuration: each answer graded A〜D by its department (講座 by 人権推進課: A).
    const ds = dataset({ indicators: [indicator(), indicator({ id: 2, name: '参加者数', unit: '人', position: 2 })] });
    const perIndicator = layoutInput.parse({
      name: '指標ごと',
      hierarchy: 'columns',
      rowUnit: 'indicator',
      grouping: 'tree',
      columns: [
        { key: 'projectName', header: ['事業'], width: 10 },
        { key: 'indicator', header: ['指標'], width: 20 },
        { key: 'grade', header: ['評価'], width: 8 },
      ],
    });
    const doc = buildReport(ds, perIndicator);
    const rows = doc.sheets[0]!.rows.flatMap((r) => (r.type === 'data' ? [r.cells.map((c) => c.text)] : []));
    expect(rows.filter((r) => r[0] === '講座')).toEqual([
      ['講座', '開催回数', 'A'],
      ['講座', '参加者数', 'A'],
    ]);
    // Two rows print the answer's grade; the tallies count the answer once, as before: A 3, B 1, C 1 of five answers.
    expect(doc.tallies.total.counts).toEqual(codeCounts({ A: 3, B: 1, C: 1, D: 0 }));
    expect(doc.tallies.total.graded).toBe(5);
  });

  it('prints each evaluation slot a column names in its own column, side by side with the printed one', () => {
    const actual = (fiscalYear: number, value: number) => ({
      indicatorId: 1,
      departmentId: 100,
      fiscalYear,
      value,
      text: `${value}回`,
      status: null,
      parts: [],
    });
    const ds = withEvaluation(
      dataset({
        indicators: [indicator()],
        targets: [{ indicatorId: 1, fiscalYear: 2024, value: 4, text: '4回' }],
        actuals: [actual(2023, 5), actual(2024, 3)],
      }),
      presetConfig('dual-target-trend')!,
    );
    const sideBySide = layoutInput.parse({
      name: '二つの判定',
      hierarchy: 'columns',
      rowUnit: 'indicator',
      grouping: 'tree',
      columns: [
        { key: 'indicator', header: ['指標'], width: 20 },
        { key: 'actual', header: ['実績'], width: 8 },
        { key: 'grade', header: ['目標に対して'], width: 8 },
        { key: 'grade', header: ['前年度に対して'], width: 8, slot: 'trend' },
        { key: 'grade', header: ['ない項目'], width: 8, slot: 'council' },
      ],
    });
    const doc = buildReport(ds, sideBySide);
    expect(doc.columns.map((c) => c.key)).toEqual(['indicator', 'actual', 'grade', 'grade@trend', 'grade@council']);
    const row = doc.sheets[0]!.rows.find((r) => r.type === 'data' && r.cells[0]!.text === '開催回数')!;
    // 3 of 4 is short of the target, and fewer than last year's 5.
    expect(row.type === 'data' && row.cells.slice(2).map((c) => c.text)).toEqual(['未達成', '悪化', '']);
    expect(row.type === 'data' && row.cells[3]!.speech).toContain('悪化');
    expect(
      layoutInput.safeParse({ ...sideBySide, columns: [{ key: 'actual', header: ['実績'], width: 8, slot: 'trend' }] })
        .error?.issues[0]?.message,
    ).toBe('1列目: 評価の項目を選べるのは評価・達成度・評価の理由・達成率・点数の列だけです');
  });

  it('prints any year’s values and texts, the unit, the computed %, points, 重点 and 関連計画 marks and the council’s remarks', () => {
    const base = dataset();
    const line = (fiscalYear: number, value: number) => ({
      indicatorId: 1,
      departmentId: 100,
      fiscalYear,
      value,
      text: `${value}回`,
      status: null,
      parts: [],
    });
    const ds = withEvaluation(
      {
        ...base,
        nodes: base.nodes.map((n) => (n.id === 1 ? { ...n, priority: true } : n)),
        indicators: [indicator()],
        targets: [
          { indicatorId: 1, fiscalYear: 2022, value: 3, text: '3回' },
          { indicatorId: 1, fiscalYear: 2024, value: 6, text: '6回' },
        ],
        actuals: [line(2020, 1), line(2022, 2), line(2023, 4), line(2024, 5)],
        records: [...base.records, { ...base.records[0]!, id: 99, fiscalYear: 2022, resultText: '講座を2回開いた' }],
        comments: [
          {
            projectId: 11,
            fiscalYear: 2024,
            body: '参加者の声を',
            at: '2025-02-03T01:00:00.000Z',
            answers: [{ departmentName: '人権推進課', body: 'アンケートを取ります', at: '2025-02-10T01:00:00.000Z' }],
          },
          { projectId: 11, fiscalYear: 2023, body: '前年度の意見', at: '2024-02-01T01:00:00.000Z', answers: [] },
        ],
      },
      presetConfig('achievement-5')!,
    );
    const wide = layoutInput.parse({
      name: '経年',
      hierarchy: 'columns',
      rowUnit: 'indicator',
      grouping: 'tree',
      columns: [
        { key: 'nodeTitle', depth: 0, header: ['基本目標'], width: 10 },
        { key: 'priority', depth: 0, header: ['重点'], width: 4, mark: '重点' },
        { key: 'subPlans', header: ['関連計画'], width: 8 },
        { key: 'projectName', header: ['事業'], width: 10 },
        { key: 'indicator', header: ['指標'], width: 10 },
        { key: 'unit', header: ['単位'], width: 4 },
        { key: 'baseline', header: ['現状値'], width: 6 },
        { key: 'actual', fiscalYear: 2020, header: ['{year-4:西暦}'], width: 6 },
        { key: 'actual', yearOffset: -2, header: ['{year-2:略}実績'], width: 6 },
        { key: 'target', yearOffset: -2, header: ['{year-2:和暦}目標'], width: 6 },
        { key: 'actual', header: ['{year}実績'], width: 6 },
        { key: 'target', header: ['目標'], width: 6 },
        { key: 'ratio', digits: 1, header: ['達成率'], width: 6 },
        { key: 'points', header: ['点'], width: 4 },
        { key: 'grade', header: ['評価'], width: 4 },
        { key: 'resultText', yearOffset: -2, header: ['{year-2}の実績'], width: 20 },
        { key: 'councilComments', header: ['審議会'], width: 20 },
      ],
    });
    expect(layoutYears(wide.columns, 2024)).toEqual([2020, 2022]);
    // A report reads the answers only of the years whose texts it prints, the values of those whose values it prints.
    expect(layoutYears(wide.columns, 2024, 'answers')).toEqual([2022]);
    expect(layoutYears(wide.columns, 2024, 'values')).toEqual([2020, 2022]);
    const doc = buildReport(ds, wide);
    expect(doc.columns.map((c) => c.header[0])).toEqual([
      '基本目標',
      '重点',
      '関連計画',
      '事業',
      '指標',
      '単位',
      '現状値',
      '2020年度',
      'R4実績',
      '令和4年度目標',
      '令和6年度実績',
      '目標',
      '達成率',
      '点',
      '評価',
      '令和4年度の実績',
      '審議会',
    ]);
    expect(doc.columns.slice(7, 10).map((c) => c.key)).toEqual(['actual#2020', 'actual#-2', 'target#-2']);
    const rows = doc.sheets[0]!.rows.filter((r) => r.type === 'data');
    const first = rows[0]!;
    if (first.type !== 'data') throw new Error('a data row was expected');
    // 5 of 6: 83.3% → 達成度4 → ◎, 4 points.
    expect(first.cells.map((c) => c.text)).toEqual([
      '意識づくり',
      '重点',
      '',
      '講座',
      '開催回数',
      '回',
      '2回',
      '1回',
      '2回',
      '3回',
      '5回',
      '6回',
      '83.3%',
      '4',
      '◎',
      '講座を2回開いた',
      '【意見 令和7年2月3日】参加者の声を\n【回答 人権推進課 令和7年2月10日】アンケートを取ります',
    ]);
    expect(first.cells[12]).toMatchObject({ value: 83.3 });
    expect(first.cells[13]).toMatchObject({ value: 4 });
    // Under Ⅱ, tagged with the DV sub-plan: its name, and no 重点 mark.
    const dv = rows.find((r) => r.type === 'data' && r.cells[0]!.text === '暴力の根絶')!;
    expect(dv.type === 'data' && [dv.cells[1]!.text, dv.cells[2]!.text]).toEqual(['', 'DV防止計画']);
    const refused = layoutInput.safeParse({
      ...wide,
      columns: [{ key: 'indicator', header: ['指標'], width: 8, yearOffset: -1 }],
    });
    expect(refused.error?.issues[0]?.message).toBe('1列目: 年度を選べるのは実績・目標・記述・審議会の意見の列だけです');
  });

  it('prints parts of a value, marks an override, leaves out rows without a line, and heads sections with counts and node evaluations', () => {
    const base = dataset();
    const ds = withEvaluation(
      {
        ...base,
        indicators: [
          indicator({
            name: '参加者数',
            unit: '人',
            baselineValue: null,
            baselineText: '',
            finalTargetValue: null,
            finalTargetText: '',
          }),
        ],
        targets: [{ indicatorId: 1, fiscalYear: 2024, value: 20, text: '20人' }],
        actuals: [
          {
            indicatorId: 1,
            departmentId: 100,
            fiscalYear: 2024,
            value: 22,
            text: '22人',
            status: null,
            parts: [
              { label: '女性', value: 12, text: '12人' },
              { label: '男性', value: 10, text: '10人' },
            ],
          },
        ],
      },
      presetConfig('achievement-5')!,
      [
        {
          fiscalYear: 2024,
          slotKey: 'grade',
          subjectKind: 'indicator',
          subjectId: 1,
          departmentId: 100,
          code: '○',
          level: null,
          reason: '男性の参加が少ない',
          comment: '',
        },
      ],
    );
    const parts = layoutInput.parse({
      name: '男女別',
      hierarchy: 'sections',
      sectionFormats: ['{name}{number} {title}（{count}事業）'],
      rowUnit: 'indicator',
      emptyRows: 'omit',
      grouping: 'tree',
      columns: [
        { key: 'projectName', header: ['事業'], width: 10 },
        { key: 'actual', header: ['合計'], width: 6 },
        { key: 'actual', part: '女性', header: ['女性'], width: 6 },
        { key: 'actual', part: '男性', header: ['男性'], width: 6 },
        { key: 'actual', parts: true, header: ['内訳つき'], width: 10 },
        { key: 'grade', header: ['評価'], width: 4 },
        { key: 'overrideMark', header: [''], width: 2 },
        { key: 'grade', header: ['評価（選択肢）'], width: 12, choices: true },
      ],
    });
    const doc = buildReport(ds, parts);
    const rows = doc.sheets[0]!.rows;
    // Only 講座 has a line: the other projects' rows are left out, and headings with nothing under them.
    expect(rows.filter((r) => r.type === 'data')).toHaveLength(1);
    expect(rows.filter((r) => r.type === 'section').map((r) => r.type === 'section' && r.text)).toEqual([
      '基本目標Ⅰ 意識づくり（3事業）',
      '(1) 啓発',
    ]);
    const row = rows.find((r) => r.type === 'data')!;
    expect(row.type === 'data' && row.cells.map((c) => c.text)).toEqual([
      '講座',
      '22人',
      '12人',
      '10人',
      '22人\n女性 12人\n男性 10人',
      '○',
      '※',
      '□◎ ■○ □△ □× □—',
    ]);
    expect(row.type === 'data' && row.cells[2]).toMatchObject({ value: 12 });
    // On a project row the departments' parts add up label by label, as their values do.
    const shared = (departmentId: number, women: number, men: number) => ({
      indicatorId: 2,
      departmentId,
      fiscalYear: 2024,
      value: women + men,
      text: `${women + men}人`,
      status: null,
      parts: [
        { label: '女性', value: women, text: `${women}人` },
        { label: '男性', value: men, text: `${men}人` },
      ],
    });
    const byProject = buildReport(
      {
        ...ds,
        indicators: [...ds.indicators, { ...ds.indicators[0]!, id: 2, projectId: 12 }],
        actuals: [...ds.actuals, shared(100, 5, 3), shared(200, 4, 6)],
      },
      { ...parts, rowUnit: 'project', columns: parts.columns.slice(0, 4) },
    );
    const p12 = byProject.sheets[0]!.rows.find((r) => r.type === 'data' && r.projectId === 12)!;
    expect(p12.type === 'data' && p12.cells.map((c) => c.text)).toEqual(['研修', '18人', '9人', '9人']);
    const kept = buildReport(ds, { ...parts, emptyRows: 'keep' });
    expect(kept.sheets[0]!.rows.filter((r) => r.type === 'data').length).toBeGreaterThan(1);

    // A council's stars and the coordinator's 総評 on the headings, from the node slots.
    const stars = withEvaluation(
      { ...base, evaluation: { config: presetConfig('council-stars')!, values: [] } },
      presetConfig('council-stars')!,
      [
        {
          fiscalYear: 2024,
          slotKey: 'council',
          subjectKind: 'node',
          subjectId: 2,
          departmentId: 0,
          code: '★★',
          level: null,
          reason: '',
          comment: '',
        },
        {
          fiscalYear: 2024,
          slotKey: 'summary',
          subjectKind: 'node',
          subjectId: 1,
          departmentId: 0,
          code: null,
          level: null,
          reason: '',
          comment: '啓発は順調',
        },
      ],
    );
    const headed = buildReport(stars, {
      ...parts,
      emptyRows: 'keep',
      sectionFormats: ['{number} {title} 総評：{comment:summary}', '{number} {title} {grade:council}'],
      columns: [{ key: 'projectName', header: ['事業'], width: 10 }],
    });
    const headings = headed.sheets[0]!.rows.filter((r) => r.type === 'section').map(
      (r) => r.type === 'section' && r.text,
    );
    expect(headings.slice(0, 3)).toEqual(['Ⅰ 意識づくり 総評：啓発は順調', '(1) 啓発 ★★', '(2) 学習']);
  });

  it('writes each CSV and JSON header once: a column named like a level gets its count', () => {
    const doc = buildReport(
      dataset(),
      layoutInput.parse({
        name: 'x',
        hierarchy: 'columns',
        rowUnit: 'project',
        grouping: 'tree',
        columns: [
          { key: 'node', depth: 1, header: ['施策'], width: 10 },
          { key: 'projectName', header: ['事業'], width: 10 },
        ],
      }),
    );
    const header = reportCsv(doc).split('\r\n')[0]!;
    expect(header.split(',')).toEqual(['年度（西暦）', '年度（和暦）', '基本目標', '施策', '施策（2）', '事業']);
    expect(Object.keys(printedRows(doc)[0]!)).toContain('施策（2）');
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
