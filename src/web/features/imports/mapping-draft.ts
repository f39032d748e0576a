import type { ImportField, ImportMapping } from '../../../domain/import/mapping.js';

/** What a column holds in a new mapping: nothing, a level of the tree (by index), a field, or a plan's extra field (by key). */
export type ColumnUse = '' | `level${number}` | ImportField | `custom:${string}`;

/**
 * The mapping the editor describes: the header row's first words to recognise the table by, the levels
 * that have a name and a column, and the columns given a field.
 */
export function draftMapping(
  headerCells: string[],
  name: string,
  levelNames: string[],
  uses: ColumnUse[],
): ImportMapping {
  return {
    name: name || '新しい取り込み設定',
    label: '',
    headerWords: headerCells
      .map((c) => c.trim())
      .filter(Boolean)
      .slice(0, 8),
    extraHeaderRows: 0,
    levels: levelNames
      .map((n, i) => ({ name: n.trim(), column: uses.findIndex((u) => u === `level${i}`) }))
      .filter((l) => l.name && l.column >= 0),
    columns: Object.fromEntries(
      uses.flatMap((u, column) => (u && !u.startsWith('level') && !u.startsWith('custom:') ? [[u, column]] : [])),
    ),
    customColumns: Object.fromEntries(
      uses.flatMap((u, column) => (u.startsWith('custom:') ? [[u.slice('custom:'.length), column]] : [])),
    ),
    numberInName: false,
  };
}
