import type { IndicatorDto } from '../../../domain/api-types.js';
import type { DbOrTx } from '../../db/types.js';
import { loadPlanYearFacts, type PlanYearFacts } from '../evaluations/index.js';
import { loadPlanIndicators } from '../indicators/index.js';
import { readPlanFields, yearStructure } from '../plans/index.js';

/**
 * What every department's sheet of a plan year reads alike: the year's tree, the plan's fields, the
 * indicators of its projects with their targets, and the plan's side of the evaluation. It changes only
 * with the plan's revision (`bumpPlan`: the tree, indicators, targets, settings), so the sheet cache keeps
 * it per plan year and revision, and a sheet built next reads only its department's answers.
 */
export interface SheetPlanPart {
  /** the year's whole structure (a sheet takes its own projects from it) */
  structure: Awaited<ReturnType<typeof yearStructure>>;
  fields: Awaited<ReturnType<typeof readPlanFields>>;
  /** the indicators of every project of the plan that apply in the year, in their order */
  indicators: IndicatorDto[];
  facts: PlanYearFacts;
}

/** Reads a plan year's part of its sheets, in the transaction of the build that needs it. */
export async function loadSheetPlanPart(
  db: DbOrTx,
  municipalityId: number,
  planId: number,
  fiscalYear: number,
): Promise<SheetPlanPart> {
  const structure = await yearStructure(db, planId, fiscalYear);
  const fields = await readPlanFields(db, planId);
  const indicators = await loadPlanIndicators(db, municipalityId, planId, fiscalYear);
  const facts = await loadPlanYearFacts(db, planId, fiscalYear);
  return { structure, fields, indicators, facts };
}

/** How much a part holds, for the cache's bound: its projects, nodes and indicators. */
export function planPartWeight(part: SheetPlanPart): number {
  return part.structure.projects.length + part.structure.nodes.length + part.facts.indicators.length;
}

/** The year's structure for some projects only, as `yearStructure` with `{ projectIds }` reads it. */
export function structureFor(part: SheetPlanPart, projectIds: number[]): SheetPlanPart['structure'] {
  const only = new Set(projectIds);
  return { ...part.structure, projects: part.structure.projects.filter((p) => only.has(p.id)) };
}
