import type { DatasetEvaluation, Tally } from './evaluation.js';
import type { Era2019 } from '../fiscal-year.js';
import type { NumberingScope, NumberingStyle } from '../numbering.js';
import type { ReportColumn } from './columns.js';
import type { PaperSetting } from './paper.js';
import type { CategoryDef, CustomFieldDef, CustomValues } from '../plan-fields.js';

/**
 * What a report is made from (the dataset a server reads once per request) and what it is made
 * into (the document every output renders: screen, print, public page, xlsx, csv, json).
 */

/** Everything a report reads, loaded once per request (server) and shaped by the layout (here). */
export interface ReportDataset {
  municipality: { name: string; era2019: Era2019 };
  /** the plan, with its sub-plans (関連計画: DV防止計画, 女性活躍推進計画) by id */
  plan: {
    id: number;
    title: string;
    subPlans: { id: number; name: string }[];
    /** the plan's 区分 list (absent: the default list) */
    categories?: CategoryDef[];
    /** the plan's extra fields on projects and answers (absent: none) */
    customFields?: CustomFieldDef[];
  };
  fiscalYear: number;
  /** every slot's value of the year (and the year before, where read) */
  evaluation: DatasetEvaluation;
  levels: {
    depth: number;
    name: string;
    numberingStyle: NumberingStyle;
    numberingScope: NumberingScope;
    /** the heading over the level's number in a column of its own; '' (or absent) for 「{name}No.」 */
    numberHeading?: string;
  }[];
  nodes: {
    id: number;
    parentId: number | null;
    depth: number;
    position: number;
    title: string;
    numberOverride: string | null;
    subPlanIds: number[];
    /** a 重点 node */
    priority: boolean;
  }[];
  projects: {
    id: number;
    nodeId: number;
    number: string;
    name: string;
    summary: string;
    category: string | null;
    audience: string;
    /** values of the plan's extra fields on projects */
    custom?: CustomValues;
    position: number;
  }[];
  listings: { projectId: number; nodeId: number; position: number }[];
  assignments: { projectId: number; departmentId: number; isLead: boolean; position: number }[];
  departments: { id: number; name: string; displayName: string; position: number }[];
  /** the council's remarks on the projects in the years the layout prints, each with the departments' answers */
  comments: {
    projectId: number;
    fiscalYear: number;
    body: string;
    at: string;
    answers: { departmentName: string; body: string; at: string }[];
  }[];
  /** the fiscal year's, and those of the other years the layout prints (the year before's for summaries) */
  records: {
    id: number;
    projectId: number;
    departmentId: number;
    fiscalYear: number;
    planText: string;
    resultText: string;
    remarks: string;
    nextYearPlan: string;
    sameAsDepartmentId: number | null;
    /** values of the plan's extra fields on answers */
    custom?: CustomValues;
    status: string;
  }[];
  indicators: {
    id: number;
    /** null for an indicator of a node */
    projectId: number | null;
    nodeId: number | null;
    departmentId: number | null;
    name: string;
    unit: string;
    direction: 'higher' | 'lower' | 'keep' | 'none';
    baselineValue: number | null;
    baselineText: string;
    finalTargetValue: number | null;
    finalTargetText: string;
    position: number;
  }[];
  targets: { indicatorId: number; fiscalYear: number; value: number | null; text: string }[];
  actuals: {
    indicatorId: number;
    departmentId: number;
    fiscalYear: number;
    value: number | null;
    text: string;
    status: string | null;
    /** the value's parts as entered (男女別: 女性 12人, 男性 10人) */
    parts: { label: string; value: number | null; text: string }[];
  }[];
}

export interface ReportFilters {
  departmentId?: number | null;
  /** a department user's own departments (their own and those it replaced): nothing else is shown */
  departmentIds?: number[];
  nodeId?: number | null;
  subPlanId?: number | null;
}

export interface ReportCell {
  text: string;
  /** a number for machine-readable outputs, where the cell holds one */
  value?: number | null;
  /** rows this cell covers (merged); 0 where an earlier row's cell covers it; absent = 1 */
  span?: number;
  /** the words a screen reader says (grades) */
  speech?: string;
  /** grade changed by hand: the reason, printed as a note */
  note?: string;
}

export type ReportRow =
  | { type: 'section'; depth: number; text: string }
  | {
      type: 'data';
      cells: ReportCell[];
      rowNumber: number;
      projectId: number;
      departmentId: number | null;
      path: string[];
    };

export interface ReportSheet {
  name: string;
  title: string;
  departmentId: number | null;
  rows: ReportRow[];
}

export interface ReportDocument {
  layout: string;
  title: string;
  documentNumber: string;
  asOf: string | null;
  asOfLabel: string;
  /** what the reader must know about what the report holds (answers left out, a preliminary report); '' when nothing */
  notice?: string;
  municipality: string;
  planId: number;
  planTitle: string;
  fiscalYear: number;
  fiscalYearLabel: string;
  columns: ReportColumn[];
  headerRows: number;
  /** the plan's level names, for the machine-readable outputs' path columns */
  levelNames: string[];
  legend: { title: string; note: string; items: { code: string; label: string }[] } | null;
  sheets: ReportSheet[];
  tallies: {
    unit: 'indicator' | 'record';
    total: Tally;
    byNode: { nodeId: number; label: string; tally: Tally }[];
    /** the counted codes in the scale's order */
    codes: string[];
    /** the same with their labels; absent in documents published before it was added */
    grades?: { code: string; label: string }[];
  };
  gradedBy: string;
  /** the paper it prints on; absent in documents published before layouts named one (A4 landscape) */
  paper?: PaperSetting;
}

export interface BuildOptions {
  asOf?: string | null;
  notice?: string;
}
