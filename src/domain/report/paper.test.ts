import { describe, expect, it } from 'vitest';
import { buildReport } from './build.js';
import { BUILTIN_LAYOUTS, builtinLayout, layoutInput } from './layout.js';
import {
  columnPercents,
  CONTINUED,
  lineCount,
  pageBox,
  paginate,
  PaperMeasure,
  PRINT,
  type PaperRow,
  type PaperSheet,
} from './paper.js';
import { dataset } from './sample-dataset.test-support.js';
import type { ReportCell, ReportDocument, ReportRow } from './types.js';

/**
 * The pages a report's rows fill on paper, planned without a browser: full pages, the header on
 * each, headings and merged cells continued 「（続き）」, nothing lost or doubled.
 */

const text = (t: string): ReportCell => ({ text: t });

/**
 * A long document: goals and measures as merged columns (or heading rows), a project per row with
 * a text of one to four lines.
 */
function longDocument(hierarchy: 'columns' | 'sections', goals = 4, measures = 5, projects = 12): ReportDocument {
  const base = buildReport(dataset(), builtinLayout('narrative-status')!);
  const columns =
    hierarchy === 'columns'
      ? [
          { key: 'node:0', field: 'node' as const, depth: 0, header: ['基本目標'], width: 14 },
          { key: 'node:1', field: 'node' as const, depth: 1, header: ['施策'], width: 16 },
          { key: 'projectName', field: 'projectName' as const, header: ['事業'], width: 18 },
          { key: 'resultText', field: 'resultText' as const, header: ['実施状況'], width: 60 },
        ]
      : [
          { key: 'projectName', field: 'projectName' as const, header: ['事業'], width: 18 },
          { key: 'resultText', field: 'resultText' as const, header: ['実施状況'], width: 60 },
        ];
  const rows: ReportRow[] = [];
  let n = 0;
  for (let g = 1; g <= goals; g++) {
    if (hierarchy === 'sections') rows.push({ type: 'section', depth: 0, text: `基本目標${g} 意識の啓発` });
    for (let s = 1; s <= measures; s++) {
      if (hierarchy === 'sections') rows.push({ type: 'section', depth: 1, text: `(${s}) 施策${g}-${s}` });
      for (let p = 1; p <= projects; p++) {
        n++;
        const first = p === 1;
        const cells =
          hierarchy === 'columns'
            ? [
                { ...text(`基本目標${g} 意識の啓発`), span: s === 1 && first ? measures * projects : 0 },
                { ...text(`(${s}) 施策${g}-${s}`), span: first ? projects : 0 },
              ]
            : [];
        rows.push({
          type: 'data',
          cells: [...cells, text(`事業${n}`), text('講座を開き、広報紙で周知した。'.repeat(1 + (n % 7)))],
          rowNumber: n,
          projectId: n,
          departmentId: null,
          path: [],
        });
      }
    }
  }
  return { ...base, columns, headerRows: 1, sheets: [{ name: '報告', title: base.title, departmentId: null, rows }] };
}

const dataRows = (page: { rows: PaperRow[] }) =>
  page.rows.filter((r): r is Extract<PaperRow, { type: 'data' }> => r.type === 'data');

/** The room a page gives its rows: the page less the header and the slack (and the head on the first). */
function room(doc: ReportDocument, first: boolean): number {
  const m = new PaperMeasure(doc);
  return m.box.height - m.headerHeight() - PRINT.slack - (first ? m.headHeight(doc.sheets[0]!.title, {}) : 0);
}

function expectEveryRowOnce(doc: ReportDocument, sheet: PaperSheet) {
  const numbers = sheet.pages.flatMap((p) => dataRows(p).map((r) => r.rowNumber));
  const expected = doc.sheets[0]!.rows.flatMap((r) => (r.type === 'data' ? [r.rowNumber] : []));
  expect(numbers).toEqual(expected);
}

describe('lines of text on paper', () => {
  it('counts full-width characters as one em, half-width as half, each line break as a new line', () => {
    expect(lineCount('', 10)).toBe(0);
    expect(lineCount('あいうえお', 5)).toBe(1);
    expect(lineCount('あいうえおか', 5)).toBe(2);
    expect(lineCount('1234567890', 5)).toBe(1);
    expect(lineCount('12345678901', 5)).toBe(2);
    expect(lineCount('あ\nい', 5)).toBe(2);
    expect(lineCount('ｱｲｳｴｵｶｷｸｹｺ', 5)).toBe(1);
  });

  it('gives every column a whole percent of the width, adding up to 100', () => {
    for (const layout of BUILTIN_LAYOUTS) {
      const pct = columnPercents(layout.columns);
      expect(
        pct.reduce((s, p) => s + p, 0),
        layout.name,
      ).toBe(100);
      expect(Math.min(...pct), layout.name).toBeGreaterThanOrEqual(1);
    }
    expect(columnPercents([{ width: 1 }, { width: 1 }, { width: 1 }])).toEqual([34, 33, 33]);
  });

  it('measures A4 and A3 in both orientations, less the margins', () => {
    expect(pageBox({ size: 'A4', orientation: 'landscape' }).width).toBeCloseTo((297 - 20) * (96 / 25.4));
    expect(pageBox({ size: 'A4', orientation: 'portrait' }).height).toBeCloseTo((297 - 22) * (96 / 25.4));
    expect(pageBox({ size: 'A3', orientation: 'landscape' }).width).toBeCloseTo((420 - 20) * (96 / 25.4));
  });
});

describe('the paper of a layout', () => {
  it('is part of every built-in layout, and a stored layout without one still reads and prints A4 landscape', () => {
    for (const layout of BUILTIN_LAYOUTS) {
      expect(layoutInput.parse(layout), layout.name).toEqual(layout);
      expect(layout.paper, layout.name).toBeDefined();
    }
    expect(builtinLayout('indicator-achievement')!.paper).toEqual({ size: 'A4', orientation: 'landscape' });
    expect(builtinLayout('department-sheets')!.paper).toEqual({ size: 'A3', orientation: 'landscape' });
    const { paper: _paper, ...older } = builtinLayout('narrative-status')!;
    const read = layoutInput.parse(older);
    expect(read.paper).toBeUndefined();
    expect(buildReport(dataset(), read).paper).toEqual({ size: 'A4', orientation: 'landscape' });
    expect(buildReport(dataset(), builtinLayout('narrative-status')!).paper).toEqual({
      size: 'A4',
      orientation: 'portrait',
    });
    const wrong = layoutInput.safeParse({ ...older, paper: { size: 'B4', orientation: 'landscape' } });
    expect(wrong.success).toBe(false);
  });
});

describe('pages of a long report', () => {
  it('fills each page as far as its rows fit, from the first page on, and prints every row once', () => {
    const doc = longDocument('columns');
    const [sheet] = paginate(doc);
    expect(sheet!.pages.length).toBeGreaterThan(3);
    expectEveryRowOnce(doc, sheet!);
    sheet!.pages.forEach((p, i) => expect(p.height, `page ${i + 1}`).toBeLessThanOrEqual(room(doc, i === 0)));
    // full: no page but the last could have taken the next page's first row as well
    const m = new PaperMeasure(doc);
    const tallest = Math.max(
      ...doc.sheets[0]!.rows.map((r) => (r.type === 'data' ? m.cellHeight(r.cells[3]!, 3, false) : 0)),
    );
    sheet!.pages
      .slice(0, -1)
      .forEach((p, i) =>
        expect(p.height, `page ${i + 1} is full`).toBeGreaterThan(room(doc, i === 0) - tallest - 2 * PRINT.lineHeight),
      );
    expect(dataRows(sheet!.pages[0]!).length).toBeGreaterThan(5);
  });

  it('continues a merged cell on the next page 「（続き）」, spanning only that page’s rows', () => {
    const doc = longDocument('columns');
    const [sheet] = paginate(doc);
    for (const [i, page] of sheet!.pages.entries()) {
      const rows = dataRows(page);
      const firstRow = rows[0]!;
      // the first row of a page opens every merged cell it is in
      expect(
        firstRow.cells.every((c) => c !== null),
        `page ${i + 1}`,
      ).toBe(true);
      for (const [ci, c] of firstRow.cells.entries())
        if (c!.continued) {
          expect(i, 'only a later page continues').toBeGreaterThan(0);
          expect(c!.cell.text).not.toBe('');
          expect([0, 1]).toContain(ci);
        }
      // spans never reach past the page
      rows.forEach((r, ri) => r.cells.forEach((c) => c && expect(ri + c.span).toBeLessThanOrEqual(rows.length)));
    }
    // a page that starts inside a goal continues its cell
    const second = dataRows(sheet!.pages[1]!)[0]!;
    expect(second.cells[0]).toMatchObject({ continued: true, cell: { text: expect.stringMatching(/^基本目標/) } });
  });

  it('repeats the headings a page continues, marked 「（続き）」, and never ends a page on a heading', () => {
    const doc = longDocument('sections');
    const [sheet] = paginate(doc);
    expect(sheet!.pages.length).toBeGreaterThan(3);
    expectEveryRowOnce(doc, sheet!);
    for (const [i, page] of sheet!.pages.entries()) {
      expect(page.rows.at(-1)!.type, `page ${i + 1} ends on a row`).toBe('data');
      expect(page.height).toBeLessThanOrEqual(room(doc, i === 0));
      if (i === 0) continue;
      const lead = page.rows.filter((r) => r.type === 'section' && r.continued);
      // the goal and the measure of the page's first row, unless the page starts with a new one
      const opensWith = page.rows[0]!;
      if (opensWith.type === 'section' && !opensWith.continued) continue;
      expect(lead.length, `page ${i + 1}`).toBeGreaterThan(0);
      for (const h of lead) expect(h.type === 'section' && h.text.endsWith(CONTINUED)).toBe(true);
    }
    const originals = sheet!.pages.flatMap((p) => p.rows.filter((r) => r.type === 'section' && !r.continued));
    expect(originals).toHaveLength(4 + 4 * 5);
  });

  it('leaves a row taller than a page on a page of its own, to break inside', () => {
    const doc = longDocument('sections', 1, 1, 3);
    const rows = doc.sheets[0]!.rows;
    const tall = rows.findIndex((r) => r.type === 'data');
    const row = rows[tall]!;
    if (row.type === 'data') row.cells[1] = text('長い実績。'.repeat(2000));
    const [sheet] = paginate(doc);
    expect(sheet!.pages[0]!.oversize).toBe(true);
    expect(sheet!.pages.slice(1).every((p) => !p.oversize)).toBe(true);
    expectEveryRowOnce(doc, sheet!);
  });
});
