import { ApiError } from '../../lib/api.js';
import type { ConfigDraft, Problem } from './config-draft.js';

/**
 * Messages beside the fields of the evaluation settings: those the form finds itself (a number it
 * cannot read) and those the server gives, both named by the same paths (config.slots.0.name).
 */
export interface FieldErrors {
  /** the message for exactly this field */
  at(field: string): string | undefined;
  /** how many messages concern this field or anything inside it */
  within(prefix: string): number;
  /** the first slot or scale a message concerns, to open it */
  first(): { kind: 'slot' | 'scale'; index: number } | null;
  /** every message, with the slot or scale it concerns in words, for the list above the save button */
  summary(draft: ConfigDraft): { where: string; message: string }[];
}

/** The slot or scale a path points into, in words: 評価の項目「自己評価」. */
function whereOf(draft: ConfigDraft, field: string): string {
  const m = /^config\.(slots|scales)\.(\d+)(\.|$)/.exec(field);
  if (!m) return field === 'fromYear' ? '適用開始年度' : '';
  const item = m[1] === 'slots' ? draft.slots[Number(m[2])] : draft.scales[Number(m[2])];
  const what = m[1] === 'slots' ? '評価の項目' : '尺度';
  return item ? `${what}「${item.name || item.key}」` : what;
}

export function fieldErrors(problems: Problem[], error: unknown): FieldErrors {
  const server = error instanceof ApiError && error.status === 400 ? error.details : [];
  const all = [...problems, ...server.map((d) => ({ field: d.field, message: d.message }))];
  return {
    at: (field) => all.find((p) => p.field === field)?.message,
    within: (prefix) => all.filter((p) => p.field === prefix || p.field.startsWith(`${prefix}.`)).length,
    first: () => {
      for (const p of all) {
        const m = /^config\.(slots|scales)\.(\d+)(\.|$)/.exec(p.field);
        if (m) return { kind: m[1] === 'slots' ? 'slot' : 'scale', index: Number(m[2]) };
      }
      return null;
    },
    summary: (draft) => all.map((p) => ({ where: whereOf(draft, p.field), message: p.message })),
  };
}
