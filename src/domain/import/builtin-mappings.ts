import type { ImportMapping } from './mapping.js';

/**
 * Mappings for report layouts met in practice, named after the layout. The coordinator can copy
 * and adjust any of them; the acceptance suite imports the real reports with them.
 */
export const BUILTIN_MAPPINGS: ImportMapping[] = [
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
];

export function builtinMapping(name: string): ImportMapping | undefined {
  return BUILTIN_MAPPINGS.find((m) => m.name === name);
}
