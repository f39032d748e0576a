/**
 * How the audit trail's actions and entities read on screen. The server stores the English codes;
 * an action or entity not listed here is shown as its code.
 */

export const AUDIT_ACTION_LABELS: Record<string, string> = {
  login: 'ログイン',
  login_failed: 'ログイン失敗',
  lockout: 'ログイン停止',
  logout: 'ログアウト',
  password_change: 'パスワード変更',
  password_change_failed: 'パスワード変更の失敗',
  password_reset: 'パスワード再設定',
  permission_change: '権限の変更',
  export: '書き出し',
  publish: '公表',
  withdraw: '公表の取り下げ',
  archive: 'アーカイブ',
  restore: 'アーカイブから戻す',
  create: '作成',
  update: '変更',
  delete: '削除',
  end: '使用の終了',
  save: '保存',
  submit: '提出',
  return: '差戻し',
  approve: '確定',
  undo: '取り消し',
  reorganise: '組織変更',
  apply: '適用',
  cancel: '取りやめ',
  open: '照会の開始',
  close: '照会の締切',
  reopen: '再受付',
  comment: 'コメント',
  import: '取り込み',
  upload: 'アップロード',
  move: '移動',
  remind: '督促',
  add_records: '回答欄の追加',
  council_comment: '審議会の意見',
  council_answer: '意見への回答',
};

export const AUDIT_ENTITY_LABELS: Record<string, string> = {
  user: '利用者',
  municipality: '自治体',
  department: '組織',
  department_change: '組織変更',
  department_workbook: '回答シート（Excel）',
  plan: '計画',
  plan_node: '計画の項目',
  project: '事業',
  indicator: '活動指標',
  evaluation_scale: '評価の基準',
  survey_round: '照会',
  record: '回答',
  report: '報告',
  report_layout: '報告の様式',
  report_snapshot: '公表版',
  import_mapping: '取り込みの対応づけ',
  sample_data: 'サンプルデータ',
  audit_log: '監査記録',
};

export const auditActionLabel = (action: string): string => AUDIT_ACTION_LABELS[action] ?? action;
export const auditEntityLabel = (entity: string): string => AUDIT_ENTITY_LABELS[entity] ?? entity;
