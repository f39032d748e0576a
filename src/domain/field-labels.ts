/** Japanese names of request fields, so that a validation message names what the user sees. */
const LABELS: Record<string, string> = {
  loginName: 'ログインID',
  password: 'パスワード',
  displayName: '氏名',
  role: '役割',
  municipalityId: '自治体',
  departmentId: '所属課',
  active: '有効',
  name: '名称',
  code: '全国地方公共団体コード',
  era2019: '2019年度の表記',
  kind: '種別',
  parentId: '上位',
  activeFrom: '存続開始年度',
  activeTo: '存続終了年度',
  effectiveYear: '組織変更の年度',
  fromIds: '組織変更前の課',
  toNames: '組織変更後の課名',
  note: 'メモ',
  title: '名称',
  slogan: 'スローガン',
  firstYear: '計画期間（開始年度）',
  lastYear: '計画期間（終了年度）',
  subPlans: '関連計画',
  levels: '階層',
  numberingStyle: '番号の形式',
  numberingScope: '番号の振り方',
  description: '説明',
  numberOverride: '番号（手入力）',
  priority: '重点',
  index: '位置',
  nodeId: '掲載先',
  number: '事業番号',
  summary: '事業概要',
  category: '区分',
  audience: '対象者',
  leadDepartmentId: '主担当課',
  coDepartmentIds: '関係課',
  crossListNodeIds: '再掲先',
  nodes: '項目',
  projects: '事業',
  plan: '計画',
  key: 'キー',
  parentKey: '上位キー',
  nodeKey: '掲載先キー',
  leadDepartment: '主担当課',
  coDepartments: '関係課',
  crossListNodeKeys: '再掲先キー',
  format: '形式',
  version: 'バージョン',
};

export function fieldLabel(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  for (const p of path) {
    if (typeof p === 'number') parts.push(`${p + 1}件目`);
    else parts.push(LABELS[String(p)] ?? String(p));
  }
  return parts.join(' ') || '入力';
}
