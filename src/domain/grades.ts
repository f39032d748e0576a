/**
 * The grades a plan's departments choose from (A–D, ◎○△×, …), with what each means. Later,
 * evaluation scales compute grades; until then each plan lists its own. Their schema
 * (`gradeOptionsInput`) is in schemas.ts.
 */
export interface GradeOption {
  code: string;
  label: string;
}

export const DEFAULT_GRADE_OPTIONS: GradeOption[] = [
  { code: 'A', label: '順調または目標達成' },
  { code: 'B', label: '概ね順調' },
  { code: 'C', label: '検討が必要' },
  { code: 'D', label: '極めて不十分・実施せず' },
];
