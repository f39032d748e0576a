import { slotScale } from '../evaluation/slots.js';
import type { Slot } from '../evaluation/schema.js';
import type { SubjectKind } from '../evaluation/terms.js';
import { addToSlotTally, emptySlotTally, type SlotTally } from '../evaluation/tally.js';
import type { EvaluationSource } from '../evaluation/resolve.js';
import { SlotValues } from './evaluation.js';
import type { ReportDataset } from './build.js';
import { pathFinder } from '../tree.js';

/**
 * 集計 of every slot the plan tallies, each in its own scale: its codes counted in the scale's order
 * (an array, so that JSON keeps the order), with the points per grade added up and averaged, per node
 * of the summary's level and in total. The main table of 集計 compares one slot with the year before;
 * this shows them all side by side — the department's, the coordinating section's, the council's.
 */
export interface SlotSummary {
  slotKey: string;
  name: string;
  subject: SubjectKind;
  /** the scale's counted codes with their words, in its order */
  codes: { code: string; label: string }[];
  /** the scale gives points to its grades (3/2/1/0): the totals and averages mean something */
  hasPoints: boolean;
  total: SlotTally;
  byNode: { id: number; label: string; tally: SlotTally }[];
}

/** One value of a slot in a year, with where it sits in the tree (root first; empty for the plan). */
export interface SlotUnit {
  subjectKind: SubjectKind;
  projectId: number | null;
  departmentId: number;
  nodePath: number[];
  code: string | null;
  source: EvaluationSource;
}

/** Whether an indicator line had anything to grade in a year: a target or an actual. */
export function lineHasFacts(ds: ReportDataset, indicatorId: number, departmentId: number, year: number): boolean {
  return (
    ds.targets.some((t) => t.indicatorId === indicatorId && t.fiscalYear === year) ||
    ds.actuals.some((a) => a.indicatorId === indicatorId && a.departmentId === departmentId && a.fiscalYear === year)
  );
}

/** A slot's values of a year on the subjects the report holds; a line with nothing to grade that year is left out. */
export function slotUnits(ds: ReportDataset, year: number, slot: Slot): SlotUnit[] {
  const pathOf = pathFinder(ds.nodes);
  const nodeIds = new Set(ds.nodes.map((n) => n.id));
  const projectNode = new Map(ds.projects.map((p) => [p.id, p.nodeId]));
  const indicators = new Map(ds.indicators.map((i) => [i.id, i]));
  const units: SlotUnit[] = [];
  for (const v of new SlotValues(ds.evaluation).of(year, slot.key)) {
    const unit = (projectId: number | null, nodePath: number[]): SlotUnit => ({
      ...{ subjectKind: v.subjectKind, projectId, departmentId: v.departmentId, nodePath },
      ...{ code: v.code, source: v.source },
    });
    if ((v.subjectKind === 'record' || v.subjectKind === 'project') && projectNode.has(v.subjectId))
      units.push(unit(v.subjectId, pathOf(projectNode.get(v.subjectId)!)));
    else if (v.subjectKind === 'node' && nodeIds.has(v.subjectId)) units.push(unit(null, pathOf(v.subjectId)));
    else if (v.subjectKind === 'plan') units.push(unit(null, []));
    else if (v.subjectKind === 'indicator') {
      const i = indicators.get(v.subjectId);
      const nodeId = i?.projectId != null ? projectNode.get(i.projectId) : (i?.nodeId ?? undefined);
      if (!i || nodeId === undefined || !nodeIds.has(nodeId)) continue;
      if (v.code === null && !lineHasFacts(ds, i.id, v.departmentId, year)) continue;
      units.push(unit(i.projectId, pathOf(nodeId)));
    }
  }
  return units;
}

/** Every tallied slot's counts and points for the report's year, per node of `nodes` (the summary's level). */
export function slotSummaries(ds: ReportDataset, depth: number, nodes: { id: number; label: string }[]): SlotSummary[] {
  const { config } = ds.evaluation;
  return config.slots
    .filter((s) => s.tallied)
    .map((slot) => {
      const scale = slotScale(config, slot);
      const units = slotUnits(ds, ds.fiscalYear, slot);
      const tallyOf = (pick: (u: SlotUnit) => boolean) => {
        const t = emptySlotTally(scale);
        for (const u of units.filter(pick)) addToSlotTally(scale, t, u);
        return t;
      };
      return {
        slotKey: slot.key,
        name: slot.name,
        subject: slot.subject,
        codes: scale.grades.filter((g) => g.tally).map((g) => ({ code: g.code, label: g.label })),
        hasPoints: scale.grades.some((g) => g.points !== null),
        total: tallyOf(() => true),
        byNode: nodes.map((n) => ({ ...n, tally: tallyOf((u) => u.nodePath[depth] === n.id) })),
      };
    });
}
