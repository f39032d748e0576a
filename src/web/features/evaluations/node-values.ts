import type {
  EvaluationHistoryEntryDto,
  NodeEvaluationRow,
  NodeEvaluationsDto,
  SlotValueDto,
} from '../../../domain/api-types.js';
import { fiscalYearOf } from '../../../domain/fiscal-year.js';
import {
  codeSpeech,
  EVALUATION_SOURCE_LABELS,
  handCodes,
  slotScale,
  type Scale,
  type Slot,
} from '../../../domain/evaluation/index.js';

/**
 * The node evaluation screen's words and choices: which slot a row takes, the codes a person may
 * choose (with their legend), what a saved value says aloud, and a history entry as a line.
 */

export interface SlotColumn {
  slot: Slot;
  scale: Scale;
  /** the signed-in user may enter it */
  mayEnter: boolean;
}

export function slotColumns(dto: Pick<NodeEvaluationsDto, 'config' | 'mayEnter'>): SlotColumn[] {
  return dto.config.slots.map((slot) => ({
    slot,
    scale: slotScale(dto.config, slot),
    mayEnter: dto.mayEnter.includes(slot.key),
  }));
}

/** Whether the slot evaluates this row (the server gives a value only where it does). */
export const evaluates = (row: NodeEvaluationRow, slot: Slot): boolean => slot.key in row.values;

export interface CodeOption {
  code: string;
  label: string;
}

/** The codes a person may choose in a slot: the legend of a manual scale, the hand codes beside a computation. */
export function codeOptions(scale: Scale): CodeOption[] {
  return handCodes(scale).map((g) => ({ code: g.code, label: g.label ? `${g.code}（${g.label}）` : g.code }));
}

/** What a value says: its code aloud, and where it came from when that is not simply entered. */
export function valueSpeech(scale: Scale, v: SlotValueDto): string {
  const speech = codeSpeech(scale, v.code);
  if (v.source === 'entered' || v.source === 'none') return speech;
  return `${speech}（${EVALUATION_SOURCE_LABELS[v.source]}）`;
}

/** A row's key, for its controls' ids and names. */
export const rowKey = (row: Pick<NodeEvaluationRow, 'subjectKind' | 'subjectId'>): string =>
  `${row.subjectKind}-${row.subjectId}`;

/** The row as a heading says it: 「1 啓発」, 「計画全体」. */
export const rowTitle = (row: Pick<NodeEvaluationRow, 'number' | 'title'>): string =>
  row.number ? `${row.number} ${row.title}` : row.title;

type Side = EvaluationHistoryEntryDto['before'];

/** One side of a change, in words: 「★★（概ね進んでいる）／意見：周知の工夫を」. */
export function sideText(scale: Scale, side: Side): string {
  const parts = [side.code === null ? '（評価なし）' : codeSpeech(scale, side.code)];
  if (side.comment) parts.push(`コメント：${side.comment}`);
  if (side.reason) parts.push(`理由：${side.reason}`);
  return parts.join('／');
}

/** Whether a draft differs from what is stored. */
export function changed(v: SlotValueDto, draft: { code: string; comment: string; reason: string }): boolean {
  return (v.code ?? '') !== draft.code || v.comment !== draft.comment.trim() || v.reason !== draft.reason.trim();
}

/** The year a council usually evaluates: the one just ended, within the plan's period. */
export function evaluatedYear(plan: { firstYear: number; lastYear: number }, today = new Date()): number {
  return Math.min(Math.max(fiscalYearOf(today) - 1, plan.firstYear), plan.lastYear);
}

/** What was typed but not saved (someone saved first), for the person to enter again. */
export function unsavedText(draft: { code: string; comment: string; reason: string }): string {
  const parts = [
    draft.code && `評価「${draft.code}」`,
    draft.comment.trim() && `コメント「${draft.comment.trim()}」`,
    draft.reason.trim() && `理由「${draft.reason.trim()}」`,
  ].filter(Boolean);
  return parts.length ? `保存されなかった入力：${parts.join('、')}` : '';
}

/** The rows shown: those some slot evaluates, or every row of the tree when asked. */
export function shownRows(rows: NodeEvaluationRow[], all: boolean): NodeEvaluationRow[] {
  if (all) return rows;
  const evaluated = (r: NodeEvaluationRow) => Object.keys(r.values).length > 0;
  // A node the slots do not evaluate still heads the projects under it that they do (they follow it).
  return rows.filter((r, i) => {
    if (evaluated(r)) return true;
    if (r.subjectKind !== 'node') return false;
    const next = rows.slice(i + 1);
    const end = next.findIndex((x) => x.subjectKind !== 'project');
    const own = end === -1 ? next : next.slice(0, end);
    return own.some((p) => p.subjectKind === 'project' && evaluated(p));
  });
}
