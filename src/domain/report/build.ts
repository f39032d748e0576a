import {
  addToTally,
  emptyTally,
  evaluate,
  gradeSpeech,
  resolveGrade,
  type EvaluationScale,
  type ResolvedGrade,
  type Tally,
} from '../evaluation.js';
import { eraDateLabel, eraYearLabel, fiscalYearEnd, fiscalYearShort, type Era2019 } from '../fiscal-year.js';
import { numberTree, type NumberingScope, type NumberingStyle } from '../numbering.js';
import { pathFinder } from '../tree.js';
import { PROJECT_CATEGORIES } from '../schemas.js';
import type { LayoutColumn, ReportLayout } from './layout.js';

/** Everything a report reads, loaded once per request (server) and shaped by the layout (here). */
export interface ReportDataset {
  municipality: { name: string; era2019: Era2019 };
  plan: { id: number; title: string };
  fiscalYear: number;
  scale: EvaluationScale;
  levels: { depth: number; name: string; numberingStyle: NumberingStyle; numberingScope: NumberingScope }[];
  nodes: {
    id: number;
    parentId: number | null;
    depth: number;
    position: number;
    title: string;
    numberOverride: string | null;
    subPlanIds: number[];
  }[];
  projects: {
    id: number;
    nodeId: number;
    number: string;
    name: string;
    summary: string;
    category: string | null;
    audience: string;
    position: number;
  }[];
  listings: { projectId: number; nodeId: number; position: number }[];
  assignments: { projectId: number; departmentId: number; isLead: boolean; position: number }[];
  departments: { id: number; name: string; displayName: string; position: number }[];
  /** the fiscal year's and the year before's */
  records: {
    id: number;
    projectId: number;
    departmentId: number;
    fiscalYear: number;
    planText: string;
    resultText: string;
    grade: string | null;
    remarks: string;
    nextYearPlan: string;
    sameAsDepartmentId: number | null;
    status: string;
  }[];
  indicators: {
    id: number;
    projectId: number;
    departmentId: number | null;
    name: string;
    unit: string;
    direction: 'higher' | 'lower' | 'keep' | 'none';
    baselineValue: number | null;
    baselineText: string;
    finalTargetValue: number | null;
    finalTargetText: string;
    position: number;
  }[];
  targets: { indicatorId: number; fiscalYear: number; value: number | null; text: string }[];
  actuals: {
    indicatorId: number;
    departmentId: number;
    fiscalYear: number;
    value: number | null;
    text: string;
    status: string | null;
    level: string | null;
    grade: string | null;
    gradeReason: string;
  }[];
}

export interface ReportFilters {
  departmentId?: number | null;
  /** a department user's own departments (their own and those it replaced): nothing else is shown */
  departmentIds?: number[];
  nodeId?: number | null;
  subPlanId?: number | null;
}

export interface ReportCell {
  text: string;
  /** a number for machine-readable outputs, where the cell holds one */
  value?: number | null;
  /** rows this cell covers (merged); 0 where an earlier row's cell covers it; absent = 1 */
  span?: number;
  /** the words a screen reader says (grades) */
  speech?: string;
  /** grade changed by hand: the reason, printed as a note */
  note?: string;
}

export type ReportRow =
  | { type: 'section'; depth: number; text: string }
  | {
      type: 'data';
      cells: ReportCell[];
      rowNumber: number;
      projectId: number;
      departmentId: number | null;
      path: string[];
    };

export interface ReportSheet {
  name: string;
  title: string;
  departmentId: number | null;
  rows: ReportRow[];
}

export interface ReportDocument {
  layout: string;
  title: string;
  documentNumber: string;
  asOf: string | null;
  asOfLabel: string;
  /** what the reader must know about what the report holds (answers left out, a preliminary report); '' when nothing */
  notice?: string;
  municipality: string;
  planId: number;
  planTitle: string;
  fiscalYear: number;
  fiscalYearLabel: string;
  columns: { key: string; header: string[]; width: number }[];
  headerRows: number;
  /** the plan's level names, for the machine-readable outputs' path columns */
  levelNames: string[];
  legend: { title: string; note: string; items: { code: string; label: string }[] } | null;
  sheets: ReportSheet[];
  tallies: {
    unit: 'indicator' | 'record';
    total: Tally;
    byNode: { nodeId: number; label: string; tally: Tally }[];
    codes: string[];
  };
  gradedBy: string;
}

interface Line {
  projectId: number;
  placementKey: string;
  nodePath: number[];
  crossListed: boolean;
  departmentId: number | null;
  recordKey: string;
  record: ReportDataset['records'][number] | null;
  records: ReportDataset['records'];
  indicator: ReportDataset['indicators'][number] | null;
  grade: ResolvedGrade | null;
}

const joinLines = (parts: string[]) => parts.filter((p) => p.trim() !== '').join('\n');

export function templateText(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(plan|year|year-1|year\+1|yearShort|department)\}/g, (_, k: string) => vars[k] ?? '');
}

export interface BuildOptions {
  asOf?: string | null;
  notice?: string;
}

/**
 * Shapes a dataset into a report document: sheets of rows with merged cells, section headings,
 * grades resolved by the plan's scale, and tallies. Every output (screen, print, xlsx, csv, json,
 * public page) renders this one document.
 */
export function buildReport(
  ds: ReportDataset,
  layout: ReportLayout,
  filters: ReportFilters = {},
  options: BuildOptions = {},
): ReportDocument {
  const era = ds.municipality.era2019;
  const year = ds.fiscalYear;
  const vars = {
    plan: ds.plan.title,
    year: eraYearLabel(year, era),
    'year-1': eraYearLabel(year - 1, era),
    'year+1': eraYearLabel(year + 1, era),
    yearShort: fiscalYearShort(year, era),
  };

  // The tree, numbered as printed.
  const numbers = numberTree(
    ds.nodes,
    ds.levels.map((l) => ({ style: l.numberingStyle, scope: l.numberingScope })),
  );
  const nodeById = new Map(ds.nodes.map((n) => [n.id, n]));
  const children = new Map<number | null, typeof ds.nodes>();
  for (const n of ds.nodes) children.set(n.parentId, [...(children.get(n.parentId) ?? []), n]);
  for (const list of children.values()) list.sort((a, b) => a.position - b.position || a.id - b.id);
  const pathOf = pathFinder(ds.nodes);
  const levelName = (depth: number) => ds.levels.find((l) => l.depth === depth)?.name ?? '';

  // Filters: a subtree, a sub-plan's tagged nodes (with what is under them), a department.
  const inSubtree = (nodeId: number, rootId: number) => pathOf(nodeId).includes(rootId);
  const taggedRoots = filters.subPlanId
    ? ds.nodes.filter((n) => n.subPlanIds.includes(filters.subPlanId!)).map((n) => n.id)
    : null;
  const nodeAllowed = (nodeId: number) =>
    (!filters.nodeId || inSubtree(nodeId, filters.nodeId)) &&
    (!taggedRoots || taggedRoots.some((r) => inSubtree(nodeId, r)));

  const projectsByNode = new Map<
    number,
    { project: ReportDataset['projects'][number]; crossListed: boolean; position: number }[]
  >();
  for (const p of ds.projects)
    projectsByNode.set(p.nodeId, [
      ...(projectsByNode.get(p.nodeId) ?? []),
      { project: p, crossListed: false, position: p.position },
    ]);
  if (layout.crossListingMark !== null) {
    const byId = new Map(ds.projects.map((p) => [p.id, p]));
    for (const l of ds.listings) {
      const p = byId.get(l.projectId);
      if (p)
        projectsByNode.set(l.nodeId, [
          ...(projectsByNode.get(l.nodeId) ?? []),
          { project: p, crossListed: true, position: 1e9 + l.position },
        ]);
    }
  }
  for (const list of projectsByNode.values())
    list.sort((a, b) => a.position - b.position || a.project.id - b.project.id);

  const assignmentsOf = new Map<number, ReportDataset['assignments']>();
  for (const a of [...ds.assignments].sort((x, y) => Number(y.isLead) - Number(x.isLead) || x.position - y.position))
    assignmentsOf.set(a.projectId, [...(assignmentsOf.get(a.projectId) ?? []), a]);
  const recordsOf = new Map<number, ReportDataset['records']>();
  for (const r of ds.records)
    if (r.fiscalYear === year) recordsOf.set(r.projectId, [...(recordsOf.get(r.projectId) ?? []), r]);
  const indicatorsOf = new Map<number, ReportDataset['indicators']>();
  for (const i of [...ds.indicators].sort((a, b) => a.position - b.position || a.id - b.id))
    indicatorsOf.set(i.projectId, [...(indicatorsOf.get(i.projectId) ?? []), i]);
  const targetOf = new Map(ds.targets.map((t) => [`${t.indicatorId}|${t.fiscalYear}`, t]));
  const actualsOf = new Map<string, ReportDataset['actuals']>();
  for (const a of ds.actuals)
    actualsOf.set(`${a.indicatorId}|${a.fiscalYear}`, [
      ...(actualsOf.get(`${a.indicatorId}|${a.fiscalYear}`) ?? []),
      a,
    ]);
  const deptById = new Map(ds.departments.map((d) => [d.id, d]));
  const deptName = (id: number | null) => (id === null ? '' : (deptById.get(id)?.displayName ?? ''));

  /** The departments on a project, lead first; records of departments not assigned come after. */
  const departmentsOfProject = new Map<number, number[]>();
  const projectDepartments = (projectId: number): number[] => {
    const known = departmentsOfProject.get(projectId);
    if (known) return known;
    const ids = (assignmentsOf.get(projectId) ?? []).map((a) => a.departmentId);
    for (const r of recordsOf.get(projectId) ?? []) if (!ids.includes(r.departmentId)) ids.push(r.departmentId);
    departmentsOfProject.set(projectId, ids);
    return ids;
  };
  /** An indicator belongs to its department's row, or to the lead's where it names none. */
  const hasActual = (indicatorId: number, departmentId: number) =>
    (actualsOf.get(`${indicatorId}|${year}`) ?? []).some((a) => a.departmentId === departmentId);
  const indicatorsFor = (projectId: number, departmentId: number, first: boolean) =>
    (indicatorsOf.get(projectId) ?? []).filter((i) =>
      i.departmentId === null ? first || hasActual(i.id, departmentId) : i.departmentId === departmentId,
    );
  /** One department's value for an indicator (all departments' values summed where none is named). */
  const actualFor = (indicatorId: number, fiscalYear: number, departmentId: number | null) => {
    const list = actualsOf.get(`${indicatorId}|${fiscalYear}`) ?? [];
    if (departmentId !== null) return list.find((a) => a.departmentId === departmentId) ?? null;
    if (list.length <= 1) return list[0] ?? null;
    const numbers = list.filter((a) => a.value !== null);
    return numbers.length === list.length
      ? { ...list[0]!, value: numbers.reduce((s, a) => s + a.value!, 0), text: '' }
      : list[0]!;
  };
  const lineGrades = new Map<string, ResolvedGrade>();
  const gradeOfLine = (indicator: ReportDataset['indicators'][number], departmentId: number | null): ResolvedGrade => {
    const key = `${indicator.id}|${departmentId ?? 0}`;
    const known = lineGrades.get(key);
    if (known) return known;
    const resolved = computeLineGrade(indicator, departmentId);
    lineGrades.set(key, resolved);
    return resolved;
  };
  const computeLineGrade = (
    indicator: ReportDataset['indicators'][number],
    departmentId: number | null,
  ): ResolvedGrade => {
    const target = targetOf.get(`${indicator.id}|${year}`);
    const actual = actualFor(indicator.id, year, departmentId);
    const computed = evaluate(ds.scale, {
      direction: indicator.direction,
      target: { value: target?.value ?? null, text: target?.text ?? '' },
      actual: { value: actual?.value ?? null, text: actual?.text ?? '', status: actual?.status ?? null },
      baseline: indicator.baselineValue,
      finalTarget: indicator.finalTargetValue,
    });
    return resolveGrade(
      computed,
      { grade: actual?.grade ?? null, level: actual?.level ?? null, reason: actual?.gradeReason ?? '' },
      ds.scale,
    );
  };
  const computedScale = ds.scale.method !== 'manual';

  // Lines in tree order: one per project, record or indicator as the layout says.
  const lines: Line[] = [];
  const walk = (parentId: number | null) => {
    for (const node of children.get(parentId) ?? []) {
      if (nodeAllowed(node.id))
        for (const { project, crossListed } of projectsByNode.get(node.id) ?? []) {
          const path = pathOf(node.id);
          const placementKey = `${node.id}|${project.id}`;
          const depts = projectDepartments(project.id);
          const records = recordsOf.get(project.id) ?? [];
          const recordOf = (d: number) => records.find((r) => r.departmentId === d) ?? null;
          const base = { projectId: project.id, placementKey, nodePath: path, crossListed, records };
          if (layout.rowUnit === 'project') {
            lines.push({
              ...base,
              departmentId: null,
              recordKey: placementKey,
              record: null,
              indicator: null,
              grade: null,
            });
          } else
            for (const [i, d] of (depts.length ? depts : [null]).entries()) {
              const record = d === null ? null : recordOf(d);
              const recordKey = `${placementKey}|${d ?? 0}`;
              if (layout.rowUnit === 'record') {
                lines.push({ ...base, departmentId: d, recordKey, record, indicator: null, grade: null });
                continue;
              }
              const inds = d === null ? (indicatorsOf.get(project.id) ?? []) : indicatorsFor(project.id, d, i === 0);
              if (inds.length === 0)
                lines.push({ ...base, departmentId: d, recordKey, record, indicator: null, grade: null });
              for (const ind of inds)
                lines.push({ ...base, departmentId: d, recordKey, record, indicator: ind, grade: gradeOfLine(ind, d) });
            }
        }
      walk(node.id);
    }
  };
  walk(null);

  const projectById = new Map(ds.projects.map((p) => [p.id, p]));
  const involves = (line: Line, departmentId: number) => projectDepartments(line.projectId).includes(departmentId);
  const deptAllowed = (d: number) =>
    (!filters.departmentId || d === filters.departmentId) &&
    (!filters.departmentIds || filters.departmentIds.includes(d));
  const deptFiltered = !!filters.departmentId || !!filters.departmentIds;
  const visible = deptFiltered ? lines.filter((l) => projectDepartments(l.projectId).some(deptAllowed)) : lines;

  /** The grade printed on a record or project row: its own where graded by hand, else its lines'. */
  const gradesOfRecord = (projectId: number, departmentId: number | null, first: boolean): ResolvedGrade[] => {
    if (!computedScale) {
      const r = (recordsOf.get(projectId) ?? []).filter(
        (x) => departmentId === null || x.departmentId === departmentId,
      );
      return r
        .filter((x) => x.grade)
        .map((x) =>
          resolveGrade({ achievement: null, level: null, grade: null, basis: '' }, { grade: x.grade }, ds.scale),
        );
    }
    const inds =
      departmentId === null ? (indicatorsOf.get(projectId) ?? []) : indicatorsFor(projectId, departmentId, first);
    return inds.map((i) => gradeOfLine(i, departmentId));
  };

  // Tallies count each graded unit once: indicator lines where the scale computes, records where
  // departments grade by hand; cross-listed placements are not counted twice.
  const tallyUnit: 'indicator' | 'record' = computedScale ? 'indicator' : 'record';
  const total = emptyTally(ds.scale);
  const byTop = new Map<number, Tally>();
  const counted = visible;
  const seen = new Set<string>();
  for (const l of counted) {
    if (l.crossListed) continue;
    const depts = projectDepartments(l.projectId);
    const units: (string | null)[] = [];
    if (tallyUnit === 'record') {
      for (const d of depts) {
        const key = `${l.projectId}|${d}`;
        if (seen.has(key) || !deptAllowed(d)) continue;
        seen.add(key);
        const r = (recordsOf.get(l.projectId) ?? []).find((x) => x.departmentId === d);
        units.push(r?.grade ?? null);
      }
    } else
      for (const [i, d] of depts.entries()) {
        if (!deptAllowed(d)) continue;
        for (const ind of indicatorsFor(l.projectId, d, i === 0)) {
          const key = `${ind.id}|${d}`;
          if (seen.has(key)) continue;
          seen.add(key);
          units.push(gradeOfLine(ind, d).grade);
        }
      }
    const top = l.nodePath[0]!;
    if (!byTop.has(top)) byTop.set(top, emptyTally(ds.scale));
    for (const g of units) {
      addToTally(ds.scale, total, g);
      addToTally(ds.scale, byTop.get(top)!, g);
    }
  }

  // 区分 counts per heading, over all of the plan's projects under it (as printed plans do).
  const categoryCounts = new Map<number, Record<string, number>>();
  if (layout.categoryCountsDepth !== null)
    for (const p of ds.projects) {
      const id = pathOf(p.nodeId)[layout.categoryCountsDepth];
      if (id === undefined) continue;
      const c = categoryCounts.get(id) ?? Object.fromEntries(PROJECT_CATEGORIES.map((k) => [k, 0]));
      if (p.category) c[p.category] = (c[p.category] ?? 0) + 1;
      categoryCounts.set(id, c);
    }

  const nodeTexts = new Map<number, string>();
  const nodeText = (id: number | undefined) => {
    if (id === undefined) return '';
    const known = nodeTexts.get(id);
    if (known !== undefined) return known;
    const n = nodeById.get(id);
    const number = n ? (numbers.get(n.id) ?? '') : '';
    const text = !n ? '' : number ? `${number} ${n.title}` : n.title;
    nodeTexts.set(id, text);
    return text;
  };
  const sectionText = (id: number, depth: number) => {
    const n = nodeById.get(id)!;
    const format = layout.sectionFormats[depth] ?? '{number} {title}';
    let text = format
      .replace('{name}', levelName(depth))
      .replace('{number}', numbers.get(id) ?? '')
      .replace('{title}', n.title)
      .trim();
    const counts = categoryCounts.get(id);
    if (layout.categoryCountsDepth === depth && counts)
      text += `（${PROJECT_CATEGORIES.map((k) => `${k}:${counts[k] ?? 0}`).join('/')}）`;
    return text;
  };

  const recordText = (
    r: ReportDataset['records'][number] | null,
    field: 'planText' | 'resultText' | 'nextYearPlan' | 'remarks',
  ) => {
    if (!r) return '';
    if (r.sameAsDepartmentId !== null && field !== 'remarks')
      return `${deptById.get(r.sameAsDepartmentId)?.name ?? ''}に同じ`;
    return r[field];
  };
  /** A project row's text: one department's as it is, several under 【課名】 headings. */
  const projectText = (l: Line, field: 'planText' | 'resultText' | 'nextYearPlan' | 'remarks') => {
    const texts = projectDepartments(l.projectId)
      .map((d) => ({ d, text: recordText(l.records.find((r) => r.departmentId === d) ?? null, field) }))
      .filter((t) => t.text.trim() !== '');
    if (texts.length <= 1) return texts[0]?.text ?? '';
    return joinLines(
      texts.map((t) =>
        t.text.includes(`【${deptById.get(t.d)?.name}】`) ? t.text : `【${deptById.get(t.d)?.name ?? ''}】\n${t.text}`,
      ),
    );
  };

  const valueCell = (text: string, value: number | null | undefined): ReportCell => ({ text, value: value ?? null });
  const indicatorsOfLine = (l: Line) =>
    l.indicator
      ? [l.indicator]
      : l.departmentId === null
        ? (indicatorsOf.get(l.projectId) ?? [])
        : indicatorsFor(l.projectId, l.departmentId, projectDepartments(l.projectId)[0] === l.departmentId);
  const valuesText = (
    l: Line,
    pick: (i: ReportDataset['indicators'][number]) => { text: string; value: number | null } | null,
  ): ReportCell => {
    const values = indicatorsOfLine(l)
      .map(pick)
      .filter((v): v is { text: string; value: number | null } => v !== null && v.text !== '');
    return values.length === 1
      ? valueCell(values[0]!.text, values[0]!.value)
      : { text: values.map((v) => v.text).join('\n') };
  };
  const actualText = (fy: number) => (l: Line) =>
    valuesText(l, (i) => {
      const a = actualFor(i.id, fy, l.departmentId === null ? null : l.departmentId);
      if (!a) return null;
      const text = a.text || (a.value !== null ? `${a.value}${i.unit}` : '');
      return { text, value: a.value };
    });

  const gradeCellsOf = new Map<Line, { level: ReportCell; grade: ReportCell; reason: ReportCell }>();
  const gradeCells = (l: Line): { level: ReportCell; grade: ReportCell; reason: ReportCell } => {
    const known = gradeCellsOf.get(l);
    if (known) return { level: { ...known.level }, grade: { ...known.grade }, reason: { ...known.reason } };
    const made = makeGradeCells(l);
    gradeCellsOf.set(l, made);
    return { level: { ...made.level }, grade: { ...made.grade }, reason: { ...made.reason } };
  };
  const makeGradeCells = (l: Line): { level: ReportCell; grade: ReportCell; reason: ReportCell } => {
    const grades = l.grade
      ? [l.grade]
      : gradesOfRecord(l.projectId, l.departmentId, projectDepartments(l.projectId)[0] === l.departmentId);
    const shown = grades.filter((g) => g.grade !== null);
    const text = [...new Set(shown.map((g) => g.grade!))].join('／');
    const level = [...new Set(shown.map((g) => g.level).filter((x): x is string => !!x))].join('／');
    const overrides = shown.filter((g) => g.source === 'override');
    return {
      level: { text: level, value: level !== '' && /^\d+$/.test(level) ? Number(level) : null },
      grade: {
        text,
        speech: shown.length ? shown.map((g) => gradeSpeech(ds.scale, g.grade)).join('、') : '未評価',
        ...(overrides.length ? { note: overrides.map((o) => o.reason).join('／') } : {}),
      },
      reason: { text: overrides.map((o) => o.reason).join('／') },
    };
  };

  const cellFor = (c: LayoutColumn, l: Line, rowNumber: number): ReportCell => {
    const project = projectById.get(l.projectId)!;
    const mark = l.crossListed && layout.crossListingMark ? layout.crossListingMark : '';
    switch (c.key) {
      case 'node':
        return { text: nodeText(l.nodePath[c.depth ?? 0]) };
      case 'nodeNumber': {
        const id = l.nodePath[c.depth ?? 0];
        const n = id === undefined ? '' : (numbers.get(id) ?? '');
        return { text: n, value: /^\d+$/.test(n) ? Number(n) : null };
      }
      case 'nodeTitle': {
        const id = l.nodePath[c.depth ?? 0];
        return { text: id === undefined ? '' : (nodeById.get(id)?.title ?? '') };
      }
      case 'projectNumber':
        return { text: project.number, value: /^\d+$/.test(project.number) ? Number(project.number) : null };
      case 'projectName': {
        const ind = c.indicatorMarker ? (indicatorsOf.get(l.projectId) ?? [])[0] : undefined;
        return { text: `${project.name}${mark}${ind ? ` ${c.indicatorMarker}${ind.name}` : ''}` };
      }
      case 'projectNumberName':
        return { text: `${project.number} ${project.name}${mark}`.trim() };
      case 'summary':
        return { text: project.summary };
      case 'category':
        return { text: project.category ?? '' };
      case 'audience':
        return { text: project.audience };
      case 'departments':
        return { text: projectDepartments(l.projectId).map(deptName).join('\n') };
      case 'department':
        return { text: deptName(l.departmentId) };
      case 'planText':
      case 'resultText':
      case 'nextYearPlan':
      case 'remarks':
        return { text: l.departmentId === null ? projectText(l, c.key) : recordText(l.record, c.key) };
      case 'indicator':
        return {
          text: indicatorsOfLine(l)
            .map((i) => i.name)
            .join('\n'),
        };
      case 'baseline':
        return valuesText(l, (i) => ({ text: i.baselineText, value: i.baselineValue }));
      case 'finalTarget':
        return valuesText(l, (i) => ({ text: i.finalTargetText, value: i.finalTargetValue }));
      case 'target':
        return valuesText(l, (i) => {
          const t = targetOf.get(`${i.id}|${year}`);
          return t ? { text: t.text, value: t.value } : null;
        });
      case 'actual':
        return actualText(year)(l);
      case 'actualPrevious':
        return actualText(year - 1)(l);
      case 'level':
        return gradeCells(l).level;
      case 'grade':
        return gradeCells(l).grade;
      case 'gradeReason':
        return gradeCells(l).reason;
      case 'rowNumber':
        return { text: String(rowNumber), value: rowNumber };
      case 'blank':
        return { text: '' };
    }
  };

  /** What makes two rows' cells in a column the same merged cell. */
  const mergeKey = (c: LayoutColumn, l: Line): string => {
    switch (c.key) {
      case 'node':
      case 'nodeNumber':
      case 'nodeTitle':
        return `n${l.nodePath[c.depth ?? 0] ?? 'none'}`;
      case 'planText':
      case 'resultText':
      case 'nextYearPlan':
      case 'remarks':
      case 'department':
        return `r${l.recordKey}`;
      default:
        return `p${l.placementKey}`;
    }
  };

  const samePathTo = (a: number[], b: number[], depth: number) => {
    for (let i = 0; i <= depth && (i < a.length || i < b.length); i++) if (a[i] !== b[i]) return false;
    return true;
  };
  const makeRows = (sheetLines: Line[], numberFrom: number): ReportRow[] => {
    const rows: ReportRow[] = [];
    let previousPath: number[] = [];
    let n = numberFrom;
    const dataRows: { row: Extract<ReportRow, { type: 'data' }>; line: Line; at: number }[] = [];
    for (const l of sheetLines) {
      if (layout.hierarchy === 'sections')
        for (const [depth, id] of l.nodePath.entries())
          if (previousPath[depth] !== id || rows.length === 0) {
            rows.push({ type: 'section', depth, text: sectionText(id, depth) });
            previousPath = [...l.nodePath.slice(0, depth + 1)];
          }
      previousPath = l.nodePath;
      n++;
      const row = {
        type: 'data' as const,
        cells: layout.columns.map((c) => cellFor(c, l, n)),
        rowNumber: n,
        projectId: l.projectId,
        departmentId: l.departmentId,
        path: l.nodePath.map((id) => nodeText(id)),
      };
      dataRows.push({ row, line: l, at: rows.length });
      rows.push(row);
    }
    // Merge runs of equal keys in merging columns; a heading row between two rows breaks the run.
    for (const [ci, c] of layout.columns.entries()) {
      if (!c.merge) continue;
      let start = 0;
      for (let i = 1; i <= dataRows.length; i++) {
        const same =
          i < dataRows.length &&
          dataRows[i]!.at === dataRows[i - 1]!.at + 1 &&
          mergeKey(c, dataRows[i]!.line) === mergeKey(c, dataRows[start]!.line) &&
          // a node column merges only while the nodes above it stay the same too
          samePathTo(dataRows[i]!.line.nodePath, dataRows[start]!.line.nodePath, c.depth ?? 99);
        if (same) continue;
        const length = i - start;
        if (length > 1) {
          dataRows[start]!.row.cells[ci]!.span = length;
          for (let k = start + 1; k < i; k++) dataRows[k]!.row.cells[ci]!.span = 0;
        }
        start = i;
      }
    }
    return rows;
  };

  const sheets: ReportSheet[] = [];
  const title = templateText(layout.title, { ...vars, department: '' }).trim();
  if (layout.grouping === 'department') {
    const ids = [...new Set(visible.flatMap((l) => projectDepartments(l.projectId)))];
    const order = ids
      .filter(deptAllowed)
      .map((id) => deptById.get(id))
      .filter((d): d is ReportDataset['departments'][number] => !!d)
      .sort((a, b) => a.position - b.position || a.id - b.id);
    const used = new Set<string>();
    for (const d of order) {
      const sheetLines = visible.filter((l) => involves(l, d.id));
      let name = d.name.replace(/[\\/?*[\]:]/g, '').slice(0, 31) || `課${d.id}`;
      for (let k = 2; used.has(name); k++) name = `${name.slice(0, 28)}(${k})`;
      used.add(name);
      sheets.push({
        name,
        title: templateText(layout.sheetTitle ?? layout.title, { ...vars, department: d.name }),
        departmentId: d.id,
        rows: makeRows(sheetLines, 0),
      });
    }
  } else {
    sheets.push({ name: '報告', title, departmentId: null, rows: makeRows(visible, 0) });
  }

  const headerRows = Math.max(...layout.columns.map((c) => c.header.length));
  const asOf = layout.showAsOf ? (options.asOf ?? fiscalYearEnd(year)) : (options.asOf ?? null);
  const legendCodes = ds.scale.grades;
  return {
    layout: layout.name,
    title,
    documentNumber: layout.documentNumber,
    asOf,
    asOfLabel: asOf ? `${eraDateLabel(asOf)}時点` : '',
    notice: options.notice ?? '',
    municipality: ds.municipality.name,
    planId: ds.plan.id,
    planTitle: ds.plan.title,
    fiscalYear: year,
    fiscalYearLabel: eraYearLabel(year, era),
    columns: layout.columns.map((c) => ({
      key: c.depth === undefined ? c.key : `${c.key}:${c.depth}`,
      header: [
        ...c.header.map((h) => templateText(h, { ...vars, department: '' })),
        ...Array(headerRows - c.header.length).fill(''),
      ],
      width: c.width,
    })),
    headerRows,
    levelNames: ds.levels.map((l) => l.name),
    legend: layout.legend
      ? { ...layout.legend, items: legendCodes.map((g) => ({ code: g.code, label: g.label })) }
      : null,
    sheets,
    tallies: {
      unit: tallyUnit,
      total,
      byNode: [...byTop.entries()].map(([nodeId, t]) => ({ nodeId, label: nodeText(nodeId), tally: t })),
      codes: ds.scale.grades.filter((g) => g.tally).map((g) => g.code),
    },
    gradedBy: computedScale ? `${ds.scale.levelName || '達成率'}から計算` : '各課の自己評価',
  };
}
