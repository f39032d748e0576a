import { countedCategories, DEFAULT_CATEGORIES } from '../plan-fields.js';
import type { ReportLayout } from './layout.js';
import type { ReportIndex } from './report-index.js';
import { SlotValues } from './evaluation.js';

type Counts = Record<string, number>;

/** 区分 counts per heading over the projects given (all of the plan's, or those a sheet prints). */
function categoryCounts(
  ix: ReportIndex,
  depth: number,
  codes: string[],
  only?: ReadonlySet<number>,
): Map<number, Counts> {
  const counts = new Map<number, Counts>();
  for (const p of ix.ds.projects) {
    if (only && !only.has(p.id)) continue;
    const id = ix.pathOf(p.nodeId)[depth];
    if (id === undefined) continue;
    const c = counts.get(id) ?? Object.fromEntries(codes.map((k) => [k, 0]));
    if (p.category && codes.includes(p.category)) c[p.category] = (c[p.category] ?? 0) + 1;
    counts.set(id, c);
  }
  return counts;
}

/** How many of the plan's projects sit under each node (its own and its descendants'). */
function projectCounts(ix: ReportIndex): Map<number, number> {
  const counts = new Map<number, number>();
  for (const p of ix.ds.projects) for (const id of ix.pathOf(p.nodeId)) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

/**
 * The heading rows of a layout that prints the tree as sections: 「基本目標Ⅰ 意識の啓発（新規:1/継続:2/…）」.
 * A heading's format may hold {name}, {number}, {title}, {count} (the projects under it), {grades} (the
 * printed slot's codes counted over the lines under it), and a node
 * evaluation: {grade:council} (its code in that slot) and {comment:summary} (the comment entered, 総評).
 */
export class SectionTexts {
  private readonly counts: Map<number, Counts>;
  /** the 区分 the plan counts, in its order */
  private readonly codes: string[];
  private readonly projects: Map<number, number>;
  private readonly values: SlotValues;

  constructor(
    private readonly ix: ReportIndex,
    private readonly layout: ReportLayout,
    /** the counts of the printed slot's codes under a heading (「◎3 ○2 △1 ×0」), for {grades} */
    private readonly grades: (nodeId: number) => string = () => '',
  ) {
    this.codes = countedCategories(ix.ds.plan.categories ?? DEFAULT_CATEGORIES);
    const depth = layout.categoryCountsDepth;
    this.counts = depth === null ? new Map() : categoryCounts(ix, depth, this.codes);
    this.projects = projectCounts(ix);
    this.values = new SlotValues(ix.ds.evaluation);
  }

  /**
   * The heading of a node; `shown` is the projects the sheet prints, for a layout that counts 区分
   * over those (`categoryCountsOf: "shown"`) rather than over the whole plan.
   */
  text(id: number, depth: number, shown?: ReadonlySet<number>): string {
    const n = this.ix.nodeById.get(id)!;
    const format = this.layout.sectionFormats[depth] ?? '{number} {title}';
    const slot = (key: string) => this.values.get(this.ix.year, key, 'node', id);
    const text = format
      .replace('{name}', this.ix.levelName(depth))
      .replace('{number}', this.ix.numbers.get(id) ?? '')
      .replace('{title}', n.title)
      .replace('{count}', String(this.projects.get(id) ?? 0))
      .replace('{grades}', () => this.grades(id))
      .replace(/\{grade:([^}]+)\}/g, (_, key: string) => slot(key)?.code ?? '')
      .replace(/\{comment:([^}]+)\}/g, (_, key: string) => slot(key)?.comment ?? '')
      .trim();
    if (this.layout.categoryCountsDepth !== depth) return text;
    const counts =
      this.layout.categoryCountsOf === 'shown' && shown
        ? categoryCounts(this.ix, depth, this.codes, shown).get(id)
        : this.counts.get(id);
    return `${text}（${this.codes.map((k) => `${k}:${counts?.[k] ?? 0}`).join('/')}）`;
  }
}
