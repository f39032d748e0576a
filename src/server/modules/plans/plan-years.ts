import { inYear } from '../../../domain/effective.js';
import { numbersForYear, type NumberingScope, type NumberingStyle } from '../../../domain/numbering.js';
import type { DbOrTx } from '../../db/types.js';

/**
 * The years of a plan's structure. Nodes and projects apply from `first_year` to `last_year`; a
 * year's printed numbers are computed from the nodes that apply in it until the year's answers are
 * approved or published, and from then on read from `node_numbers`, so that later changes to the
 * tree renumber later years only. See docs/effective-dating.md.
 */

export interface SpanRow {
  first_year: number | null;
  last_year: number | null;
}

export const rowInYear = (r: SpanRow, year: number) => inYear({ firstYear: r.first_year, lastYear: r.last_year }, year);

/**
 * The year the plan is being worked on now: the year of its open round; else the year after its
 * latest round (the one being prepared); else null, for a plan that has had no round yet (then
 * what is added belongs to the whole plan period). Clamped to the plan period.
 */
export async function currentYearOf(db: DbOrTx, planId: number): Promise<number | null> {
  const plan = await db.selectFrom('plans').select(['first_year', 'last_year']).where('id', '=', planId).executeTakeFirstOrThrow();
  const rounds = await db.selectFrom('survey_rounds').select(['fiscal_year', 'status']).where('plan_id', '=', planId).orderBy('fiscal_year', 'desc').execute();
  const open = rounds.find((r) => r.status === 'open');
  const year = open ? open.fiscal_year : rounds.length ? rounds[0]!.fiscal_year + 1 : null;
  if (year === null) return null;
  return Math.min(Math.max(year, plan.first_year), plan.last_year);
}

export async function frozenNumbers(db: DbOrTx, planId: number, year: number): Promise<Map<number, string>> {
  const rows = await db.selectFrom('node_numbers').select(['node_id', 'number']).where('plan_id', '=', planId).where('fiscal_year', '=', year).execute();
  return new Map(rows.map((r) => [r.node_id, r.number]));
}

interface NodeForNumbering extends SpanRow {
  id: number;
  parent_id: number | null;
  depth: number;
  position: number;
  number_override: string | null;
  counts_in_numbering: number;
}

/** Printed numbers of the nodes that apply in `year`, frozen ones first. */
export async function numbersOfYear(db: DbOrTx, planId: number, year: number | null, nodes?: NodeForNumbering[]): Promise<Map<number, string>> {
  const [rows, levels, frozen] = await Promise.all([
    nodes ??
      db
        .selectFrom('plan_nodes')
        .select(['id', 'parent_id', 'depth', 'position', 'number_override', 'counts_in_numbering', 'first_year', 'last_year'])
        .where('plan_id', '=', planId)
        .execute(),
    db.selectFrom('plan_levels').select(['depth', 'numbering_style', 'numbering_scope']).where('plan_id', '=', planId).orderBy('depth').execute(),
    year === null ? Promise.resolve(new Map<number, string>()) : frozenNumbers(db, planId, year),
  ]);
  return numberNodes(rows, levels, year, frozen);
}

export function numberNodes(
  rows: readonly NodeForNumbering[],
  levels: readonly { numbering_style: string; numbering_scope: string }[],
  year: number | null,
  frozen: ReadonlyMap<number, string>,
): Map<number, string> {
  const active = year === null ? rows : rows.filter((n) => rowInYear(n, year));
  return numbersForYear(
    active.map((n) => ({ id: n.id, parentId: n.parent_id, depth: n.depth, position: n.position, numberOverride: n.number_override, countsInNumbering: n.counts_in_numbering !== 0 })),
    levels.map((l) => ({ style: l.numbering_style as NumberingStyle, scope: l.numbering_scope as NumberingScope })),
    frozen,
  );
}

/**
 * Fixes a year's printed numbers, once: called when the first answer of the year is approved and
 * when a report of the year is published. Nodes added to the year afterwards are numbered from
 * the tree (see numbersForYear).
 */
export async function freezeNumbers(db: DbOrTx, municipalityId: number, planId: number, year: number): Promise<void> {
  const existing = await db.selectFrom('node_numbers').select('node_id').where('plan_id', '=', planId).where('fiscal_year', '=', year).limit(1).executeTakeFirst();
  if (existing) return;
  const numbers = await numbersOfYear(db, planId, year);
  const rows = [...numbers].map(([nodeId, number]) => ({ municipality_id: municipalityId, plan_id: planId, fiscal_year: year, node_id: nodeId, number }));
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('node_numbers').values(rows.slice(i, i + 500)).onConflict((oc) => oc.doNothing()).execute();
}
