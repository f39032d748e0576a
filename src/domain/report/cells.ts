import { Grader, type GradeCells } from './grading.js';
import { SlotValues, type DatasetValue } from './evaluation.js';
import { slotScale } from '../evaluation/slots.js';
import { columnYear } from './columns.js';
import { eraDateLabel } from '../fiscal-year.js';
import { customText, type CustomValue } from '../plan-fields.js';
import type { ColumnKey, LayoutColumn, ReportLayout } from './layout.js';
import type { Line } from './lines.js';
import type { DatasetIndicator, DatasetRecord, ReportIndex } from './report-index.js';
import type { ReportCell } from './types.js';

type TextField = 'planText' | 'resultText' | 'nextYearPlan' | 'remarks';
type Value = { text: string; value: number | null };

const joinLines = (parts: string[]) => parts.filter((p) => p.trim() !== '').join('\n');
const numberCell = (text: string): ReportCell => ({ text, value: /^\d+$/.test(text) ? Number(text) : null });

/** Per project and department, the earliest done flag of a year before the plan. */
function earliestBaselines(values: DatasetValue[], slotKey: string): Map<string, DatasetValue> {
  const out = new Map<string, DatasetValue>();
  for (const v of values) {
    if (!v.baseline || v.slotKey !== slotKey) continue;
    const key = `${v.subjectId}|${v.departmentId}`;
    const was = out.get(key);
    if (!was || v.fiscalYear < was.fiscalYear) out.set(key, v);
  }
  return out;
}

/** What one cell of a row holds, column by column: the text as printed and, where it is one, the number. */
export class CellMaker {
  /** the graders of the slots that columns name, by slot key */
  private readonly slotGraders = new Map<string, Grader>();
  /** the dataset's evaluations by subject, for the done flags of lines without an indicator */
  private values: SlotValues | undefined;
  /** the earliest done flag before the plan per project and department (`${project}|${department}`) */
  private baselines: Map<string, { code: string | null }> | undefined;

  constructor(
    private readonly ix: ReportIndex,
    private readonly grader: Grader,
    private readonly layout: ReportLayout,
  ) {}

  cell(c: LayoutColumn, l: Line, rowNumber: number): ReportCell {
    return CELLS[c.key](this, c, l, rowNumber);
  }

  nodeCell(c: LayoutColumn, l: Line): ReportCell {
    const id = l.nodePath[c.depth ?? 0];
    if (c.key === 'node') return { text: this.ix.nodeText(id) };
    if (c.key === 'nodeNumber') return numberCell(id === undefined ? '' : (this.ix.numbers.get(id) ?? ''));
    return { text: id === undefined ? '' : (this.ix.nodeById.get(id)?.title ?? '') };
  }

  projectCell(c: LayoutColumn, l: Line): ReportCell {
    const project = this.ix.projectById.get(l.projectId)!;
    const mark = l.crossListed && this.layout.crossListingMark ? this.layout.crossListingMark : '';
    switch (c.key) {
      case 'projectNumber':
        return numberCell(project.number);
      case 'projectName': {
        const ind = c.indicatorMarker ? this.ix.indicatorsOf(l.projectId)[0] : undefined;
        return { text: `${project.name}${mark}${ind ? ` ${c.indicatorMarker}${ind.name}` : ''}` };
      }
      case 'projectNumberName':
        return { text: `${project.number} ${project.name}${mark}`.trim() };
      case 'category':
        return { text: project.category ?? '' };
      case 'audience':
        return { text: project.audience };
      default:
        return { text: project.summary };
    }
  }

  departmentCell(l: Line): ReportCell {
    return { text: this.ix.departmentName(l.departmentId) };
  }

  departmentsCell(l: Line): ReportCell {
    return {
      text: this.ix
        .projectDepartments(l.projectId)
        .map((d) => this.ix.departmentName(d))
        .join('\n'),
    };
  }

  /** A record's text of the column's year; on a project row, every department's (several under 【課名】 headings). */
  textCell(field: TextField, c: LayoutColumn, l: Line): ReportCell {
    const year = columnYear(c, this.ix.year);
    if (year !== this.ix.year) {
      const records = this.ix.recordsOfYear(l.projectId, year);
      if (l.departmentId === null) return { text: this.projectText({ ...l, records }, field) };
      return { text: this.recordText(records.find((r) => r.departmentId === l.departmentId) ?? null, field) };
    }
    return { text: l.departmentId === null ? this.projectText(l, field) : this.recordText(l.record, field) };
  }

  unitCell(l: Line): ReportCell {
    return { text: [...new Set(this.indicatorsOf(l).map((i) => i.unit))].join('\n') };
  }

  /** 重点: the mark where the node of the column's level (the row's own node, without a level) is one. */
  priorityCell(c: LayoutColumn, l: Line): ReportCell {
    const id = c.depth === undefined ? l.nodePath.at(-1) : l.nodePath[c.depth];
    const node = id === undefined ? undefined : this.ix.nodeById.get(id);
    return { text: node?.priority ? (c.mark ?? '★') : '' };
  }

  /** 関連計画: the sub-plans of the node of the column's level, or of every node on the row's path. */
  subPlansCell(c: LayoutColumn, l: Line): ReportCell {
    const ids = c.depth === undefined ? l.nodePath : [l.nodePath[c.depth]];
    const tags = new Set(ids.flatMap((id) => (id === undefined ? [] : (this.ix.nodeById.get(id)?.subPlanIds ?? []))));
    return {
      text: this.ix.ds.plan.subPlans
        .filter((s) => tags.has(s.id))
        .map((s) => s.name)
        .join('・'),
    };
  }

  /** The council's remarks on the project in the column's year, each with its date and the departments' answers. */
  councilCell(c: LayoutColumn, l: Line): ReportCell {
    const year = columnYear(c, this.ix.year);
    const remarks = this.ix.ds.comments.filter((x) => x.projectId === l.projectId && x.fiscalYear === year);
    const shown = c.which === 'all' ? remarks : remarks.slice(-1);
    return {
      text: joinLines(
        shown.map((r) =>
          joinLines([
            `【意見 ${eraDateLabel(r.at.slice(0, 10))}】${r.body}`,
            ...r.answers.map((a) => `【回答 ${a.departmentName} ${eraDateLabel(a.at.slice(0, 10))}】${a.body}`),
          ]),
        ),
      ),
    };
  }

  /**
   * One of the plan's extra fields: a project's value, or a department's answer of the column's year
   * (on a project row, every department's under 【課名】). A number keeps its number.
   */
  customCell(c: LayoutColumn, l: Line): ReportCell {
    const def = (this.ix.ds.plan.customFields ?? []).find((f) => f.key === c.field);
    if (!def) return { text: '' };
    const cellOf = (v: CustomValue | undefined): ReportCell => ({
      text: customText(def, v),
      value: typeof v === 'number' ? v : null,
    });
    if (def.on === 'project') return cellOf(this.ix.projectById.get(l.projectId)?.custom?.[def.key]);
    const year = columnYear(c, this.ix.year);
    const records = year === this.ix.year ? l.records : this.ix.recordsOfYear(l.projectId, year);
    if (l.departmentId !== null)
      return cellOf(records.find((r) => r.departmentId === l.departmentId)?.custom?.[def.key]);
    const texts = this.ix
      .projectDepartments(l.projectId)
      .map((d) => ({ d, v: records.find((r) => r.departmentId === d)?.custom?.[def.key] }))
      .filter((t) => t.v !== undefined);
    if (texts.length === 1) return cellOf(texts[0]!.v);
    return {
      text: joinLines(texts.map((t) => `【${this.ix.departmentName(t.d)}】${customText(def, t.v)}`)),
    };
  }

  indicatorCell(l: Line): ReportCell {
    return {
      text: this.indicatorsOf(l)
        .map((i) => i.name)
        .join('\n'),
    };
  }

  /** A value of each of the row's indicators; one value keeps its number. */
  valuesCell(l: Line, pick: (i: DatasetIndicator) => Value | null): ReportCell {
    const values = this.indicatorsOf(l)
      .map(pick)
      .filter((v): v is Value => v !== null && v.text !== '');
    return values.length === 1
      ? { text: values[0]!.text, value: values[0]!.value ?? null }
      : { text: values.map((v) => v.text).join('\n') };
  }

  /** The target of the column's year (the report's unless the column names another). */
  targetCell(c: LayoutColumn, l: Line): ReportCell {
    const fiscalYear = columnYear(c, this.ix.year);
    return this.valuesCell(l, (i) => {
      const t = this.ix.target(i.id, fiscalYear);
      return t ? { text: t.text, value: t.value } : null;
    });
  }

  /**
   * The actual of the column's year (`before`: one more year back, 前年度実績): the whole value, one
   * part of it where the column names one, or the whole with every part on lines under it.
   */
  actualCell(c: LayoutColumn, l: Line, before = 0): ReportCell {
    const fiscalYear = columnYear(c, this.ix.year) - before;
    if (this.indicatorsOf(l).length === 0 && c.part === undefined) return this.doneCell(l, fiscalYear);
    return this.valuesCell(l, (i) => {
      const a = this.ix.actualFor(i.id, fiscalYear, l.departmentId);
      if (!a) return null;
      const whole = a.text || (a.value !== null ? `${a.value}${i.unit}` : '');
      if (c.part !== undefined) {
        const part = a.parts.find((p) => p.label === c.part);
        return part
          ? { text: part.text || (part.value !== null ? `${part.value}${i.unit}` : ''), value: part.value }
          : null;
      }
      if (c.parts && a.parts.length)
        return { text: joinLines([whole, ...a.parts.map((p) => `${p.label} ${p.text}`)]), value: a.value };
      return { text: whole, value: a.value };
    });
  }

  gradeCell(part: 'level' | 'grade' | 'reason' | 'points', c: LayoutColumn, l: Line): ReportCell {
    const cells = this.gradeCells(c, l);
    if (part !== 'grade' || !c.choices) return cells[part];
    // Every code of the scale, the ones given marked: 「■A □B □C □D」.
    const given = new Set(cells.grade.text.split('／'));
    const scale = this.graderOf(c).scale;
    return {
      ...cells.grade,
      text: (scale?.grades ?? []).map((g) => `${given.has(g.code) ? '■' : '□'}${g.code}`).join(' '),
    };
  }

  /** 達成率・進捗率: the ratio the slot's rule computed, in percent with the column's decimals. */
  ratioCell(c: LayoutColumn, l: Line): ReportCell {
    const digits = c.digits ?? 0;
    const percents = this.gradeCells(c, l).ratios.map((r) => Number((r * 100).toFixed(digits)));
    return {
      text: percents.map((p) => `${p.toFixed(digits)}%`).join('\n'),
      value: percents.length === 1 ? percents[0]! : null,
    };
  }

  /** ※ where a grade shown differs from what the rule computed (the reason prints in 評価の理由). */
  overrideMarkCell(c: LayoutColumn, l: Line): ReportCell {
    return { text: this.gradeCells(c, l).overridden ? (c.mark ?? '※') : '' };
  }

  private gradeCells(c: LayoutColumn, l: Line): GradeCells {
    const g = this.graderOf(c);
    if (g === this.grader) return g.cells(l, () => (l.grade ? [l.grade] : g.ofRow(l.projectId, l.departmentId)));
    // A column of another slot: a line's own value where the slot evaluates lines, else the row's answers'.
    return g.cells(l, () =>
      l.indicator && g.computes ? [g.line(l.indicator, l.departmentId)] : g.ofRow(l.projectId, l.departmentId),
    );
  }

  /** The grader of the slot a column prints: the plan's printed slot, or the one the column names. */
  private graderOf(c: LayoutColumn): Grader {
    if (c.slot === undefined || c.slot === this.grader.slot?.key) return this.grader;
    const g = this.slotGraders.get(c.slot) ?? new Grader(this.ix, c.slot);
    this.slotGraders.set(c.slot, g);
    return g;
  }

  /** The indicators' baselines; a line without one prints its answers' earliest done flag before the plan (現状値). */
  baselineCell(l: Line): ReportCell {
    if (this.indicatorsOf(l).length > 0)
      return this.valuesCell(l, (i) => ({ text: i.baselineText, value: i.baselineValue }));
    return this.doneCell(l, null);
  }

  /**
   * A line with no indicator prints, in a year's value column, the answers' status of that year (○ ×
   * — 隔年実施: the answer slot whose scale has ○), one per department where they differ.
   */
  private doneCell(l: Line, fiscalYear: number | null): ReportCell {
    const { config } = this.ix.ds.evaluation;
    const slot = config.slots.find(
      (s) =>
        s.subject === 'record' &&
        s.enteredBy === 'department' &&
        slotScale(config, s).grades.some((g) => g.code === '○'),
    );
    if (!slot) return { text: '' };
    this.values ??= new SlotValues(this.ix.ds.evaluation);
    const departments = l.departmentId !== null ? [l.departmentId] : this.ix.projectDepartments(l.projectId);
    // null: the 現状値, the earliest flag of a year before the plan (values marked `baseline`).
    this.baselines ??= earliestBaselines(this.ix.ds.evaluation.values, slot.key);
    const baseline = (d: number) => this.baselines!.get(`${l.projectId}|${d}`);
    const codes = departments.flatMap(
      (d) =>
        (fiscalYear === null ? baseline(d) : this.values!.get(fiscalYear, slot.key, 'record', l.projectId, d))?.code ??
        [],
    );
    return { text: [...new Set(codes)].join('\n') };
  }

  private indicatorsOf(l: Line): DatasetIndicator[] {
    return l.indicator ? [l.indicator] : this.ix.indicatorsOfRow(l.projectId, l.departmentId);
  }

  private repeatsOther(r: DatasetRecord | undefined, records: DatasetRecord[]): boolean {
    return !!r && r.sameAsDepartmentId !== null && records.some((o) => o.departmentId === r.sameAsDepartmentId);
  }

  private recordText(r: DatasetRecord | null, field: TextField): string {
    if (!r) return '';
    if (r.sameAsDepartmentId !== null && field !== 'remarks')
      return `${this.ix.departmentById.get(r.sameAsDepartmentId)?.name ?? ''}に同じ`;
    return r[field];
  }

  private projectText(l: Pick<Line, 'projectId' | 'records'>, field: TextField): string {
    const texts = this.ix
      .projectDepartments(l.projectId)
      // An answer that repeats another department's of the same project (「○○課に同じ」) prints once, with it.
      .filter(
        (d) =>
          !this.repeatsOther(
            l.records.find((r) => r.departmentId === d),
            l.records,
          ),
      )
      .map((d) => ({ d, text: this.recordText(l.records.find((r) => r.departmentId === d) ?? null, field) }))
      .filter((t) => t.text.trim() !== '');
    if (texts.length <= 1) return texts[0]?.text ?? '';
    return joinLines(
      texts.map((t) => {
        const name = this.ix.departmentById.get(t.d)?.name;
        return t.text.includes(`【${name}】`) ? t.text : `【${name ?? ''}】\n${t.text}`;
      }),
    );
  }
}

type CellOf = (m: CellMaker, c: LayoutColumn, l: Line, rowNumber: number) => ReportCell;

/** Every column kind and how its cell is made. */
const CELLS: Record<ColumnKey, CellOf> = {
  node: (m, c, l) => m.nodeCell(c, l),
  nodeNumber: (m, c, l) => m.nodeCell(c, l),
  nodeTitle: (m, c, l) => m.nodeCell(c, l),
  projectNumber: (m, c, l) => m.projectCell(c, l),
  projectName: (m, c, l) => m.projectCell(c, l),
  projectNumberName: (m, c, l) => m.projectCell(c, l),
  summary: (m, c, l) => m.projectCell(c, l),
  category: (m, c, l) => m.projectCell(c, l),
  audience: (m, c, l) => m.projectCell(c, l),
  departments: (m, _c, l) => m.departmentsCell(l),
  department: (m, _c, l) => m.departmentCell(l),
  planText: (m, c, l) => m.textCell('planText', c, l),
  resultText: (m, c, l) => m.textCell('resultText', c, l),
  nextYearPlan: (m, c, l) => m.textCell('nextYearPlan', c, l),
  remarks: (m, c, l) => m.textCell('remarks', c, l),
  indicator: (m, _c, l) => m.indicatorCell(l),
  baseline: (m, _c, l) => m.baselineCell(l),
  finalTarget: (m, _c, l) => m.valuesCell(l, (i) => ({ text: i.finalTargetText, value: i.finalTargetValue })),
  target: (m, c, l) => m.targetCell(c, l),
  actual: (m, c, l) => m.actualCell(c, l),
  actualPrevious: (m, c, l) => m.actualCell(c, l, 1),
  level: (m, c, l) => m.gradeCell('level', c, l),
  grade: (m, c, l) => m.gradeCell('grade', c, l),
  gradeReason: (m, c, l) => m.gradeCell('reason', c, l),
  rowNumber: (_m, _c, _l, n) => ({ text: String(n), value: n }),
  blank: () => ({ text: '' }),
  unit: (m, _c, l) => m.unitCell(l),
  ratio: (m, c, l) => m.ratioCell(c, l),
  points: (m, c, l) => m.gradeCell('points', c, l),
  priority: (m, c, l) => m.priorityCell(c, l),
  subPlans: (m, c, l) => m.subPlansCell(c, l),
  councilComments: (m, c, l) => m.councilCell(c, l),
  overrideMark: (m, c, l) => m.overrideMarkCell(c, l),
  custom: (m, c, l) => m.customCell(c, l),
};
