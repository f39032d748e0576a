import { resolveSlot, type Resolved } from './resolve.js';
import { judgeRollup, type Child } from './rollup.js';
import { judgeSlotLine, type LineFacts } from './rules.js';
import type { EvaluationConfig, Slot } from './schema.js';
import { slotScale } from './slots.js';
import type { SubjectKind } from './terms.js';

/**
 * Every slot's value for every subject of one plan year, from the year's facts (its tree, answers,
 * indicator lines with the targets in force that year) and what people entered. One pure function
 * used by the sheet, the review, the reports, the tallies and the node evaluation screen, so that
 * they all show the same value.
 */

export interface YearNode {
  id: number;
  parentId: number | null;
  depth: number;
}
export interface YearProject {
  id: number;
  nodeId: number;
}
export interface YearRecord {
  projectId: number;
  departmentId: number;
}
export interface YearLine {
  indicatorId: number;
  departmentId: number;
  /** the project the indicator belongs to, or null for an indicator of a node or of the plan */
  projectId: number | null;
  nodeId: number | null;
  name: string;
  facts: LineFacts;
}
export interface StoredEntry {
  slotKey: string;
  subjectKind: SubjectKind;
  subjectId: number;
  /** 0 where the subject has no department (projects, nodes, the plan) */
  departmentId: number;
  code: string | null;
  level: string | null;
  reason: string;
  comment: string;
  /** the stored row and its version, where read from the database (for optimistic saves) */
  id?: number;
  version?: number;
  /** who entered it last (named as at the time) and when, where read from the database */
  enteredByName?: string;
  enteredAt?: string;
}
export interface YearFacts {
  planId: number;
  nodes: YearNode[];
  projects: YearProject[];
  records: YearRecord[];
  lines: YearLine[];
  entries: StoredEntry[];
}

export interface SubjectRef {
  kind: SubjectKind;
  id: number;
  departmentId: number;
}
export const subjectKey = (kind: SubjectKind, id: number, departmentId = 0): string => `${kind}:${id}:${departmentId}`;

export interface SlotValue extends Resolved {
  subject: SubjectRef;
}

export class YearEvaluations {
  constructor(
    readonly config: EvaluationConfig,
    private readonly values: Map<string, Map<string, SlotValue>>,
  ) {}
  /** The slot's value for a subject, or undefined where the slot does not evaluate it. */
  get(slotKey: string, kind: SubjectKind, id: number, departmentId = 0): SlotValue | undefined {
    return this.values.get(slotKey)?.get(subjectKey(kind, id, departmentId));
  }
  /** All values of one slot, in the order the subjects were met. */
  of(slotKey: string): SlotValue[] {
    return [...(this.values.get(slotKey)?.values() ?? [])];
  }
}

/** Slots in an order where every rollup comes after the slot it sums up. */
function ordered(slots: Slot[]): Slot[] {
  const out: Slot[] = [];
  const visit = (s: Slot, depth: number) => {
    if (out.includes(s) || depth > slots.length) return;
    const from = s.rollupFrom ? slots.find((x) => x.key === s.rollupFrom) : undefined;
    if (from) visit(from, depth + 1);
    out.push(s);
  };
  for (const s of slots) visit(s, 0);
  return out;
}

class Tree {
  private readonly children = new Map<number | null, YearNode[]>();
  private readonly projectNode = new Map<number, number>();
  constructor(readonly facts: YearFacts) {
    for (const n of facts.nodes) this.children.set(n.parentId, [...(this.children.get(n.parentId) ?? []), n]);
    for (const p of facts.projects) this.projectNode.set(p.id, p.nodeId);
  }
  /** the node and every node below it */
  subtree(nodeId: number): Set<number> {
    const out = new Set<number>([nodeId]);
    const walk = (id: number) => {
      for (const c of this.children.get(id) ?? []) {
        out.add(c.id);
        walk(c.id);
      }
    };
    walk(nodeId);
    return out;
  }
  nodeOfProject(projectId: number): number | undefined {
    return this.projectNode.get(projectId);
  }
}

/** Whether a value of the source slot lies within a subject of the rollup slot. */
function within(tree: Tree, subject: SubjectRef, child: SubjectRef, lineOf: Map<string, YearLine>): boolean {
  if (subject.kind === 'plan') return true;
  const projectOf = (c: SubjectRef): number | null =>
    c.kind === 'record' || c.kind === 'project'
      ? c.id
      : c.kind === 'indicator'
        ? (lineOf.get(subjectKey(c.kind, c.id, c.departmentId))?.projectId ?? null)
        : null;
  if (subject.kind === 'record') return projectOf(child) === subject.id && child.departmentId === subject.departmentId;
  if (subject.kind === 'project') return projectOf(child) === subject.id;
  // node
  const nodes = tree.subtree(subject.id);
  if (child.kind === 'node') return child.id !== subject.id && nodes.has(child.id);
  const project = projectOf(child);
  if (project !== null) return nodes.has(tree.nodeOfProject(project) ?? -1);
  const line = lineOf.get(subjectKey(child.kind, child.id, child.departmentId));
  return line?.nodeId != null && nodes.has(line.nodeId);
}

/** The subjects a slot evaluates in the year, with the judgement its rule makes of each (null: none). */
function subjectsOf(slot: Slot, facts: YearFacts): { subject: SubjectRef; line?: YearLine }[] {
  switch (slot.subject) {
    case 'indicator': {
      const lines = facts.lines.map((line) => ({
        subject: { kind: 'indicator' as const, id: line.indicatorId, departmentId: line.departmentId },
        line,
      }));
      if (slot.enteredBy !== 'computed') return lines.filter((l) => l.line.facts.purpose !== 'monitoring');
      // An answer without any indicator line is graded by hand on the answer itself (着手, 未着手).
      const graded = facts.lines.filter((l) => l.projectId !== null && slot.purposes.includes(l.facts.purpose));
      const withLines = new Set(graded.map((l) => `${l.projectId}:${l.departmentId}`));
      const bare = facts.records
        .filter((r) => !withLines.has(`${r.projectId}:${r.departmentId}`))
        .map((r) => ({ subject: { kind: 'record' as const, id: r.projectId, departmentId: r.departmentId } }));
      return [...lines, ...bare];
    }
    case 'record':
      return facts.records.map((r) => ({ subject: { kind: 'record', id: r.projectId, departmentId: r.departmentId } }));
    case 'project':
      return facts.projects.map((p) => ({ subject: { kind: 'project', id: p.id, departmentId: 0 } }));
    case 'node':
      return facts.nodes
        .filter((n) => slot.depth === null || n.depth === slot.depth)
        .map((n) => ({ subject: { kind: 'node', id: n.id, departmentId: 0 } }));
    case 'plan':
      return [{ subject: { kind: 'plan', id: facts.planId, departmentId: 0 } }];
  }
}

export function evaluateYear(config: EvaluationConfig, facts: YearFacts): YearEvaluations {
  const tree = new Tree(facts);
  const entries = new Map(
    facts.entries.map((e) => [`${e.slotKey}|${subjectKey(e.subjectKind, e.subjectId, e.departmentId)}`, e]),
  );
  const lineOf = new Map(facts.lines.map((l) => [subjectKey('indicator', l.indicatorId, l.departmentId), l]));
  const values = new Map<string, Map<string, SlotValue>>();
  for (const slot of ordered(config.slots)) {
    const scale = slotScale(config, slot);
    const out = new Map<string, SlotValue>();
    const source = slot.rollupFrom ? config.slots.find((s) => s.key === slot.rollupFrom) : undefined;
    const sourceValues = source ? [...(values.get(source.key)?.values() ?? [])] : [];
    for (const { subject, line } of subjectsOf(slot, facts)) {
      const key = subjectKey(subject.kind, subject.id, subject.departmentId);
      const stored = entries.get(`${slot.key}|${key}`);
      let computed = null;
      if (slot.enteredBy === 'computed' && line) computed = judgeSlotLine(slot, scale, line.facts);
      else if (slot.enteredBy === 'computed' && source) {
        const children: Child[] = sourceValues
          .filter((v) => within(tree, subject, v.subject, lineOf))
          .map((v) => ({ code: v.code, scale: slotScale(config, source), excluded: v.source === 'excluded' }));
        computed = judgeRollup(scale, children);
      }
      const entry = stored ? { code: stored.code, reason: stored.reason, comment: stored.comment } : null;
      const resolved = resolveSlot(slot, computed, entry, scale);
      // An entered level (達成度 as the department printed it) stays with its override.
      if (stored?.level && resolved.source !== 'computed') resolved.level = stored.level;
      out.set(key, { ...resolved, subject });
    }
    values.set(slot.key, out);
  }
  return new YearEvaluations(config, values);
}

/** Entries stored for subjects the year no longer has: printed in a list, never dropped silently. */
export function orphanEntries(evaluations: YearEvaluations, facts: YearFacts): StoredEntry[] {
  return facts.entries.filter(
    (e) =>
      (e.code !== null || e.comment !== '') && !evaluations.get(e.slotKey, e.subjectKind, e.subjectId, e.departmentId),
  );
}
