import type { ImportMapping } from './mapping.js';

/**
 * Mappings for report layouts met in practice, named after the layout. The coordinator can copy
 * and adjust any of them; the acceptance suite imports the real reports with them.
 */
export const BUILTIN_MAPPINGS: ImportMapping[] = [
  {
    name: 'indicator-achievement',
    label:
      '事業評価：主要課題・施策・施策No.・施策の内容・主な取組・事業予定・活動指標・目標・実績・達成度・最終評価・備考・担当部署・通し番号',
    headerWords: ['主要課題', '施策', '主な取組', '活動指標', '目標', '最終実績', '達成度', '最終評価', '担当部署'],
    extraHeaderRows: 0,
    levels: [
      { name: '主要課題', column: 0 },
      { name: '施策', column: 1 },
      { name: '施策の内容', column: 2, titleColumn: 3, numberHeading: '施策 No.' },
    ],
    columns: {
      projectName: 4,
      planText: 5,
      indicator: 6,
      target: 7,
      actual: 8,
      achievement: 9,
      grade: 10,
      remarks: 11,
      department: 12,
      projectNumber: 13,
    },
    numberInName: false,
    continueWhenNameBlank: true,
    ignore: ['^資料\\s*[0-9]', '時点$', '事業最終評価$'],
  },
  {
    name: 'narrative-status',
    label: '実施状況（文章）の一覧：基本目標・施策の方向・事業名称・事業内容・実施状況・担当課',
    headerWords: ['基本目標', '施策の方向', '事業名称', '事業内容', '担当課'],
    extraHeaderRows: 0,
    levels: [
      { name: '基本目標', column: 0 },
      { name: '施策の方向', column: 1 },
    ],
    columns: { projectName: 2, summary: 3, resultText: 4, department: 5 },
    numberInName: true,
  },
  {
    name: 'department-sheets',
    label:
      '対象課別シート：事業名・事業概要・区分・対象者・主管課・事業予定・事業実績・評価・翌年度予定（見出し行で基本目標・基本施策・施策）',
    headerWords: ['事業名', '事業概要', '区分', '事業の対象者', '主管課'],
    extraHeaderRows: 0,
    levels: [
      { name: '基本目標', column: -1 },
      { name: '基本施策', column: -1 },
      { name: '施策', column: -1 },
    ],
    columns: {
      projectNumber: 0,
      projectName: 1,
      summary: 2,
      category: 3,
      audience: 4,
      department: 5,
      planText: 6,
      resultText: 7,
      grade: 8,
      nextYearPlan: 9,
    },
    numberInName: false,
    sections: [
      // 「基本目標Ⅱ …（新規:0/継続:24/充実:10/見直し:1）」: the counts are printed, not data.
      { level: 0, pattern: '^基本目標\\s*(?<number>[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+)\\s*(?<title>.+?)\\s*(?:[（(]\\s*新規.*)?$' },
      { level: 1, pattern: '^基本施策\\s*(?<number>[0-9０-９]+)\\s*(?<title>.+)$' },
      { level: 2, pattern: '^(?<number>[(（]\\s*[0-9０-９]+\\s*[)）])\\s*(?<title>.+)$' },
    ],
    ignore: ['^[A-D][:：]', '^<.*評価>$', '^【評価基準について】$', '報告書.*【対象課'],
  },
  {
    name: 'multi-year-values',
    label:
      '事業実績一覧：施策の方向・基本事業・事業・担当課・現状値・前年度実績・今年度実績・取組状況（見出し行で基本目標）',
    headerWords: ['施策の方向', '基本事業', '事業', '担当課', '現状値', '実績値'],
    extraHeaderRows: 1,
    levels: [
      { name: '基本目標', column: -1 },
      { name: '施策の方向', column: -1 },
      { name: '基本事業', column: -1 },
    ],
    columns: {
      projectNumber: 1,
      projectName: 2,
      department: 3,
      baseline: 4,
      previousActual: 5,
      actual: 6,
      resultText: 7,
    },
    numberInName: false,
    indicatorInName: '【数値目標】',
    sections: [
      { level: 0, pattern: '^基本目標\\s*(?<number>[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+)\\s*(?<title>.+)$' },
      { level: 1, pattern: '^(?<number>[(（]\\s*[0-9０-９]+\\s*[)）])\\s*(?<title>.+)$' },
      { level: 2, pattern: '^(?<number>[①-⑳])\\s*(?<title>.+)$' },
    ],
    ignore: ['^資料\\s*[0-9]', '^体系一覧', '^～.*～$', '事業実績一覧'],
  },
];

export function builtinMapping(name: string): ImportMapping | undefined {
  return BUILTIN_MAPPINGS.find((m) => m.name === name);
}
