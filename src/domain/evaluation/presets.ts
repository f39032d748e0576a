import { configInput, type EvaluationConfig, type EvaluationConfigInput, type GradeDef, type Scale } from './schema.js';

/**
 * The shapes of evaluation met in practice, for a coordinator to start from. Each is a whole
 * configuration (scales and slots) and is documented with a table of example values in
 * docs/evaluation.md; the tests check every row of those tables.
 */

const g = (code: string, label: string, points: number | null, more: Partial<GradeDef> = {}): GradeDef => ({
  code,
  label,
  tally: true,
  points,
  hand: false,
  ...more,
});
const notCounted = (code: string, label: string, more: Partial<GradeDef> = {}) =>
  g(code, label, null, { tally: false, ...more });

const selfAtoD: Scale = {
  key: 'a-d',
  name: 'A〜D',
  rule: { kind: 'manual' },
  grades: [
    g('A', '順調または目標達成', 4),
    g('B', '概ね順調', 3),
    g('C', '検討が必要', 2),
    g('D', '極めて不十分・実施せず', 1),
  ],
};

const stars: Scale = {
  key: 'stars',
  name: '★（3段階）',
  rule: { kind: 'manual' },
  grades: [g('★★★', '順調に進んでいる', 3), g('★★', '概ね進んでいる', 2), g('★', '取組の強化が必要', 1)],
};

export interface Preset {
  name: string;
  label: string;
  config: EvaluationConfigInput;
}

export const EVALUATION_PRESETS: Preset[] = [
  {
    name: 'manual-a-d',
    label: '担当課が A〜D で自己評価（回答ごと、提出に必須）',
    config: {
      scales: [selfAtoD],
      slots: [
        {
          key: 'self',
          name: '評価',
          subject: 'record',
          enteredBy: 'department',
          scale: 'a-d',
          required: true,
          phase: 'end',
        },
      ],
    },
  },
  {
    name: 'achievement-5',
    label: '達成度1〜5（目標に対する実績の割合）を ◎○△× で表示、計算と異なる評価は理由つきで',
    config: {
      scales: [
        {
          key: 'achievement',
          name: '達成度1〜5 → ◎○△×',
          rule: {
            kind: 'ratio',
            levelName: '達成度',
            levels: [
              { code: '5', min: 100 },
              { code: '4', min: 80 },
              { code: '3', min: 60 },
              { code: '2', min: 20 },
              { code: '1', min: 0 },
            ],
            levelGrades: [
              { level: '5', grade: '◎' },
              { level: '4', grade: '◎' },
              { level: '3', grade: '○' },
              { level: '2', grade: '△' },
              { level: '1', grade: '×' },
            ],
            noTarget: '—',
            cannotCompute: null,
            statusGrades: { not_applicable: '—', biennial: '—', not_done: '×', cancelled: '×' },
          },
          grades: [
            g('◎', '目標を達成（達成度4・5）', 4, { hand: true }),
            g('○', '概ね達成（達成度3）', 3, { hand: true }),
            g('△', '一部達成（達成度2）', 2, { hand: true }),
            g('×', '未達成（達成度1）', 1, { hand: true }),
            notCounted('—', '評価の対象外', { hand: true }),
          ],
        },
      ],
      slots: [
        {
          key: 'grade',
          name: '評価',
          subject: 'indicator',
          enteredBy: 'computed',
          scale: 'achievement',
          override: true,
        },
      ],
    },
  },
  {
    name: 'ratio-hand',
    label: '達成率で A〜D、数値で測れない事業は「着手」「未着手」を手入力',
    config: {
      scales: [
        {
          key: 'ratio-a-d',
          name: '達成率 A〜D（着手・未着手つき）',
          rule: {
            kind: 'ratio',
            levelName: '達成率',
            levels: [
              { code: 'A', min: 100 },
              { code: 'B', min: 80 },
              { code: 'C', min: 50 },
              { code: 'D', min: null },
            ],
            levelGrades: [],
            noTarget: '—',
            cannotCompute: null,
            statusGrades: { not_done: 'D', biennial: '—', not_applicable: '—' },
          },
          grades: [
            g('A', '目標を達成（100%以上）', 4),
            g('B', '概ね達成（80%以上）', 3),
            g('C', '一部達成（50%以上）', 2),
            g('D', '達成が不十分（50%未満）', 1),
            g('着手', '取組を始めた（数値で測れない事業）', 2, { hand: true }),
            g('未着手', '取組を始めていない（数値で測れない事業）', 0, { hand: true }),
            notCounted('—', '評価の対象外'),
          ],
        },
      ],
      slots: [{ key: 'grade', name: '達成状況', subject: 'indicator', enteredBy: 'computed', scale: 'ratio-a-d' }],
    },
  },
  {
    name: 'progress-negative',
    label:
      '現状値から最終目標への進捗率で A〜D、目標と逆に動いたら「後退」、計算できないものは「評価不能」（数えない）',
    config: {
      scales: [
        {
          key: 'progress',
          name: '進捗率 A〜D・後退',
          rule: {
            kind: 'progress',
            levelName: '進捗率',
            levels: [
              { code: 'A', min: 100 },
              { code: 'B', min: 50 },
              { code: 'C', min: 10 },
              { code: 'D', min: 0 },
              { code: '後退', min: null },
            ],
            levelGrades: [],
            noTarget: null,
            cannotCompute: '評価不能',
            statusGrades: {},
          },
          grades: [
            g('A', '最終目標を達成（100%以上）', 4),
            g('B', '半分以上進んだ（50%以上）', 3),
            g('C', '進み始めた（10%以上）', 2),
            g('D', 'ほとんど進んでいない（0%以上10%未満）', 1),
            g('後退', '現状値より目標から遠ざかった（0%未満）', 0),
            notCounted('評価不能', '現状値がない、数値でない、現状値と目標が同じ'),
          ],
        },
      ],
      slots: [{ key: 'progress', name: '進捗', subject: 'indicator', enteredBy: 'computed', scale: 'progress' }],
    },
  },
  {
    name: 'trend',
    label: '前年度と比べて改善・横ばい（±1%以内）・悪化',
    config: {
      scales: [trendScale()],
      slots: [{ key: 'trend', name: '前年度との比較', subject: 'indicator', enteredBy: 'computed', scale: 'trend' }],
    },
  },
  {
    name: 'dual-target-trend',
    label: '指標ごとに2つの判定を並べる：目標に対して（達成・未達成・判定不能）と前年度に対して（改善・横ばい・悪化）',
    config: {
      scales: [
        {
          key: 'target',
          name: '目標の達成',
          rule: {
            kind: 'ratio',
            levelName: '達成率',
            levels: [
              { code: '達成', min: 100 },
              { code: '未達成', min: null },
            ],
            levelGrades: [],
            noTarget: '判定不能',
            cannotCompute: '判定不能',
            statusGrades: {},
          },
          grades: [
            g('達成', '目標値に達した', 1),
            g('未達成', '目標値に達していない', 0),
            notCounted('判定不能', '目標または実績が数値でない'),
          ],
        },
        trendScale(),
      ],
      slots: [
        { key: 'target', name: '目標に対して', subject: 'indicator', enteredBy: 'computed', scale: 'target' },
        { key: 'trend', name: '前年度に対して', subject: 'indicator', enteredBy: 'computed', scale: 'trend' },
      ],
    },
  },
  {
    name: 'council-stars',
    label: '担当課の自己評価（A〜D）、所管課の評価（A〜D）、審議会が施策ごとに★とコメント、所管課が基本目標ごとに総評',
    config: {
      scales: [
        selfAtoD,
        stars,
        {
          key: 'comment-only',
          name: '総評（文章のみ）',
          rule: { kind: 'manual' },
          grades: [notCounted('—', '記号なし')],
        },
      ],
      slots: [
        {
          key: 'self',
          name: '自己評価',
          subject: 'record',
          enteredBy: 'department',
          scale: 'a-d',
          required: true,
          phase: 'end',
        },
        { key: 'coord', name: '所管課評価', subject: 'record', enteredBy: 'coordinator', scale: 'a-d' },
        {
          key: 'council',
          name: '審議会評価',
          subject: 'node',
          depth: 1,
          enteredBy: 'council',
          scale: 'stars',
          comment: true,
        },
        {
          key: 'summary',
          name: '総評',
          subject: 'node',
          depth: 0,
          enteredBy: 'coordinator',
          scale: 'comment-only',
          comment: true,
          tallied: false,
        },
      ],
    },
  },
  {
    name: 'done-flags',
    label: '実施（○）／未実施（×）／該当なし（—）を事業と課ごとに毎年（指標の有無にかかわらず）',
    config: {
      scales: [
        {
          key: 'done',
          name: '○ × —',
          rule: { kind: 'manual' },
          grades: [
            g('○', '実施した', 1),
            g('×', '実施しなかった', 0),
            notCounted('—', '該当なし'),
            notCounted('隔年実施', '隔年実施のため今年度は対象外'),
          ],
        },
      ],
      slots: [
        {
          key: 'done',
          name: '実施状況',
          subject: 'record',
          enteredBy: 'department',
          scale: 'done',
          required: true,
          phase: 'end',
        },
      ],
    },
  },
  {
    name: 'node-share',
    label: '指標の達成率で A〜D、施策ごとに A の割合で ◎○△（計算）',
    config: {
      scales: [
        {
          key: 'ratio-a-d',
          name: '達成率 A〜D',
          rule: {
            kind: 'ratio',
            levelName: '達成率',
            levels: [
              { code: 'A', min: 100 },
              { code: 'B', min: 80 },
              { code: 'C', min: 50 },
              { code: 'D', min: null },
            ],
            levelGrades: [],
            noTarget: null,
            cannotCompute: null,
            statusGrades: {},
          },
          grades: [g('A', '100%以上', 4), g('B', '80%以上', 3), g('C', '50%以上', 2), g('D', '50%未満', 1)],
        },
        {
          key: 'share',
          name: 'A の割合',
          rule: {
            kind: 'rollup',
            method: 'share',
            shareOf: ['A'],
            bands: [
              { min: 80, code: '◎' },
              { min: 50, code: '○' },
              { min: 0, code: '△' },
            ],
            cannotCompute: null,
          },
          grades: [g('◎', 'A が8割以上', 3), g('○', 'A が5割以上', 2), g('△', 'A が5割未満', 1)],
        },
      ],
      slots: [
        { key: 'grade', name: '達成状況', subject: 'indicator', enteredBy: 'computed', scale: 'ratio-a-d' },
        {
          key: 'measure',
          name: '施策の評価',
          subject: 'node',
          depth: 1,
          enteredBy: 'computed',
          scale: 'share',
          rollupFrom: 'grade',
        },
      ],
    },
  },
];

function trendScale(): Scale {
  return {
    key: 'trend',
    name: '改善・横ばい・悪化',
    rule: {
      kind: 'trend',
      against: 'previous',
      tolerance: 1,
      toleranceUnit: 'percent',
      improved: '改善',
      unchanged: '横ばい',
      worsened: '悪化',
      cannotCompute: '比較不能',
      statusGrades: {},
    },
    grades: [
      g('改善', '望ましい方向に動いた', 1),
      g('横ばい', '変化が許容幅以内', 0),
      g('悪化', '望ましくない方向に動いた', -1),
      notCounted('比較不能', '前年度の数値がない、または数値でない'),
    ],
  };
}

/** What a new plan evaluates with unless told otherwise: A〜D chosen by each department. */
export const DEFAULT_PRESET = 'manual-a-d';

export function presetConfig(name: string): EvaluationConfig | undefined {
  const p = EVALUATION_PRESETS.find((x) => x.name === name);
  return p ? configInput.parse(p.config) : undefined;
}
