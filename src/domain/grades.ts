import { z } from 'zod';

/**
 * The grades a plan's departments choose from (A–D, ◎○△×, …), with what each means. Later,
 * evaluation scales compute grades; until then each plan lists its own.
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

export const gradeOptionsInput = z
  .array(
    z.object({
      code: z.string().trim().min(1, '記号を入力してください').max(10),
      label: z.string().trim().max(60).default(''),
    }),
  )
  .max(20)
  .refine((list) => new Set(list.map((g) => g.code)).size === list.length, '同じ記号が重複しています');
