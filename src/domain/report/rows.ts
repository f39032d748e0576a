import type { CellMaker } from './cells.js';
import type { ReportLayout } from './layout.js';
import type { Line } from './lines.js';
import { applyMerges, type PlacedRow } from './merges.js';
import type { ReportIndex } from './report-index.js';
import type { SectionTexts } from './sections.js';
import type { ReportRow, ReportSheet } from './types.js';

/** A sheet's rows: heading rows where the layout prints the tree as sections, numbered data rows, merged cells. */
export class RowMaker {
  constructor(
    private readonly ix: ReportIndex,
    private readonly cells: CellMaker,
    private readonly sections: SectionTexts,
    private readonly layout: ReportLayout,
  ) {}

  rows(lines: Line[]): ReportRow[] {
    const rows: ReportRow[] = [];
    const placed: PlacedRow[] = [];
    let previousPath: number[] = [];
    const shown = new Set(lines.map((l) => l.projectId));
    for (const [i, line] of lines.entries()) {
      if (this.layout.hierarchy === 'sections') this.addSections(rows, previousPath, line.nodePath, shown);
      previousPath = line.nodePath;
      const row = this.dataRow(line, i + 1);
      placed.push({ row, line, at: rows.length });
      rows.push(row);
    }
    applyMerges(this.layout.columns, placed);
    return rows;
  }

  /** A heading row for each level where the path leaves the previous row's (all of them on a sheet's first row). */
  private addSections(rows: ReportRow[], previousPath: number[], path: number[], shown: ReadonlySet<number>): void {
    let previous = previousPath;
    for (const [depth, id] of path.entries())
      if (previous[depth] !== id || rows.length === 0) {
        rows.push({ type: 'section', depth, text: this.sections.text(id, depth, shown) });
        previous = path.slice(0, depth + 1);
      }
  }

  private dataRow(line: Line, rowNumber: number): PlacedRow['row'] {
    return {
      type: 'data',
      cells: this.layout.columns.map((c) => this.cells.cell(c, line, rowNumber)),
      rowNumber,
      projectId: line.projectId,
      departmentId: line.departmentId,
      path: line.nodePath.map((id) => this.ix.nodeText(id)),
    };
  }
}

/** An Excel sheet name: no \ / ? * [ ] :, at most 31 characters, unique in the book. */
function sheetName(name: string, departmentId: number, used: Set<string>): string {
  let sheet = name.replace(/[\\/?*[\]:]/g, '').slice(0, 31) || `課${departmentId}`;
  for (let k = 2; used.has(sheet); k++) sheet = `${sheet.slice(0, 28)}(${k})`;
  used.add(sheet);
  return sheet;
}

/** One sheet per department (each with the rows of the projects it works on), in the departments' order. */
export function departmentSheets(
  ix: ReportIndex,
  rows: RowMaker,
  visible: Line[],
  allowed: (departmentId: number) => boolean,
  titleOf: (departmentName: string) => string,
): ReportSheet[] {
  const ids = [...new Set(visible.flatMap((l) => ix.projectDepartments(l.projectId)))];
  const order = ids
    .filter(allowed)
    .map((id) => ix.departmentById.get(id))
    .filter((d) => d !== undefined)
    .sort((a, b) => a.position - b.position || a.id - b.id);
  const used = new Set<string>();
  return order.map((d) => ({
    name: sheetName(d.name, d.id, used),
    title: titleOf(d.name),
    departmentId: d.id,
    rows: rows.rows(visible.filter((l) => ix.projectDepartments(l.projectId).includes(d.id))),
  }));
}
