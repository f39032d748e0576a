import type { CellMaker } from './cells.js';
import { printsUnit, type ReportColumn } from './columns.js';
import type { LayoutColumn, ReportLayout } from './layout.js';
import type { Line } from './lines.js';
import type { ReportIndex } from './report-index.js';
import type { ReportCell, ReportRow, ReportSheet } from './types.js';

/**
 * One sheet per project, as a form (事業評価シート): the project's place in the plan as heading rows,
 * then one line per column of the layout — its header as the label, the project's value beside it.
 * Where the project's rows differ in a column (one per department or indicator), each gets its own
 * line, named by the department or indicator; a grade column with `choices` prints the scale as □/■.
 */

/** The two columns every form sheet prints. */
export function formColumns(width: { label: number; value: number }): ReportColumn[] {
  return [
    { key: 'label', field: 'label', header: ['項目'], width: width.label },
    { key: 'value', field: 'value', header: ['内容'], width: width.value },
  ];
}

/** Columns that say nothing on a form (a running number, an indent). */
const SKIPPED = new Set(['rowNumber', 'blank']);

/** An Excel sheet name from the project's number: 「事業12」, unique in the book. */
function sheetName(number: string, used: Set<string>): string {
  let name = `事業${number}`.replace(/[\\/?*[\]:]/g, '').slice(0, 31);
  for (let k = 2; used.has(name); k++) name = `事業${number}(${k})`.slice(0, 31);
  used.add(name);
  return name;
}

export class FormMaker {
  constructor(
    private readonly ix: ReportIndex,
    private readonly cells: CellMaker,
    private readonly layout: ReportLayout,
    private readonly fillHeader: (text: string) => string,
  ) {}

  /** A sheet per project, in the order the lines are printed. */
  sheets(visible: Line[]): ReportSheet[] {
    const order = [...new Set(visible.filter((l) => !l.crossListed).map((l) => l.projectId))];
    const used = new Set<string>();
    return order.map((projectId, i) => {
      const lines = visible.filter((l) => l.projectId === projectId && !l.crossListed);
      const project = this.ix.projectById.get(projectId)!;
      return {
        name: sheetName(project.number, used),
        title: `${project.number} ${project.name}`.trim(),
        departmentId: null,
        rows: this.rows(lines, i + 1),
      };
    });
  }

  private rows(lines: Line[], rowNumber: number): ReportRow[] {
    const first = lines[0]!;
    const rows: ReportRow[] = first.nodePath.map((id, depth) => ({
      type: 'section',
      depth,
      text: `${this.ix.levelName(depth)} ${this.ix.nodeText(id)}`,
    }));
    const path = first.nodePath.map((id) => this.ix.nodeText(id));
    for (const c of this.layout.columns) {
      if (SKIPPED.has(c.key)) continue;
      for (const { label, cell } of this.linesOf(c, lines, rowNumber))
        rows.push({
          type: 'data',
          cells: [{ text: label }, cell],
          rowNumber,
          projectId: first.projectId,
          departmentId: null,
          path,
        });
    }
    return rows;
  }

  /** A column's line(s): one where every row of the project prints the same, else one per row, named. */
  private linesOf(c: LayoutColumn, lines: Line[], rowNumber: number): { label: string; cell: ReportCell }[] {
    const label = c.header.map(this.fillHeader).filter(Boolean).join(' ');
    // The value column holds every kind: a value printed with its unit or as a percent stays text there.
    const plain = !printsUnit(c.key) && c.key !== 'ratio';
    const cellOf = (l: Line): ReportCell => {
      const cell = this.cells.cell(c, l, rowNumber);
      return plain ? cell : { ...cell, value: null };
    };
    const cells = lines.map((l) => ({ l, cell: cellOf(l) }));
    if (new Set(cells.map((x) => x.cell.text)).size <= 1) return [{ label, cell: cells[0]!.cell }];
    return cells.map(({ l, cell }) => ({ label: `${label}（${this.nameOf(l)}）`, cell }));
  }

  private nameOf(l: Line): string {
    if (l.indicator) return l.indicator.name;
    return l.departmentId === null ? '' : (this.ix.departmentById.get(l.departmentId)?.name ?? '');
  }
}
