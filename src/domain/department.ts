import { eraYearLabel, type Era2019 } from './fiscal-year.js';

export const DEPARTMENT_KINDS = ['bu', 'ka'] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];
export const DEPARTMENT_KIND_LABELS: Record<DepartmentKind, string> = { bu: '部・局', ka: '課・室' };

export const REORG_KINDS = ['rename', 'merge', 'split'] as const;
export type ReorgKind = (typeof REORG_KINDS)[number];
export const REORG_KIND_LABELS: Record<ReorgKind, string> = {
  rename: '名称変更',
  merge: '統合',
  split: '分割',
};

export const REORG_STATUSES = ['scheduled', 'applied', 'cancelled'] as const;
export type ReorgStatus = (typeof REORG_STATUSES)[number];
export const REORG_STATUS_LABELS: Record<ReorgStatus, string> = {
  scheduled: '予定',
  applied: '適用済',
  cancelled: '取消',
};

export interface DepartmentSpan {
  activeFrom: number | null;
  activeTo: number | null;
}

export function isActiveIn(d: DepartmentSpan, fiscalYear: number): boolean {
  return (d.activeFrom === null || d.activeFrom <= fiscalYear) && (d.activeTo === null || d.activeTo >= fiscalYear);
}

export interface ReorgOrigin {
  effectiveYear: number;
  kind: ReorgKind;
  fromNames: string[];
}

/**
 * The note printed after a department name in reports, e.g. 住宅政策課（平成28年度より住宅課から組織変更）.
 * Only the most recent change that created the unit is named, as printed reports do.
 */
export function reorganisationNote(origin: ReorgOrigin, era2019: Era2019 = 'reiwa1'): string {
  const from = origin.fromNames.join('・');
  const when = eraYearLabel(origin.effectiveYear, era2019);
  const verb = origin.kind === 'merge' ? 'を統合' : origin.kind === 'split' ? 'から分割' : 'から組織変更';
  return `${when}より${from}${verb}`;
}

export function departmentDisplayName(name: string, origin: ReorgOrigin | null, era2019: Era2019 = 'reiwa1'): string {
  return origin ? `${name}（${reorganisationNote(origin, era2019)}）` : name;
}
