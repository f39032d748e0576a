import type { z } from 'zod';
import { fieldLabel, fieldName, formOf } from '../../domain/field-labels.js';
import { issueMessage, NO_OWN_MESSAGE } from '../../domain/validation-messages.js';

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

/**
 * A refusal of one field by a service, in the words the screen uses. `label` names the field where the
 * table of field names cannot (an indicator by its own name); the message then says the rest.
 */
export function invalid(field: string, message: string, label?: string): AppError {
  const name = label ?? fieldLabel(field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)));
  return new AppError('VALIDATION', message.includes(name) ? message : `${name}: ${message}`, [
    { field, label: name, message },
  ]);
}

/** Names a field otherwise than the table of field names does, for one request (an indicator by its name). */
export type LabelFor = (path: readonly PropertyKey[]) => string | undefined;

/** What is wrong with a request part, field by field, in Japanese; empty when the schema accepts it. */
export function validationProblems(schema: z.ZodType, input: unknown, labelFor?: LabelFor): FieldProblem[] {
  const result = schema.safeParse(input ?? {}, { reportInput: true, error: () => NO_OWN_MESSAGE });
  if (result.success) return [];
  return problemsOf(schema, result.error.issues, labelFor);
}

function problemsOf(schema: z.ZodType, issues: readonly z.core.$ZodIssue[], labelFor?: LabelFor): FieldProblem[] {
  const form = formOf(schema);
  return issues.map((issue) => {
    const label = labelFor?.(issue.path) ?? fieldLabel(issue.path, form);
    const name = labelFor?.(issue.path) ?? fieldName(issue.path, form);
    return { field: issue.path.join('.'), label, message: issueMessage(issue, label, name) };
  });
}

/** The one message above the fields: each problem once, in the order of the form. */
export function summaryMessage(details: readonly FieldProblem[]): string {
  const messages = [...new Set(details.map((d) => d.message))];
  return `入力内容を確認してください。${messages.join('。')}`.replace(/。+$/, '') + '。';
}

/** Validates a request part with zod; every problem is named by its field's label, in plain Japanese. */
export function parse<S extends z.ZodType>(schema: S, input: unknown, labelFor?: LabelFor): z.output<S> {
  const result = schema.safeParse(input ?? {}, { reportInput: true, error: () => NO_OWN_MESSAGE });
  if (result.success) return result.data;
  const details = problemsOf(schema, result.error.issues, labelFor);
  throw new AppError('VALIDATION', summaryMessage(details), details);
}
