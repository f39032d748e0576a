import { describe, expect, it } from 'vitest';
import { buildReport } from './build.js';
import { builtinLayout, layoutInput } from './layout.js';
import { dataset, indicator, withEvaluation } from './sample-dataset.test-support.js';
import { presetConfig } from '../evaluation/presets.js';
import type { ReportRow } from './types.js';

const text = (rows: ReportRow[]) =>
  rows.map((r) => (r.type === 'section' ? `# ${r.text}` : r.cells.map((c) => c.text).join(' | ')));

describe('one sheet per project (事業評価シート)', () => {
  const ds = dataset({
    indicators: [indicator()],
    targets: [{ indicatorId: 1, fiscalYear: 2024, value: 4, text: '4回' }],
    actuals: [{ indicatorId: 1, departmentId: 100, fiscalYear: 2024, value: 3, text: '3回', status: null, parts: [] }],
  });

  it('prints a form per project: its place as headings, then each column as a label with its value', () => {
    // Graded by the ratio of the actual to the target: 3回 of 4回 is 75%, level 3, ○.
    const doc = buildReport(withEvaluation(ds, presetConfig('achievement-5')!), builtinLayout('project-sheet')!);
    expect(doc.columns.map((c) => [c.key, c.header])).toEqual([
      ['label', ['項目']],
      ['value', ['内容']],
    ]);
    // Every project once, in the plan's order; a cross-listed one (再掲) is not printed twice.
    expect(doc.sheets.map((s) => [s.name, s.title])).toEqual([
      ['事業1', '1 講座'],
      ['事業2', '2 研修'],
      ['事業3', '3 出前授業'],
      ['事業4', '4 女性相談'],
    ]);
    expect(text(doc.sheets[0]!.rows)).toEqual([
      '# 基本目標 Ⅰ 意識づくり',
      '# 施策 (1) 啓発',
      '事業番号 | 1',
      '事業名 | 講座',
      '区分 | 継続',
      '担当課 | 人権推進課',
      '事業概要 | 講座を開く',
      '令和6年度事業予定 | 予定1',
      '令和6年度実績・取組状況 | 結果1',
      '活動指標 | 開催回数',
      '目標 | 4回',
      '実績 | 3回',
      '達成率 | 75%',
      '評価 | □◎ ■○ □△ □× □—',
      '評価の理由 | ',
      '令和7年度事業予定 | ',
    ]);
    // A plain number keeps its number; a value with a unit or a percent stays as printed.
    const cell = (label: string) => {
      const row = doc.sheets[0]!.rows.find((r) => r.type === 'data' && r.cells[0]!.text === label);
      return row?.type === 'data' ? row.cells[1] : undefined;
    };
    expect(cell('事業番号')).toMatchObject({ text: '1', value: 1 });
    expect(cell('実績')).toMatchObject({ text: '3回', value: null });
    expect(cell('達成率')).toMatchObject({ text: '75%', value: null });
  });

  it('gives each department its own line where their answers differ', () => {
    const doc = buildReport(ds, builtinLayout('project-sheet')!);
    const shared = text(doc.sheets[1]!.rows);
    expect(shared).toContain('担当課 | 人権推進課\n学校教育課（令和5年度より教育総務課から組織変更）');
    expect(shared).toContain('事業概要 | 研修する');
    expect(shared).toContain('令和6年度実績・取組状況（人権推進課） | 結果2');
    expect(shared).toContain('令和6年度実績・取組状況（学校教育課） | 結果3');
    expect(shared).toContain('評価（人権推進課） | □A ■B □C □D');
    expect(shared).toContain('評価（学校教育課） | ■A □B □C □D');
  });

  it('is a layout a municipality can write: grouping by project, with any columns', () => {
    const layout = layoutInput.parse({
      name: '個票',
      hierarchy: 'sections',
      rowUnit: 'record',
      grouping: 'project',
      columns: [
        { key: 'rowNumber', header: ['No.'], width: 4 },
        { key: 'projectName', header: ['事業'], width: 20 },
        { key: 'resultText', header: ['{year-1}実績'], width: 30, yearOffset: -1 },
      ],
    });
    const doc = buildReport(ds, layout);
    // The running number says nothing on a form; last year's text is read for its year.
    expect(text(doc.sheets[0]!.rows).slice(2)).toEqual(['事業 | 講座', '令和5年度実績 | 結果6']);
  });
});

describe('heading rows', () => {
  it('count the printed slot’s codes under each heading with {grades}, each answer once', () => {
    const layout = layoutInput.parse({
      name: '見出しの評価',
      hierarchy: 'sections',
      sectionFormats: ['{number} {title}（{count}事業 {grades}）', '{number} {title} {grades}'],
      rowUnit: 'record',
      grouping: 'tree',
      columns: [{ key: 'projectName', header: ['事業'], width: 20 }],
    });
    const doc = buildReport(dataset(), layout);
    const headings = doc.sheets[0]!.rows.flatMap((r) => (r.type === 'section' ? [r.text] : []));
    // Ⅰ: 講座 A, 研修 B and A, 出前授業 C; Ⅱ: 女性相談 A (出前授業 listed again there is not counted twice).
    expect(headings).toEqual([
      'Ⅰ 意識づくり（3事業 A2 B1 C1 D0）',
      '(1) 啓発 A2 B1 C0 D0',
      '(2) 学習 A0 B0 C1 D0',
      'Ⅱ 暴力の根絶（1事業 A1 B0 C0 D0）',
      '(1) 相談 A1 B0 C0 D0',
    ]);
  });
});
