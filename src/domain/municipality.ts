import { toHalfWidth } from './fiscal-year.js';

/**
 * 全国地方公共団体コード: five digits and a check digit. The check digit is the last digit of
 * 11 − (Σ digit × weight mod 11) with weights 6, 5, 4, 3, 2.
 */
export function localGovernmentCheckDigit(firstFive: string): number {
  const weights = [6, 5, 4, 3, 2];
  let sum = 0;
  for (let i = 0; i < 5; i++) sum += Number(firstFive[i]) * weights[i]!;
  return (11 - (sum % 11)) % 10;
}

export type CodeProblem = 'format' | 'checkDigit';

export function checkLocalGovernmentCode(
  input: string,
): { ok: true; code: string } | { ok: false; problem: CodeProblem } {
  const code = toHalfWidth(input).trim();
  if (!/^\d{6}$/.test(code)) return { ok: false, problem: 'format' };
  const prefecture = Number(code.slice(0, 2));
  if (prefecture < 1) return { ok: false, problem: 'format' };
  if (localGovernmentCheckDigit(code) !== Number(code[5])) return { ok: false, problem: 'checkDigit' };
  return { ok: true, code };
}
