/** The closed lists of the evaluation model and their words, free of schemas (the SPA loads this). */

export const RULE_KINDS = ['manual', 'ratio', 'progress', 'trend', 'done', 'rollup'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
export const RULE_KIND_LABELS: Record<RuleKind, string> = {
  manual: '手入力（凡例から選ぶ）',
  ratio: '達成率（実績 ÷ 目標、少ないほどよい指標は目標 ÷ 実績）から計算',
  progress: '進捗率（現状値から最終目標までの進み具合）から計算',
  trend: '前年度または現状値との比較（改善・横ばい・悪化）から計算',
  done: '実施／未実施（○ × —）から',
  rollup: '下位の評価から集約（割合・平均・最も低いもの）',
};

export const ROLLUP_METHODS = ['share', 'average', 'worst', 'best'] as const;
export type RollupMethod = (typeof ROLLUP_METHODS)[number];
export const ROLLUP_METHOD_LABELS: Record<RollupMethod, string> = {
  share: '指定した評価の割合（%）',
  average: '点数の平均',
  worst: '最も低い評価',
  best: '最も高い評価',
};

export const TREND_BASES = ['previous', 'baseline'] as const;
export type TrendBasis = (typeof TREND_BASES)[number];
export const TREND_BASIS_LABELS: Record<TrendBasis, string> = {
  previous: '前年度の実績と比べる',
  baseline: '現状値（計画策定時）と比べる',
};

export const SUBJECT_KINDS = ['indicator', 'record', 'project', 'node', 'plan'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];
export const SUBJECT_KIND_LABELS: Record<SubjectKind, string> = {
  indicator: '指標の行（指標×担当課）',
  record: '事業の回答（事業×担当課）',
  project: '事業',
  node: '体系（施策・基本目標など）',
  plan: '計画全体',
};
/** Lower subjects roll up into higher ones. */
export const SUBJECT_RANK: Record<SubjectKind, number> = { indicator: 0, record: 1, project: 2, node: 3, plan: 4 };

export const ENTRY_ROLES = ['department', 'coordinator', 'committee', 'council', 'computed'] as const;
export type EntryRole = (typeof ENTRY_ROLES)[number];
export const ENTRY_ROLE_LABELS: Record<EntryRole, string> = {
  department: '担当課（自己評価）',
  coordinator: '計画所管課',
  committee: '推進委員会など庁内の委員',
  council: '審議会・外部評価の委員',
  computed: '自動計算',
};

/** How a year's actual is compared with a target. */
export const TARGET_BASES = ['annual', 'cumulative', 'final'] as const;
export type TargetBasis = (typeof TARGET_BASES)[number];
export const TARGET_BASIS_LABELS: Record<TargetBasis, string> = {
  annual: '年度ごとの目標（その年度の実績と比べる）',
  cumulative: '累計の目標（計画期間の実績の合計と比べる）',
  final: '最終目標（その年度の実績を最終目標と比べる）',
};

/** What an indicator is for: graded against a target, against an expectation, or only watched. */
export const INDICATOR_PURPOSES = ['target', 'expected', 'monitoring'] as const;
export type IndicatorPurpose = (typeof INDICATOR_PURPOSES)[number];
export const INDICATOR_PURPOSE_LABELS: Record<IndicatorPurpose, string> = {
  target: '目標値（達成を評価する）',
  expected: '期待値（見込みとして評価する）',
  monitoring: 'モニタリング（推移を示し、評価しない）',
};
