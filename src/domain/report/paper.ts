import { overrideNote, spansHeaderRows } from './columns.js';
import type { ReportCell, ReportDocument, ReportRow, ReportSheet } from './types.js';

/**
 * A report on paper: the sheet sizes a layout may ask for, the print metrics the stylesheet uses,
 * and the pages a sheet's rows fill. Rows flow from page to page; each page after the first
 * repeats the header rows (the browser does that) and carries the heading rows and merged cells
 * it continues, marked 「（続き）」. No page holds only the title and the header: the first page
 * starts filling right under them.
 *
 * The pages are planned here, without a browser, from the text of every cell: the print
 * stylesheet sets a fixed-pitch Japanese font (every full-width character 1em wide, every
 * half-width one 0.5em), breaks lines anywhere and fixes the line height, so the height of a cell
 * follows from its characters and its column's width. The browser then breaks where the plan
 * says (each planned page starts with a forced break); a plan that is a little generous leaves a
 * little room at the foot of a page, never an extra page. Pure: the SPA and the server both use it.
 */

export const PAPER_SIZES = ['A4', 'A3'] as const;
export type PaperSize = (typeof PAPER_SIZES)[number];
export const PAPER_ORIENTATIONS = ['landscape', 'portrait'] as const;
export type PaperOrientation = (typeof PAPER_ORIENTATIONS)[number];

export interface PaperSetting {
  size: PaperSize;
  orientation: PaperOrientation;
}

export const DEFAULT_PAPER: PaperSetting = { size: 'A4', orientation: 'landscape' };

export const PAPER_ORIENTATION_LABELS: Record<PaperOrientation, string> = { landscape: '横', portrait: '縦' };

/** 「A4横」 */
export const paperLabel = (p: PaperSetting): string => `${p.size}${PAPER_ORIENTATION_LABELS[p.orientation]}`;

/** Every paper setting, for the stylesheet's named pages. */
export const ALL_PAPERS: PaperSetting[] = PAPER_SIZES.flatMap((size) =>
  PAPER_ORIENTATIONS.map((orientation) => ({ size, orientation })),
);

/** The CSS name of a paper's pages and the class that puts a report on them: `a4-landscape`. */
export const paperName = (p: PaperSetting): string => `${p.size.toLowerCase()}-${p.orientation}`;

/** Sheet sizes in millimetres, portrait. */
const SHEET_MM: Record<PaperSize, { width: number; height: number }> = {
  A4: { width: 210, height: 297 },
  A3: { width: 297, height: 420 },
};

/** Page margins in millimetres; the page number prints in the bottom margin. */
export const PAGE_MARGIN_MM = { top: 10, right: 10, bottom: 12, left: 10 };

const PX_PER_MM = 96 / 25.4;

/** The printable box of a page in CSS pixels (96 per inch). */
export function pageBox(p: PaperSetting): { width: number; height: number } {
  const sheet = SHEET_MM[p.size];
  const [w, h] = p.orientation === 'landscape' ? [sheet.height, sheet.width] : [sheet.width, sheet.height];
  return {
    width: (w - PAGE_MARGIN_MM.left - PAGE_MARGIN_MM.right) * PX_PER_MM,
    height: (h - PAGE_MARGIN_MM.top - PAGE_MARGIN_MM.bottom) * PX_PER_MM,
  };
}

/**
 * The print metrics, in CSS pixels: the stylesheet is written from these numbers (report-css.ts),
 * so the plan and the print agree.
 */
export const PRINT = {
  /** the table's text: 8pt */
  fontSize: 32 / 3,
  lineHeight: 14,
  /** a cell's padding: top + bottom, left + right */
  padY: 1,
  padX: 3,
  /** collapsed borders: one pixel per row and per column */
  border: 1,
  /** the sheet title */
  titleSize: 16,
  titleLine: 22,
  /** the lines above the table (as-of date, legend, notice) */
  smallSize: 12,
  smallLine: 16,
  /** the space under the head of a sheet, the notice and the legend */
  gap: 6,
  /** what a page's plan leaves free at its foot, against rounding in the browser */
  slack: 10,
} as const;

/** Half-width characters: ASCII and half-width kana. Everything else prints full width (conservatively). */
function charWidth(code: number): number {
  return code < 0x80 || (code >= 0xff61 && code <= 0xff9f) ? 0.5 : 1;
}

/** The lines a text takes in a box `widthEm` wide, with lines broken anywhere (each \n starts a line). */
export function lineCount(text: string, widthEm: number): number {
  if (text === '') return 0;
  const avail = Math.max(1, widthEm);
  let lines = 0;
  for (const line of text.split('\n')) {
    lines++;
    let used = 0;
    for (const ch of line) {
      const w = charWidth(ch.codePointAt(0)!);
      if (used + w > avail + 1e-9 && used > 0) {
        lines++;
        used = 0;
      }
      used += w;
    }
  }
  return lines;
}

/** What a continued cell or heading prints after its text. */
export const CONTINUED = '（続き）';

/** A cell as printed on a page: the document's cell, the rows it spans on this page, and whether it continues one. */
export interface PaperCell {
  cell: ReportCell;
  span: number;
  continued: boolean;
}

export type PaperRow =
  | { type: 'section'; depth: number; text: string; continued: boolean }
  /** cells: null where a cell above spans over this row */
  | { type: 'data'; cells: (PaperCell | null)[]; rowNumber: number };

export interface PaperPage {
  rows: PaperRow[];
  /** the planned height of the page's rows (header excluded), in pixels */
  height: number;
  /** a single row taller than a page: the browser breaks inside it */
  oversize: boolean;
}

export interface PaperSheet {
  sheet: ReportSheet;
  pages: PaperPage[];
}

/** Column widths in whole percent that add up to exactly 100 (largest remainders), as the stylesheet sets them. */
export function columnPercents(columns: readonly { width: number }[]): number[] {
  const total = columns.reduce((s, c) => s + c.width, 0) || 1;
  const exact = columns.map((c) => (c.width / total) * 100);
  const pct = exact.map((x) => Math.max(1, Math.floor(x)));
  let left = 100 - pct.reduce((s, x) => s + x, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0 && order.length; k = (k + 1) % order.length, left--) pct[order[k]![1]]! += 1;
  for (let i = pct.length - 1; left < 0 && i >= 0; i--)
    if (pct[i]! > 1) {
      pct[i]! -= 1;
      left++;
    }
  return pct;
}

/** The text a cell prints, as far as its height goes: a grade's words are hidden, a changed grade's reason prints under it. */
function printedText(cell: ReportCell, continued: boolean): string {
  const text = cell.note ? `${cell.text}\n${overrideNote(cell.note)}` : cell.text;
  return continued && cell.text ? `${text}${CONTINUED}` : text;
}

/** How a document's sheets are measured: the table's width and the page's. */
export class PaperMeasure {
  readonly box: { width: number; height: number };
  /** each column's text width, in em */
  private readonly colEm: number[];
  private readonly tableEm: number;

  private readonly heights = new WeakMap<ReportCell, number>();

  constructor(readonly doc: ReportDocument) {
    this.box = pageBox(doc.paper ?? DEFAULT_PAPER);
    const pct = columnPercents(doc.columns);
    this.colEm = pct.map((p) => ((p / 100) * this.box.width - 2 * PRINT.padX - PRINT.border) / PRINT.fontSize);
    this.tableEm = (this.box.width - 2 * PRINT.padX - PRINT.border) / PRINT.fontSize;
  }

  /** A cell's height in a column: its lines, padding and one border. */
  cellHeight(cell: ReportCell, col: number, continued: boolean): number {
    const known = continued ? undefined : this.heights.get(cell);
    if (known !== undefined) return known;
    const h =
      lineCount(printedText(cell, continued), this.colEm[col]!) * PRINT.lineHeight + 2 * PRINT.padY + PRINT.border;
    if (!continued) this.heights.set(cell, h);
    return h;
  }

  sectionHeight(text: string): number {
    return Math.max(1, lineCount(text, this.tableEm)) * PRINT.lineHeight + 2 * PRINT.padY + PRINT.border;
  }

  /** The header rows: each line as tall as its tallest cell; a cell over all lines at least as tall as its text. */
  headerHeight(): number {
    const { doc } = this;
    const spans = doc.columns.map((c) => spansHeaderRows(c, doc.headerRows));
    const lineHeights = Array.from({ length: doc.headerRows }, (_, line) =>
      Math.max(1, ...doc.columns.map((c, i) => (spans[i] ? 1 : lineCount(c.header[line] ?? '', this.colEm[i]!)))),
    );
    const spanning = Math.max(
      1,
      ...doc.columns.map((c, i) => (spans[i] ? lineCount(c.header[0] ?? '', this.colEm[i]!) : 1)),
    );
    const lines = Math.max(
      lineHeights.reduce((s, x) => s + x, 0),
      spanning,
    );
    return lines * PRINT.lineHeight + doc.headerRows * (2 * PRINT.padY + PRINT.border) + PRINT.border;
  }

  /** Lines of small text over the page's width. */
  private small(text: string): number {
    return Math.max(1, lineCount(text, this.box.width / PRINT.smallSize)) * PRINT.smallLine;
  }

  /**
   * What stands above the first page's table: the lead (the document's own title and a subtitle,
   * where the page prints them), the sheet's title with the document number and as-of date, the
   * notice and the legend.
   */
  headHeight(title: string, lead: PaperLead): number {
    const { doc } = this;
    let h = 0;
    if (lead.title)
      h += Math.max(1, lineCount(lead.title, (this.box.width * 0.8) / PRINT.titleSize)) * PRINT.titleLine + PRINT.gap;
    if (lead.subtitle) h += this.small(lead.subtitle) + PRINT.gap;
    // the title beside the document number (a fifth of the width at most), the as-of date under it
    const titleLines = Math.max(1, lineCount(title, (this.box.width * 0.8) / PRINT.titleSize));
    h += Math.max(titleLines * PRINT.titleLine, doc.documentNumber ? PRINT.smallLine + 4 : 0);
    if (doc.asOfLabel) h += PRINT.smallLine;
    h += PRINT.gap;
    if (doc.notice) h += this.small(doc.notice) + 8 + PRINT.gap;
    if (doc.legend) {
      const l = doc.legend;
      h += [l.title, l.note, ...l.items.map((i) => `${i.code}: ${i.label}`)]
        .filter((t) => t !== '')
        .reduce((s, t) => s + this.small(t), 0);
      h += PRINT.gap;
    }
    return h;
  }
}

type Heading = { depth: number; text: string };

/**
 * Plans the pages of one sheet: rows flow, a page ends where the next row would not fit, a
 * heading row never ends a page, and each page after the first repeats the headings and merged
 * cells it continues, marked 「（続き）」.
 */
class SheetPager {
  private readonly rows: ReportRow[];
  /** for each row and column: the row its cell's merged run starts at, and the run's last row */
  private readonly origin: number[][] = [];
  private readonly end: number[][] = [];
  /** for each row: the headings in force above it (the last of each depth) */
  private readonly headings: Heading[][] = [];

  constructor(
    private readonly m: PaperMeasure,
    private readonly sheet: ReportSheet,
  ) {
    this.rows = sheet.rows;
    const width = m.doc.columns.length;
    let active: Heading[] = [];
    this.rows.forEach((row, r) => {
      this.headings.push(active);
      this.origin.push(new Array<number>(width).fill(r));
      this.end.push(new Array<number>(width).fill(r));
      if (row.type === 'section') {
        active = [...active.filter((h) => h.depth < row.depth), { depth: row.depth, text: row.text }];
        return;
      }
      // merged runs never cross a heading row: a covered cell continues the run of the row above
      row.cells.forEach((c, ci) => {
        if (c.span === 0 && r > 0) this.origin[r]![ci] = this.origin[r - 1]![ci]!;
      });
    });
    for (let r = this.rows.length - 1; r >= 0; r--)
      this.origin[r]!.forEach((o, ci) => {
        if (o !== r) this.end[o]![ci] = Math.max(this.end[o]![ci]!, r);
      });
    this.rows.forEach((_, r) => this.origin[r]!.forEach((o, ci) => (this.end[r]![ci] = this.end[o]![ci]!)));
  }

  /** A data row as printed on a page from `s` to `e`: the first row of a page opens every run it continues. */
  private dataRow(row: Extract<ReportRow, { type: 'data' }>, r: number, s: number, e: number): PaperRow {
    return {
      type: 'data',
      rowNumber: row.rowNumber,
      cells: row.cells.map((cell, ci) => {
        const o = this.origin[r]![ci]!;
        if (o !== r && r !== s) return null;
        const from = this.rows[o]!;
        const source = o !== r && from.type === 'data' ? from.cells[ci]! : cell;
        return { cell: source, span: Math.min(this.end[r]![ci]!, e) - r + 1, continued: o !== r };
      }),
    };
  }

  /** The page from row `s` to row `e` (inclusive), as printed. */
  pageRows(s: number, e: number, first: boolean): PaperRow[] {
    const out: PaperRow[] = [];
    if (!first) {
      const at = this.rows[s]!;
      const below = at.type === 'section' ? at.depth : Infinity;
      for (const h of this.headings[s]!.filter((x) => x.depth < below))
        out.push({ type: 'section', depth: h.depth, text: `${h.text}${CONTINUED}`, continued: true });
    }
    for (let r = s; r <= e; r++) {
      const row = this.rows[r]!;
      out.push(
        row.type === 'section'
          ? { type: 'section', depth: row.depth, text: row.text, continued: false }
          : this.dataRow(row, r, s, e),
      );
    }
    return out;
  }

  /** The height of a page's rows: each as tall as its own cells, then stretched by the merged cells over them. */
  heightOf(printed: PaperRow[]): number {
    const h: number[] = [];
    const spans: { from: number; to: number; need: number }[] = [];
    printed.forEach((row, i) => {
      if (row.type === 'section') return void h.push(this.m.sectionHeight(row.text));
      let own = 2 * PRINT.padY + PRINT.border;
      row.cells.forEach((pc, ci) => {
        if (!pc) return;
        const need = this.m.cellHeight(pc.cell, ci, pc.continued);
        if (pc.span > 1) spans.push({ from: i, to: i + pc.span - 1, need });
        else own = Math.max(own, need);
      });
      h.push(own);
    });
    spans.sort((a, b) => a.to - a.from - (b.to - b.from));
    for (const sp of spans) {
      const have = h.slice(sp.from, sp.to + 1).reduce((t, x) => t + x, 0);
      if (sp.need > have) h[Math.min(sp.to, h.length - 1)]! += sp.need - have;
    }
    return h.reduce((t, x) => t + x, 0);
  }

  /**
   * The last row of the page that starts at `s`: at least the headings there and the first row under
   * them (a page of its own, broken inside, where even that is taller than the page), then as many
   * rows as fit, a heading never last.
   */
  private lastRow(s: number, room: number, first: boolean): { e: number; oversize: boolean } {
    const n = this.rows.length;
    let e = s;
    while (e + 1 < n && this.rows[e]!.type === 'section') e++;
    if (this.heightOf(this.pageRows(s, e, first)) > room) return { e, oversize: true };
    while (e + 1 < n && this.heightOf(this.pageRows(s, e + 1, first)) <= room) e++;
    if (e + 1 < n) while (e > s && this.rows[e]!.type === 'section') e--;
    return { e, oversize: false };
  }

  plan(lead: PaperLead): PaperSheet {
    const header = this.m.headerHeight();
    const pages: PaperPage[] = [];
    for (let s = 0; s < this.rows.length;) {
      const first = pages.length === 0;
      const room = this.m.box.height - header - PRINT.slack - (first ? this.m.headHeight(this.sheet.title, lead) : 0);
      const { e, oversize } = this.lastRow(s, room, first);
      const rows = this.pageRows(s, e, first);
      pages.push({ rows, height: this.heightOf(rows), oversize });
      s = e + 1;
    }
    if (pages.length === 0) pages.push({ rows: [], height: 0, oversize: false });
    return { sheet: this.sheet, pages };
  }
}

/** What prints above the first sheet: the document's own title (where there are several sheets) and a subtitle. */
export interface PaperLead {
  title?: string;
  subtitle?: string;
}

/** Every sheet of a document on its pages; the lead prints above the first sheet. */
export function paginate(doc: ReportDocument, lead: PaperLead = {}): PaperSheet[] {
  const m = new PaperMeasure(doc);
  return doc.sheets.map((sheet, i) => new SheetPager(m, sheet).plan(i === 0 ? lead : {}));
}
