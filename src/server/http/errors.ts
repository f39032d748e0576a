import type { z } from 'zod';
import { fieldLabel } from '../../domain/field-labels.js';

export type ErrorCode =
  | 'VALIDATION'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CSRF'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

const STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CSRF: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export interface FieldProblem {
  field: string;
  label: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldProblem[],
    /** more of the answer's body, e.g. the record as it is now beside a 409 */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what}が見つかりません`);
export const forbidden = (message = 'この操作を行う権限がありません') => new AppError('FORBIDDEN', message);
export const conflict = (message: string) => new AppError('CONFLICT', message);

export function invalid(field: string, message: string): AppError {
  const label = fieldLabel(field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)));
  return new AppError('VALIDATION', `${label}: ${message}`, [{ field, label, message }]);
}

/** Validates a request part with zod; the message names every field that failed, in Japanese. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const details: FieldProblem[] = result.error.issues.map((issue) => ({
    field: issue.path.join('.'),
    label: fieldLabel(issue.path),
    message: issue.message,
  }));
  const message = details.map((d) => `${d.label}: ${d.message}`).join(' / ');
  throw new AppError('VALIDATION', `入力内容に誤りがあります。${message}`, details);
}
