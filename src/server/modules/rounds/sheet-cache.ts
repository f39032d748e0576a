import type { DbOrTx } from '../../db/types.js';
import { now } from '../../db/util.js';

/**
 * Department sheets are read far more often than they change, above all near a deadline. A
 * sheet's content is cached in memory per (round, department) together with its plan's revision;
 * every change a sheet shows raises that revision in the same transaction (`bumpPlan`), so a
 * cached sheet is used only while the database says nothing has changed. The revision lives in
 * the database, which keeps several app processes consistent.
 */
export async function bumpPlan(db: DbOrTx, planId: number, opts: { touched?: boolean } = {}): Promise<void> {
  // One atomic statement (never read-then-write), so two processes bumping at once both count.
  await db
    .updateTable('plans')
    .set((eb) => ({ revision: eb('revision', '+', 1), ...(opts.touched ? { updated_at: now() } : {}) }))
    .where('id', '=', planId)
    .execute();
}

/** Every plan of a municipality: for changes such as department names that show on all sheets. */
export async function bumpMunicipalityPlans(db: DbOrTx, municipalityId: number): Promise<void> {
  await db
    .updateTable('plans')
    .set((eb) => ({ revision: eb('revision', '+', 1) }))
    .where('municipality_id', '=', municipalityId)
    .execute();
}

const MAX_ENTRIES = 2000;

export class SheetCache {
  private entries = new Map<string, { revision: number; json: string; open: boolean }>();

  get(roundId: number, departmentId: number, revision: number): { json: string; open: boolean } | undefined {
    const key = `${roundId}:${departmentId}`;
    const e = this.entries.get(key);
    if (!e || e.revision !== revision) return undefined;
    // Map order is insertion order: re-insert to keep recently used entries.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  set(roundId: number, departmentId: number, revision: number, json: string, open: boolean): void {
    const key = `${roundId}:${departmentId}`;
    this.entries.delete(key);
    this.entries.set(key, { revision, json, open });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }
}
