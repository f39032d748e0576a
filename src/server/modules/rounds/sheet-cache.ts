/**
 * Department sheets are read far more often than they change, above all near a deadline. A
 * sheet's content is cached in memory per (round, department) together with the revisions it was
 * built from: the plan's, raised by changes every sheet shows (the tree, indicators, settings:
 * `bumpPlan`), and the department's, raised by changes to the answers it shares a project with
 * (`bumpDepartments`), each in the same transaction as the change. A save in one department leaves
 * the other departments' sheets cached. The revisions live in the database, which keeps several app
 * processes consistent.
 */
const MAX_ENTRIES = 2000;

export class SheetCache {
  private entries = new Map<string, { revision: string; json: string; open: boolean }>();
  /** sheets served from memory and built, since the process started (the bench reports the ratio) */
  readonly stats = { hits: 0, misses: 0 };

  get(roundId: number, departmentId: number, revision: string): { json: string; open: boolean } | undefined {
    const key = `${roundId}:${departmentId}`;
    const e = this.entries.get(key);
    if (!e || e.revision !== revision) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    // Map order is insertion order: re-insert to keep recently used entries.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  set(roundId: number, departmentId: number, revision: string, json: string, open: boolean): void {
    const key = `${roundId}:${departmentId}`;
    this.entries.delete(key);
    this.entries.set(key, { revision, json, open });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }
}
