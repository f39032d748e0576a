import { PROJECT_CATEGORIES } from '../schemas.js';
import type { ReportLayout } from './layout.js';
import type { ReportIndex } from './report-index.js';
import { SlotValues } from './evaluation.js';

type Counts = Record<string, number>;

/** 区分 counts per heading, over all of the plan's projects under it (as printed plans do). */
function categoryCounts(ix: ReportIndex, depth: number | null): Map<number, Counts> {
  const counts = new Map<number, Counts>();
  if (depth === null) return counts;
  for (const p of ix.ds.projects) {
    const id = ix.pathOf(p.nodeId)[depth];
    if (id === undefined) continue;
    const c = counts.get(id) ?? Object.fromEntries(PROJECT_CATEGORIES.map((k) => [k, 0]));
    if (p.category) c[p.category] = (c[p.category] ?? 0) + 1;
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
 * A heading's format may hold {name}, {number}, {title}, {count} (the projects under it), and a node
 * evaluation: {grade:council} (its code in that slot) and {comment:summary} (the comment entered, 総評).
 */
export class SectionTexts {
  private readonly counts: Map<number, Counts>;
  private readonly projects: Map<number, number>;
  private readonly values: SlotValues;

  constructor(
    private readonly ix: ReportIndex,
    private readonly layout: ReportLayout,
  ) {
    this.counts = categoryCounts(ix, layout.categoryCountsDepth);
    this.projects = projectCounts(ix);
    this.values = new SlotValues(ix.ds.evaluation);
  }

  text(id: number, depth: number): string {
    const n = this.ix.nodeById.get(id)!;
    const format = this.layout.sectionFormats[depth] ?? '{number} {title}';
    const slot = (key: string) => this.values.get(this.ix.year, key, 'node', id);
    let text = format
      .replace('{name}', this.ix.levelName(depth))
      .replace('{number}', this.ix.numbers.get(id) ?? '')
      .replace('{title}', n.title)
      .replace('{count}', String(this.projects.get(id) ?? 0))
      .replace(/\{grade:([^}]+)\}/g, (_, key: string) => slot(key)?.code ?? '')
      .replace(/\{comment:([^}]+)\}/g, (_, key: string) => slot(key)?.comment ?? '')
      .trim();
    const counts = this.counts.get(id);
    if (this.layout.categoryCountsDepth === depth && counts)
      text += `（${PROJECT_CATEGORIES.map((k) => `${k}:${counts[k] ?? 0}`).join('/')}）`;
    return text;
  }
}
