import { ACTUAL_STATUSES, type ActualStatus } from '../values.js';
import type { GradeDef, Rule, Scale } from './schema.js';

/**
 * A scale is the list of codes an evaluation can take (A–D, ◎○△×, ★★★, 改善/悪化/横ばい …), in
 * the order the plan prints them, with what each code means, whether it counts in tallies and how
 * many points it is worth — and the rule that computes a code from the facts, if any. Scales are
 * data: every municipality's grading is one of these, never code.
 */

/** The codes a rule can print, each with where it is named (for the message). */
export function codesPrintedByRule(rule: Rule): { path: (string | number)[]; code: string }[] {
  const out: { path: (string | number)[]; code: string }[] = [];
  const add = (path: (string | number)[], code: string | null | undefined) => {
    if (code) out.push({ path, code });
  };
  if (rule.kind === 'ratio' || rule.kind === 'progress') {
    for (const [i, l] of rule.levels.entries())
      if (!rule.levelGrades.some((m) => m.level === l.code)) add(['rule', 'levels', i, 'code'], l.code);
    for (const [i, m] of rule.levelGrades.entries()) add(['rule', 'levelGrades', i, 'grade'], m.grade);
    add(['rule', 'noTarget'], rule.noTarget);
  }
  if (rule.kind === 'trend') {
    add(['rule', 'improved'], rule.improved);
    add(['rule', 'unchanged'], rule.unchanged);
    add(['rule', 'worsened'], rule.worsened);
  }
  if (rule.kind === 'done') {
    add(['rule', 'done'], rule.done);
    add(['rule', 'notDone'], rule.notDone);
    add(['rule', 'notApplicable'], rule.notApplicable);
  }
  if (rule.kind === 'rollup') for (const [i, b] of rule.bands.entries()) add(['rule', 'bands', i, 'code'], b.code);
  if ('cannotCompute' in rule) add(['rule', 'cannotCompute'], rule.cannotCompute);
  if ('statusGrades' in rule)
    for (const status of ACTUAL_STATUSES) add(['rule', 'statusGrades', status], rule.statusGrades[status]);
  return out;
}

/** A scale's status code for an actual that is a status rather than a value, if the rule gives one. */
export function statusGradeOf(rule: Rule, status: ActualStatus | null): string | null {
  if (!status || !('statusGrades' in rule)) return null;
  return rule.statusGrades[status] ?? null;
}

export const gradeDef = (scale: Scale, code: string | null): GradeDef | undefined =>
  code === null ? undefined : scale.grades.find((g) => g.code === code);

/** Whether a code counts in tallies: as the scale says; a code the scale does not list counts only if it is not a dash. */
export function counts(scale: Scale, code: string | null): boolean {
  if (code === null) return false;
  const def = gradeDef(scale, code);
  return def ? def.tally : !DASH.test(code);
}

/** The place of a code in the scale's order (best first); unknown codes go last. */
export function codeOrder(scale: Scale, code: string): number {
  const i = scale.grades.findIndex((g) => g.code === code);
  return i === -1 ? scale.grades.length : i;
}

export const DASH = /^[—–―‐−－ー-]+$/;

/** Whether the rule computes anything. */
export const computes = (scale: Scale): boolean => scale.rule.kind !== 'manual';

/** The codes a person may choose for this scale where its rule computes nothing. */
export function handCodes(scale: Scale): GradeDef[] {
  if (scale.rule.kind === 'manual') return scale.grades;
  return scale.grades.filter((g) => g.hand);
}
