/**
 * Department sheets are read far more often than they change, above all near a deadline. A
 * sheet's content is cached in memory per (round, department) together with its plan's revision;
 * every change a sheet shows raises that revision in the same transaction (`bumpPlan` in the plans
 * module), so a cached sheet is used only while the database says nothing has changed. The revision
 * lives in the database, which keeps several app processes consistent.
 */
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
