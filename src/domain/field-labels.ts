import { IMPORT_FIELD_LABELS } from './import/mapping.js';
import { ACTUAL_STATUS_LABELS } from './values.js';

/**
 * Japanese names of request fields, so that a validation message names what the user sees: one table
 * of field names (FIELD_LABELS), with the few names a form shows differently (FORM_LABELS: the name
 * of a 事業 is 事業名, of an indicator 指標名). Keys are a field's name, or its path of names inside
 * the request (`levels.name`) where the same name means something else there.
 */
export const FIELD_LABELS: Record<string, string> = {
  // accounts and the municipality
  loginName: 'ログインID',
  password: 'パスワード',
  displayName: '氏名',
  role: '役割',
  municipalityId: '自治体',
  municipality: '自治体',
  mid: '自治体',
  departmentId: '課',
  active: '有効',
  email: 'メールアドレス',
  currentPassword: '今のパスワード',
  newPassword: '新しいパスワード',
  code: '記号',
  era2019: '2019年度の表記',
  // departments and reorganisations
  kind: '種別',
  parentId: '上位',
  activeFrom: '存続開始年度',
  activeTo: '存続終了年度',
  effectiveYear: '変更後の課が始まる年度',
  fromIds: '組織変更前の課',
  toNames: '組織変更後の課名',
  note: 'メモ',
  reason: '理由',
  // plans and their structure
  planId: '計画',
  plan: '計画',
  title: '名称',
  name: '名称',
  slogan: 'スローガン',
  firstYear: '計画期間（開始年度）',
  lastYear: '計画期間（終了年度）',
  subPlans: '関連計画',
  subPlanId: '関連計画',
  levels: '階層',
  numberingStyle: '番号の形式',
  numberingScope: '番号の振り方',
  numberHeading: '番号の列見出し',
  description: '説明',
  numberOverride: '番号（手入力）',
  priority: '重点',
  index: '移動先の位置',
  nodeId: '項目',
  number: '事業番号',
  summary: '事業概要',
  category: '区分',
  audience: '対象者',
  leadDepartmentId: '主担当課',
  coDepartmentIds: '関係課',
  crossListNodeIds: '再掲先',
  nodes: '項目',
  projects: '事業',
  startYear: '開始年度',
  endYear: '終了年度',
  keepNumbers: '番号を固定する',
  numbering: '番号の付け方',
  op: '操作',
  evaluation: '評価の方法',
  evaluationPreset: '評価の方法のひな形',
  gradeOptions: '評価の選択肢',
  // plan files
  format: '形式',
  version: 'バージョン',
  key: 'キー',
  parentKey: '上位の項目のキー',
  nodeKey: '掲載先の項目のキー',
  leadDepartment: '主担当課',
  coDepartments: '関係課',
  crossListNodeKeys: '再掲先の項目のキー',
  countsInNumbering: '番号を数えるか',
  projectNumber: '事業番号',
  department: '課',
  indicators: '活動指標',
  revisions: '指標の変更',
  fromYear: '適用する年度',
  config: '評価の設定',
  // indicators
  unit: '単位',
  direction: '方向',
  baseline: '現状値',
  baselineYear: '現状値の年度',
  finalTarget: '最終目標',
  targets: '年度目標',
  'targets.text': '目標',
  'rule.levels': '段階',
  purpose: '指標の扱い',
  targetBasis: '目標の見方',
  // the yearly cycle
  fiscalYear: '年度',
  year: '年度',
  phase: '時期',
  deadline: '回答期限',
  instructions: '記入要領',
  departmentIds: '照会先の課',
  planText: '事業予定',
  resultText: '実績・取組状況',
  grade: '評価',
  remarks: '備考',
  nextYearPlan: '翌年度予定',
  sameAsDepartmentId: '「他課に同じ」',
  actuals: '活動指標の実績',
  indicatorId: '活動指標',
  'actuals.text': '実績',
  'actuals.status': '実績の状況',
  'actuals.reason': '状況の理由',
  parts: '内訳',
  'parts.label': '内訳の名称',
  'parts.text': '内訳の値',
  text: '値',
  status: '状況',
  readText: '読み込んだときの値',
  entries: '評価',
  /** an entry of a plan file: the indicator's place in the file's list of indicators */
  'entries.indicator': '指標（ファイル内の番号）',
  slotKey: '評価の種類',
  subjectKind: '評価の対象',
  subjectId: '評価の対象',
  comment: 'コメント',
  action: '操作',
  records: '回答',
  message: 'メッセージ',
  body: 'コメント',
  id: '対象',
  // evaluation settings
  scales: '尺度',
  slots: '評価',
  rule: '決め方',
  grades: '評価の記号',
  label: '説明',
  tally: '集計に数える',
  points: '点数',
  hand: '手で選べる',
  min: '下限',
  levelName: '段階の名前',
  levelGrades: '段階と評価の対応',
  level: '段階',
  noTarget: '目標がないときの評価',
  cannotCompute: '計算できないときの評価',
  statusGrades: '状況ごとの評価',
  against: '比べる相手',
  tolerance: '横ばいとみなす幅',
  toleranceUnit: '横ばいの幅の単位',
  improved: '改善したときの評価',
  unchanged: '横ばいのときの評価',
  worsened: '悪化したときの評価',
  done: '実施したときの評価',
  notDone: '実施しなかったときの評価',
  notApplicable: '対象外のときの評価',
  method: '集約の方法',
  shareOf: '割合を数える評価',
  bands: '段階',
  subject: '評価の対象',
  depth: '階層',
  enteredBy: '入力する人',
  scale: '尺度',
  purposes: '評価する指標の扱い',
  override: '計算した評価を変えられる',
  rollupFrom: '集約の元',
  required: '必須',
  printed: '報告に載せる',
  tallied: '集計に数える',
  checkAgainst: '照らし合わせる評価',
  // reports and publishing
  layout: 'レイアウト',
  asOf: '時点',
  includeUnapproved: '未確定の回答を含める',
  sheetTitle: 'シートの表題',
  documentNumber: '資料番号',
  showAsOf: '時点を表示する',
  hierarchy: '体系の表し方',
  sectionFormats: '見出し行の書式',
  categoryCountsDepth: '区分の数を出す階層',
  categoryCountsOf: '区分を数える範囲',
  field: '追加の項目',
  rowUnit: '行の単位',
  grouping: '並べ方',
  crossListingMark: '再掲の印',
  legend: '凡例',
  columns: '列',
  header: '見出し',
  width: '幅',
  merge: '結合する',
  indicatorMarker: '指標の前に付ける印',
  emptyRows: '指標のない行',
  paper: '用紙',
  size: '大きさ',
  orientation: '向き',
  slot: '評価の項目',
  yearOffset: '年度（報告の年度から何年前か）',
  part: '内訳',
  choices: '選択肢の印（□■）',
  digits: '小数の桁数',
  which: '意見の範囲',
  mark: '印',
  // the plan's own 区分 and extra fields
  categories: '区分の一覧',
  'categories.code': '区分',
  counted: '集計に数える',
  customFields: '追加の項目',
  'customFields.key': '追加の項目の識別名',
  'customFields.label': '項目名',
  'customFields.on': '入力する場所',
  'customFields.type': '種類',
  'customFields.unit': '単位',
  'customFields.choices': '選択肢',
  'customFields.phases': '期',
  maxLength: '最大文字数',
  on: '入力する場所',
  type: '種類',
  phases: '期',
  custom: '追加の項目の値',
  customColumns: '追加の項目の列',
  // the audit log
  from: '開始日',
  to: '終了日',
  actor: '操作した人',
  before: 'これより前',
  limit: '件数',
  encoding: '文字コード',
  versionId: '評価の方法の版',
  // imports
  source: '取り込む表',
  'source.name': '貼り付けの名前',
  base64: 'ファイル',
  sheet: 'シート',
  apply: '反映する',
  mapping: '取り込み設定',
  headerWords: '見出し行を見分ける語',
  extraHeaderRows: '見出しの追加の行数',
  column: '列',
  titleColumn: '名称の列',
  numberInName: '名称に番号を含む',
  sections: '見出し行',
  pattern: 'パターン',
  ignore: '読み飛ばす行',
  indicatorInName: '指標の印',
  edits: '修正',
  line: '行',
  value: '値',
  fixes: '修正内容',
  'fixes.version': '修正内容の版',
  moves: 'ずれの修正',
  shift: 'ずらす列数',
  excluded: '除く行',
  rejected: '元に戻した自動修正',
  'fixes.names': '担当課の読み替え',
  words: '語の読み替え',
  autoRepair: '自動修正',
  newPlan: '新しい計画',
  createDepartments: '課を登録する',
  ...Object.fromEntries(Object.entries(ACTUAL_STATUS_LABELS).map(([k, v]) => [`statusGrades.${k}`, v])),
  ...Object.fromEntries(Object.entries(IMPORT_FIELD_LABELS).map(([k, v]) => [`columns.${k}`, v])),
};

/** The forms whose fields are named differently on the screen. */
export const FORM_LABELS = {
  municipality: { code: '全国地方公共団体コード' },
  publicPage: { code: '自治体コード' },
  project: { name: '事業名', nodeId: '掲載先' },
  node: { parentId: '上位の項目', title: '名称' },
  plan: { title: '計画名', 'levels.name': '名称' },
  department: { parentId: '上位の部', kind: '種別' },
  reorganisation: { parentId: '変更後の上位の部', kind: '種類' },
  user: { departmentId: '所属課', password: '初期パスワード' },
  indicator: {
    name: '指標名',
    departmentId: '対象の課',
    note: '変更の理由',
    fromYear: '変更を適用する年度',
    nodeId: '項目',
    kind: '種類',
  },
  round: { phase: '時期' },
  record: {},
  review: { message: '差戻しの理由' },
  outcomeActual: { text: '実績', status: '実績の状況', reason: '状況の理由' },
  mapping: { name: '取り込み設定の名前', label: '取り込み設定の説明' },
  layout: { name: 'レイアウトの名前', label: 'レイアウトの説明', title: '表題' },
  planFile: { 'plan.title': '計画名', 'nodes.title': '名称', 'projects.name': '事業名' },
  importCommit: { 'newPlan.title': '新しい計画の名称' },
} satisfies Record<string, Record<string, string>>;
export type FormName = keyof typeof FORM_LABELS;

const FORMS = new WeakMap<object, FormName>();

/** Says which form a request schema reads, so that its messages use that form's names; answers the schema. */
export function forForm<T extends object>(form: FormName, schema: T): T {
  FORMS.set(schema, form);
  return schema;
}
export const formOf = (schema: object): FormName | undefined => FORMS.get(schema);

/** Records keyed by what a user wrote (a department name as written): a key is named by what it stands for. */
const KEYED_BY_WORDS: Record<string, string> = { 'fixes.names': '読み替える担当課名', 'fixes.words': '読み替える語' };

function segmentLabel(keys: readonly string[], form: FormName | undefined): string | undefined {
  const own: Record<string, string> | undefined = form ? FORM_LABELS[form] : undefined;
  const path = keys.join('.');
  const keyed = KEYED_BY_WORDS[keys.slice(0, -1).join('.')];
  if (keyed) return keyed;
  const key = keys[keys.length - 1]!;
  const parentKey = keys.length > 1 ? `${keys[keys.length - 2]}.${key}` : key;
  return (
    own?.[path] ?? FIELD_LABELS[path] ?? own?.[parentKey] ?? FIELD_LABELS[parentKey] ?? own?.[key] ?? FIELD_LABELS[key]
  );
}

/** Whether every name on the path has a Japanese label (a field without one is a bug the tests catch). */
export function hasFieldLabel(path: readonly PropertyKey[], form?: FormName): boolean {
  const keys: string[] = [];
  for (const p of path) {
    if (typeof p === 'number') continue;
    keys.push(String(p));
    if (segmentLabel(keys, form) === undefined) return false;
  }
  return true;
}

/** The field's own name, without where it sits: 「名称」 of 「階層（2件目）の名称」. */
export function fieldName(path: readonly PropertyKey[], form?: FormName): string {
  const keys = path.filter((p): p is string => typeof p === 'string');
  return keys.length ? (segmentLabel(keys, form) ?? keys[keys.length - 1]!) : '入力';
}

/**
 * The field as the screen names it: 「事業名」, 「階層（2件目）の名称」. A name without a label shows
 * as itself (and fails the tests that walk the request schemas).
 */
export function fieldLabel(path: readonly PropertyKey[], form?: FormName): string {
  const keys: string[] = [];
  const parts: string[] = [];
  for (const p of path) {
    if (typeof p === 'number') {
      if (parts.length) parts[parts.length - 1] += `（${p + 1}件目）`;
      else parts.push(`${p + 1}件目`);
      continue;
    }
    keys.push(String(p));
    parts.push(segmentLabel(keys, form) ?? String(p));
  }
  return parts.join('の') || '入力';
}
