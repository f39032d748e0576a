import type {
  EvaluationConfig,
  GradeDef,
  Rule,
  RuleKind,
  RollupMethod,
  Scale,
  Slot,
  TrendBasis,
} from '../../../domain/evaluation/index.js';
import { ACTUAL_STATUSES, normaliseNumberText, type ActualStatus } from '../../../domain/values.js';

/**
 * The evaluation settings as the form holds them, and the configuration the server takes. Numbers
 * are kept as typed (a lower bound of 「-10」 is half typed at 「-」), a level carries the code it
 * prints as, and one rule draft holds the fields of every kind, so that switching the kind and back
 * loses nothing. `configOf` turns the draft into a configuration and names what it cannot read with
 * the same field paths the server uses (config.scales.0.rule.levels.1.min).
 */

export interface GradeDraft {
  code: string;
  label: string;
  tally: boolean;
  points: string;
  hand: boolean;
}

export interface LevelDraft {
  code: string;
  /** percent; empty: no lower bound (catches everything below the others) */
  min: string;
  /** the code printed for this level; empty: the level's own name */
  grade: string;
}

export interface BandDraft {
  min: string;
  code: string;
}

type ToleranceUnit = Extract<Rule, { kind: 'trend' }>['toleranceUnit'];

export interface RuleDraft {
  kind: RuleKind;
  levelName: string;
  levels: LevelDraft[];
  noTarget: string;
  cannotCompute: string;
  statusGrades: Partial<Record<ActualStatus, string>>;
  against: TrendBasis;
  tolerance: string;
  toleranceUnit: ToleranceUnit;
  improved: string;
  unchanged: string;
  worsened: string;
  done: string;
  notDone: string;
  notApplicable: string;
  method: RollupMethod;
  shareOf: string[];
  bands: BandDraft[];
}

export interface ScaleDraft {
  key: string;
  name: string;
  rule: RuleDraft;
  grades: GradeDraft[];
}

export interface ConfigDraft {
  scales: ScaleDraft[];
  slots: Slot[];
}

export interface Problem {
  field: string;
  message: string;
}

export function defaultRuleDraft(kind: RuleKind = 'manual'): RuleDraft {
  return {
    kind,
    levelName: kind === 'progress' ? '進捗率' : '達成率',
    levels: [
      { code: 'A', min: '100', grade: '' },
      { code: 'B', min: '80', grade: '' },
      { code: 'C', min: '50', grade: '' },
      { code: 'D', min: '', grade: '' },
    ],
    noTarget: '',
    cannotCompute: '',
    statusGrades: {},
    against: 'previous',
    tolerance: '0',
    toleranceUnit: 'percent',
    improved: '改善',
    unchanged: '横ばい',
    worsened: '悪化',
    done: '○',
    notDone: '×',
    notApplicable: '',
    method: 'average',
    shareOf: [],
    bands: [],
  };
}

const text = (n: number | null): string => (n === null ? '' : String(n));

function ruleDraftOf(rule: Rule): RuleDraft {
  const d = defaultRuleDraft(rule.kind);
  switch (rule.kind) {
    case 'manual':
      return d;
    case 'ratio':
    case 'progress':
      return {
        ...d,
        levelName: rule.levelName,
        levels: rule.levels.map((l) => ({
          code: l.code,
          min: text(l.min),
          grade: rule.levelGrades.find((m) => m.level === l.code)?.grade ?? '',
        })),
        noTarget: rule.noTarget ?? '',
        cannotCompute: rule.cannotCompute ?? '',
        statusGrades: { ...rule.statusGrades },
      };
    case 'trend':
      return {
        ...d,
        against: rule.against,
        tolerance: String(rule.tolerance),
        toleranceUnit: rule.toleranceUnit,
        improved: rule.improved,
        unchanged: rule.unchanged,
        worsened: rule.worsened,
        cannotCompute: rule.cannotCompute ?? '',
        statusGrades: { ...rule.statusGrades },
      };
    case 'done':
      return {
        ...d,
        done: rule.done,
        notDone: rule.notDone,
        notApplicable: rule.notApplicable ?? '',
        statusGrades: { ...rule.statusGrades },
      };
    case 'rollup':
      return {
        ...d,
        method: rule.method,
        shareOf: [...rule.shareOf],
        bands: rule.bands.map((b) => ({ min: String(b.min), code: b.code })),
        cannotCompute: rule.cannotCompute ?? '',
      };
  }
}

const gradeDraftOf = (g: GradeDef): GradeDraft => ({
  code: g.code,
  label: g.label,
  tally: g.tally,
  points: text(g.points),
  hand: g.hand,
});

export function draftOf(config: EvaluationConfig): ConfigDraft {
  return {
    scales: config.scales.map((s) => ({
      key: s.key,
      name: s.name,
      rule: ruleDraftOf(s.rule),
      grades: s.grades.map(gradeDraftOf),
    })),
    slots: config.slots.map((s) => ({ ...s, purposes: [...s.purposes] })),
  };
}

/** A number as typed (full-width digits and signs allowed), null where empty, undefined where unreadable. */
export function readNumberText(input: string): number | null | undefined {
  const n = normaliseNumberText(input);
  if (n === '') return null;
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(n)) return undefined;
  return Number(n);
}

const code = (s: string): string | null => (s.trim() === '' ? null : s.trim());

function statusGrades(d: RuleDraft): Partial<Record<ActualStatus, string>> {
  const out: Partial<Record<ActualStatus, string>> = {};
  for (const st of ACTUAL_STATUSES) {
    const c = code(d.statusGrades[st] ?? '');
    if (c) out[st] = c;
  }
  return out;
}

/** The level mappings a draft's levels make, in level order (the server names them by this index). */
export const levelGradesOf = (levels: LevelDraft[]): { level: string; grade: string }[] =>
  levels.filter((l) => l.grade.trim() !== '').map((l) => ({ level: l.code.trim(), grade: l.grade.trim() }));

/** Where the server's `rule.levelGrades.<i>` of a level is: its index among the levels that map. */
export function levelGradeIndex(levels: LevelDraft[], levelIndex: number): number | null {
  if (levels[levelIndex]?.grade.trim() === '') return null;
  return levels.slice(0, levelIndex).filter((l) => l.grade.trim() !== '').length;
}

const NUMBER_PROBLEM = '数値で入力してください';

function ruleOf(d: RuleDraft, at: string, problems: Problem[]): Rule {
  const num = (s: string, field: string, required: boolean): number | null => {
    const v = readNumberText(s);
    if (v === undefined || (v === null && required)) {
      problems.push({ field: `${at}.${field}`, message: v === null ? '数値を入力してください' : NUMBER_PROBLEM });
      return 0;
    }
    return v;
  };
  switch (d.kind) {
    case 'manual':
      return { kind: 'manual' };
    case 'ratio':
    case 'progress':
      return {
        kind: d.kind,
        levelName: d.levelName.trim(),
        levels: d.levels.map((l, i) => ({ code: l.code.trim(), min: num(l.min, `levels.${i}.min`, false) })),
        levelGrades: levelGradesOf(d.levels),
        noTarget: code(d.noTarget),
        cannotCompute: code(d.cannotCompute),
        statusGrades: statusGrades(d),
      };
    case 'trend':
      return {
        kind: 'trend',
        against: d.against,
        tolerance: num(d.tolerance, 'tolerance', true) ?? 0,
        toleranceUnit: d.toleranceUnit,
        improved: d.improved.trim(),
        unchanged: d.unchanged.trim(),
        worsened: d.worsened.trim(),
        cannotCompute: code(d.cannotCompute),
        statusGrades: statusGrades(d),
      };
    case 'done':
      return {
        kind: 'done',
        done: d.done.trim(),
        notDone: d.notDone.trim(),
        notApplicable: code(d.notApplicable),
        statusGrades: statusGrades(d),
      };
    case 'rollup':
      return {
        kind: 'rollup',
        method: d.method,
        shareOf: d.method === 'share' ? d.shareOf : [],
        bands:
          d.method === 'share' || d.method === 'average'
            ? d.bands.map((b, i) => ({ min: num(b.min, `bands.${i}.min`, true) ?? 0, code: b.code.trim() }))
            : [],
        cannotCompute: code(d.cannotCompute),
      };
  }
}

function scaleOf(s: ScaleDraft, at: string, problems: Problem[]): Scale {
  return {
    key: s.key.trim(),
    name: s.name.trim(),
    rule: ruleOf(s.rule, `${at}.rule`, problems),
    grades: s.grades.map((g, i) => {
      const points = readNumberText(g.points);
      if (points === undefined) problems.push({ field: `${at}.grades.${i}.points`, message: NUMBER_PROBLEM });
      return { code: g.code.trim(), label: g.label.trim(), tally: g.tally, points: points ?? null, hand: g.hand };
    }),
  };
}

/** The configuration a draft says, and what in it cannot be read (then it is not sent). */
export function configOf(draft: ConfigDraft): { config: EvaluationConfig; problems: Problem[] } {
  const problems: Problem[] = [];
  const scales = draft.scales.map((s, i) => scaleOf(s, `config.scales.${i}`, problems));
  const slots = draft.slots.map((s) => slotOf(s, scales));
  return { config: { scales, slots }, problems };
}

/**
 * A slot as sent: the fields the form shows only where they apply (a node's depth, an indicator's
 * purposes, a computed slot's override …) are reset where they do not, as the form hides them.
 */
function slotOf(s: Slot, scales: Scale[]): Slot {
  const rollup = scales.find((x) => x.key === s.scale)?.rule.kind === 'rollup';
  return {
    ...s,
    key: s.key.trim(),
    name: s.name.trim(),
    depth: s.subject === 'node' ? s.depth : null,
    purposes: s.subject === 'indicator' ? s.purposes : ['target', 'expected'],
    override: s.enteredBy === 'computed' && s.override,
    required: s.enteredBy === 'department' && s.required,
    rollupFrom: rollup ? s.rollupFrom : null,
    checkAgainst: s.enteredBy === 'computed' ? null : s.checkAgainst,
  };
}

/** Which fields of a slot the form shows. */
export function slotFieldsShown(s: Slot, scales: ScaleDraft[]) {
  return {
    depth: s.subject === 'node',
    purposes: s.subject === 'indicator',
    override: s.enteredBy === 'computed',
    required: s.enteredBy === 'department',
    rollupFrom: scales.find((x) => x.key === s.scale)?.rule.kind === 'rollup',
    checkAgainst: s.enteredBy !== 'computed',
  };
}

/** A key not used yet: slot2, slot3 … */
export function freshKey(prefix: string, used: string[]): string {
  for (let i = used.length + 1; ; i++) if (!used.includes(`${prefix}${i}`)) return `${prefix}${i}`;
}

export function newSlot(draft: ConfigDraft): Slot {
  const scale = draft.scales.find((s) => s.rule.kind === 'manual') ?? draft.scales[0];
  return {
    key: freshKey(
      'slot',
      draft.slots.map((s) => s.key),
    ),
    name: '',
    subject: 'record',
    depth: null,
    enteredBy: 'department',
    phase: null,
    scale: scale?.key ?? '',
    purposes: ['target', 'expected'],
    override: false,
    rollupFrom: null,
    comment: false,
    required: false,
    printed: true,
    tallied: true,
    checkAgainst: null,
  };
}

export function newScale(draft: ConfigDraft): ScaleDraft {
  return {
    key: freshKey(
      'scale',
      draft.scales.map((s) => s.key),
    ),
    name: '',
    rule: defaultRuleDraft('manual'),
    grades: [
      { code: 'A', label: '', tally: true, points: '3', hand: false },
      { code: 'B', label: '', tally: true, points: '2', hand: false },
      { code: 'C', label: '', tally: true, points: '1', hand: false },
    ],
  };
}

/** A scale's key changed: the slots on it follow. */
export function renameScaleKey(draft: ConfigDraft, index: number, key: string): ConfigDraft {
  const old = draft.scales[index]?.key;
  return {
    scales: draft.scales.map((s, i) => (i === index ? { ...s, key } : s)),
    slots: draft.slots.map((s) => (s.scale === old ? { ...s, scale: key } : s)),
  };
}

/** A slot's key changed: the slots that sum it up or are checked against it follow. */
export function renameSlotKey(draft: ConfigDraft, index: number, key: string): ConfigDraft {
  const old = draft.slots[index]?.key;
  return {
    scales: draft.scales,
    slots: draft.slots.map((s, i) => ({
      ...s,
      key: i === index ? key : s.key,
      rollupFrom: s.rollupFrom === old ? key : s.rollupFrom,
      checkAgainst: s.checkAgainst === old ? key : s.checkAgainst,
    })),
  };
}

/** The slots evaluated on a scale (a scale in use cannot be removed). */
export const slotsOnScale = (draft: ConfigDraft, scaleKey: string): Slot[] =>
  draft.slots.filter((s) => s.scale === scaleKey);

export function moveItem<T>(list: T[], index: number, by: -1 | 1): T[] {
  const to = index + by;
  if (to < 0 || to >= list.length) return list;
  const out = [...list];
  [out[index], out[to]] = [out[to]!, out[index]!];
  return out;
}

/** A scale of the draft as a configuration's scale, for the live preview (unreadable numbers read as none). */
export function previewScale(draft: ScaleDraft): Scale {
  return scaleOf(draft, '', []);
}
