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
  /** builds under way, by sheet and revision: a request arriving meanwhile waits for the same build */
  private building = new Map<string, Promise<{ json: string; open: boolean }>>();
  /**
   * sheets served from memory, built, and served by waiting for a build another request started, since
   * the process started (the bench reports the ratio)
   */
  readonly stats = { hits: 0, misses: 0, shared: 0 };

  /**
   * The sheet at this revision: from memory, else built once however many requests ask for it at the same
   * moment (everyone opening their sheet when the working day starts), then kept.
   */
  async getOrBuild(
    roundId: number,
    departmentId: number,
    revision: string,
    build: () => Promise<{ json: string; open: boolean }>,
  ): Promise<{ json: string; open: boolean }> {
    const cached = this.get(roundId, departmentId, revision);
    if (cached) return { json: cached.json, open: cached.open };
    const key = `${roundId}:${departmentId}:${revision}`;
    const running = this.building.get(key);
    if (running) {
      this.stats.shared++;
      return running;
    }
    const started = build()
      .then((sheet) => {
        this.set(roundId, departmentId, revision, sheet.json, sheet.open);
        return sheet;
      })
      .finally(() => this.building.delete(key));
    this.building.set(key, started);
    return started;
  }

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
