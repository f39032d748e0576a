import { eraDateLabel, eraYearLabel, fiscalYearEnd, fiscalYearShort, type Era2019 } from '../fiscal-year.js';
import { CellMaker } from './cells.js';
import { documentColumns } from './columns.js';
import { ENTRY_ROLE_LABELS } from '../evaluation/terms.js';
import { Grader } from './grading.js';
import type { ReportLayout } from './layout.js';
import { LineWalker, ReportScope } from './lines.js';
import { DEFAULT_PAPER } from './paper.js';
import { ReportIndex } from './report-index.js';
import { departmentSheets, RowMaker } from './rows.js';
import { FormMaker, formColumns } from './form.js';
import { SectionTexts } from './sections.js';
import { Tallies } from './tallies.js';
import type { BuildOptions, ReportDataset, ReportDocument, ReportFilters, ReportSheet } from './types.js';

export type * from './types.js';
export type { ReportColumn } from './columns.js';

/**
 * A layout's title or header with its words filled in: {plan}, {department}, {level:0} (the plan's own name
 * for the level: 基本目標), {levelNo:2} (the heading over that level's number in a column of its own: the
 * level's 番号の列見出し, else its name and 「No.」), and years — {year} (和暦),
 * {year-1}, {year+1}, {year-3}…, each also as {year-2:西暦} (2022年度), {year-2:和暦} and {year-2:略} (R4);
 * {yearShort} is {year:略}.
 */
export function templateText(template: string, vars: TemplateVars): string {
  return template
    .replace(/\{year([+-]\d{1,2})?(?::(和暦|西暦|略))?\}/g, (_, offset: string | undefined, form: string | undefined) =>
      yearText(vars.year + Number(offset ?? 0), form, vars.era),
    )
    .replace(/\{(plan|yearShort|department)\}/g, (_, k: 'plan' | 'yearShort' | 'department') =>
      k === 'yearShort' ? fiscalYearShort(vars.year, vars.era) : vars[k],
    )
    .replace(/\{level:(\d)\}/g, (_, depth: string) => vars.levels[Number(depth)] ?? '')
    .replace(/\{levelNo:(\d)\}/g, (_, depth: string) => vars.numberHeadings[Number(depth)] ?? '');
}

function yearText(year: number, form: string | undefined, era: Era2019): string {
  if (form === '西暦') return `${year}年度`;
  if (form === '略') return fiscalYearShort(year, era);
  return eraYearLabel(year, era);
}

interface TemplateVars {
  plan: string;
  /** the plan's level names by depth (基本目標, 施策) */
  levels: string[];
  /** the headings over each level's number in a column of its own (施策 No.) */
  numberHeadings: string[];
  year: number;
  era: Era2019;
  department: string;
}

/** The words a layout's titles and headers may hold. */
function templateVars(ds: ReportDataset): TemplateVars {
  return {
    plan: ds.plan.title,
    levels: [...ds.levels].sort((a, b) => a.depth - b.depth).map((l) => l.name),
    numberHeadings: [...ds.levels].sort((a, b) => a.depth - b.depth).map((l) => l.numberHeading || `${l.name}No.`),
    year: ds.fiscalYear,
    era: ds.municipality.era2019,
    department: '',
  };
}

/** How the printed grades were reached, in words: 「達成率から計算」, 「各課の自己評価」. */
function gradedBy(grader: Grader): string {
  const { slot, scale } = grader;
  if (!slot || !scale) return '';
  if (slot.enteredBy === 'computed') return `${scale.name || '達成率'}から計算`;
  return slot.enteredBy === 'department' ? '各課の自己評価' : `${ENTRY_ROLE_LABELS[slot.enteredBy]}の評価`;
}

/**
 * Shapes a dataset into a report document: sheets of rows with merged cells, section headings,
 * grades resolved by the plan's scale, and tallies. Every output (screen, print, xlsx, csv, json,
 * public page) renders this one document.
 */
export function buildReport(
  ds: ReportDataset,
  layout: ReportLayout,
  filters: ReportFilters = {},
  options: BuildOptions = {},
): ReportDocument {
  const vars = templateVars(ds);
  const ix = new ReportIndex(ds, { crossListings: layout.crossListingMark !== null });
  const grader = new Grader(ix, undefined, layout.rowUnit);
  const scope = new ReportScope(ix, filters);
  const visible = scope.visible(new LineWalker(ix, grader, scope, layout).walk());
  const tallier = new Tallies(ix, grader, scope);
  const tallies = tallier.count(visible);
  const headings = new SectionTexts(ix, layout, (id) => tallier.nodeText(id));
  const rows = new RowMaker(ix, new CellMaker(ix, grader, layout), headings, layout);
  const title = templateText(layout.title, vars).trim();
  const fill = (h: string) => templateText(h, vars);
  const form =
    layout.grouping === 'project' ? new FormMaker(ix, new CellMaker(ix, grader, layout), layout, fill) : null;
  const sheets: ReportSheet[] = form
    ? form.sheets(visible)
    : layout.grouping === 'department'
      ? departmentSheets(
          ix,
          rows,
          visible,
          (d) => scope.departmentAllowed(d),
          (department) => templateText(layout.sheetTitle ?? layout.title, { ...vars, department }),
        )
      : [{ name: '報告', title, departmentId: null, rows: rows.rows(visible) }];
  const { columns, headerRows } = form
    ? { columns: formColumns({ label: 18, value: 82 }), headerRows: 1 }
    : documentColumns(layout.columns, fill);
  const asOf = layout.showAsOf ? (options.asOf ?? fiscalYearEnd(ds.fiscalYear)) : (options.asOf ?? null);
  return {
    layout: layout.name,
    title,
    documentNumber: layout.documentNumber,
    asOf,
    asOfLabel: asOf ? `${eraDateLabel(asOf)}時点` : '',
    notice: options.notice ?? '',
    municipality: ds.municipality.name,
    planId: ds.plan.id,
    planTitle: ds.plan.title,
    fiscalYear: ds.fiscalYear,
    fiscalYearLabel: eraYearLabel(ds.fiscalYear, ds.municipality.era2019),
    columns,
    headerRows,
    levelNames: ds.levels.map((l) => l.name),
    legend: layout.legend
      ? { ...layout.legend, items: (grader.scale?.grades ?? []).map((g) => ({ code: g.code, label: g.label })) }
      : null,
    sheets,
    tallies,
    gradedBy: gradedBy(grader),
    paper: layout.paper ?? DEFAULT_PAPER,
  };
}
