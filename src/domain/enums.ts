/**
 * The closed lists the database stores as text, in one place: the server types its rows with them
 * and migration 009 makes the database refuse anything else.
 */
export { ROLES, type Role } from './roles.js';
export { DEPARTMENT_KINDS, type DepartmentKind, REORG_KINDS, type ReorgKind } from './department.js';
export {
  INDICATOR_KINDS,
  type IndicatorKind,
  DIRECTIONS,
  type Direction,
  PHASES,
  type Phase,
  RECORD_STATUSES,
  type RecordStatus,
} from './cycle.js';
export { NUMBERING_STYLES, type NumberingStyle, NUMBERING_SCOPES, type NumberingScope } from './numbering.js';
export { ACTUAL_STATUSES, type ActualStatus } from './values.js';

export const REORG_STATUSES = ['scheduled', 'applied', 'cancelled'] as const;
export type ReorgStatus = (typeof REORG_STATUSES)[number];

export const ROUND_STATUSES = ['open', 'closed'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];

export const GRADE_SOURCES = ['computed', 'entered'] as const;
export type GradeSource = (typeof GRADE_SOURCES)[number];

export const RECORD_COMMENT_KINDS = ['review', 'return', 'note'] as const;
export type RecordCommentKind = (typeof RECORD_COMMENT_KINDS)[number];

export const HISTORY_ACTIONS = [
  'create',
  'save',
  'submit',
  'return',
  'approve',
  'reopen',
  'rollover',
  'undo',
  'import',
] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

export const ERAS_2019 = ['heisei31', 'reiwa1'] as const;
export type Era2019Code = (typeof ERAS_2019)[number];
