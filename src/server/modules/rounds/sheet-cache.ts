import type { SheetItem } from '../../../domain/api-types.js';
import { planPartWeight, type SheetPlanPart } from './sheet-plan-part.js';

/**
 * Department sheets are read far more often than they change, above all near a deadline. A
 * sheet is cached in memory per (round, department) together with the revisions it was built from:
 * the plan's, raised by changes every sheet shows (the tree, indicators, settings: `bumpPlan`), and
 * the department's, raised by changes to the answers it shares a project with (`bumpDepartments`),
 * each in the same transaction as the change. A save in one department leaves the other departments'
 * sheets cached. Within a sheet each project's line keeps the project's own counter (`bumpProject`):
 * when only the department's revision has moved, the sheet is built again from the lines whose
 * counter still stands and the few that changed. The revisions live in the database, which keeps
 * several app processes consistent.
 */
const MAX_ENTRIES = 2000;
/**
 * The plan years' parts kept (sheet-plan-part.ts), bounded by what they hold: projects, nodes and indicators
 * together, about 1 kB each in memory (a hundred plans of 300 projects, or a few very large ones).
 */
const MAX_PLAN_PART_WEIGHT = 100_000;

/** One project's line of a sheet: its JSON, and the project's counter it was built at. */
export interface SheetLine {
  projectId: number;
  revision: number;
  json: string;
  /** the line itself, where the caller wants objects (a fresh build only; the cache keeps the JSON) */
  item?: SheetItem;
}

/** A built sheet: everything but the lines as JSON (`head`), and the lines. */
export interface BuiltSheetJson {
  head: string;
  open: boolean;
  lines: SheetLine[];
}

interface Entry {
  /** `plan:department` revisions */
  revision: string;
  /** everything but the lines, as JSON; the lines are kept once, and joined to it when served */
  head: string;
  open: boolean;
  lines: Map<number, SheetLine>;
}

/** The plan's part of a sheet's `plan:department` revision. */
export const planRevisionOf = (revision: string) => revision.slice(0, revision.indexOf(':'));

/** At most `max` tasks run at once; the others wait, and start in the order they came. */
export class Limiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}

  /** whether a task given now waits for its turn */
  get full(): boolean {
    return this.running >= this.max;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finished task hands its turn to the next one waiting, so `running` counts turns, not tasks started.
    if (this.running < this.max) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

export class SheetCache {
  private entries = new Map<string, Entry>();
  /** builds of different sheets take turns (see Config.sheetBuilds); requests for one sheet share its build */
  private readonly builds: Limiter;
  /** builds under way, by sheet and revision: a request arriving meanwhile waits for the same build */
  private building = new Map<string, Promise<{ json: string; open: boolean }>>();
  /**
   * Since the process started: sheets served from memory, built, and served by waiting for a build
   * another request started; of the built ones, lines taken from the earlier build and lines built; and
   * builds that waited for their turn.
   */
  readonly stats = {
    hits: 0,
    misses: 0,
    shared: 0,
    linesReused: 0,
    linesBuilt: 0,
    waited: 0,
    planHits: 0,
    planMisses: 0,
  };
  /** plan years' parts of their sheets, by `plan:year`, with the plan's revision each was read at */
  private planParts = new Map<string, { revision: string; part: Promise<SheetPlanPart>; weight: number }>();

  constructor(maxBuilds = Number.POSITIVE_INFINITY) {
    this.builds = new Limiter(maxBuilds);
  }

  /**
   * The sheet at this revision: from memory, else built once however many requests ask for it at the same
   * moment (everyone opening their sheet when the working day starts), then kept. The build is given the
   * earlier build's lines where the plan's revision is the same.
   */
  async getOrBuild(
    roundId: number,
    departmentId: number,
    revision: string,
    build: (kept?: Map<number, SheetLine>) => Promise<BuiltSheetJson>,
  ): Promise<{ json: string; open: boolean }> {
    const key = `${roundId}:${departmentId}`;
    const cached = this.entries.get(key);
    if (cached?.revision === revision) {
      this.stats.hits++;
      // Map order is insertion order: re-insert to keep recently used entries.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return sheetJson({ head: cached.head, open: cached.open, lines: [...cached.lines.values()] });
    }
    this.stats.misses++;
    const buildKey = `${key}:${revision}`;
    const running = this.building.get(buildKey);
    if (running) {
      this.stats.shared++;
      return running;
    }
    const kept = cached && planRevisionOf(cached.revision) === planRevisionOf(revision) ? cached.lines : undefined;
    if (this.builds.full) this.stats.waited++;
    const started = this.builds
      .run(() => build(kept))
      .then((built) => this.store(key, revision, built, kept))
      .finally(() => this.building.delete(buildKey));
    this.building.set(buildKey, started);
    return started;
  }

  /**
   * A plan year's part of its sheets at the plan's revision: kept from an earlier build, else read by `load`
   * (in the transaction of the build asking) and kept; builds asking at the same moment share one read. A
   * read that fails is not kept, and a build that shared it reads for itself.
   */
  async planPart(
    planId: number,
    fiscalYear: number,
    planRevision: string,
    load: () => Promise<SheetPlanPart>,
  ): Promise<SheetPlanPart> {
    const key = `${planId}:${fiscalYear}`;
    const kept = this.planParts.get(key);
    if (kept?.revision === planRevision) {
      this.stats.planHits++;
      this.planParts.delete(key);
      this.planParts.set(key, kept);
      return kept.part.catch(load);
    }
    this.stats.planMisses++;
    const part = load();
    const entry = { revision: planRevision, part, weight: 0 };
    this.planParts.delete(key);
    this.planParts.set(key, entry);
    part.then(
      (p) => {
        entry.weight = planPartWeight(p);
        this.boundPlanParts();
      },
      () => {
        if (this.planParts.get(key) === entry) this.planParts.delete(key);
      },
    );
    return part;
  }

  /** Drops the least recently used parts while they hold more than the bound (the newest always stays). */
  private boundPlanParts(): void {
    let total = 0;
    for (const e of this.planParts.values()) total += e.weight;
    for (const [key, e] of this.planParts) {
      if (total <= MAX_PLAN_PART_WEIGHT || this.planParts.size <= 1) break;
      this.planParts.delete(key);
      total -= e.weight;
    }
  }

  private store(
    key: string,
    revision: string,
    built: BuiltSheetJson,
    kept: Map<number, SheetLine> | undefined,
  ): { json: string; open: boolean } {
    const lines = new Map<number, SheetLine>();
    for (const l of built.lines) {
      if (kept?.get(l.projectId) === l) this.stats.linesReused++;
      else this.stats.linesBuilt++;
      lines.set(l.projectId, { projectId: l.projectId, revision: l.revision, json: l.json });
    }
    this.entries.delete(key);
    this.entries.set(key, { head: built.head, open: built.open, lines, revision });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return sheetJson(built);
  }
}

/** The sheet's JSON from its head and its lines' JSON, without serialising the lines again. */
export function sheetJson(built: BuiltSheetJson): { json: string; open: boolean } {
  return {
    json: `${built.head.slice(0, -1)},"items":[${built.lines.map((l) => l.json).join(',')}]}`,
    open: built.open,
  };
}
