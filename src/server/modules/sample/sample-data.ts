import type { Tx } from '../../db/types.js';
import { now } from '../../db/util.js';
import { writePlanFromExport } from '../plans/index.js';
import { samplePlan } from './sample-plan.js';

/** Fictional: prefecture 99 does not exist; 990001 still passes the check digit. */
export const SAMPLE_CODE = '990001';

const ORG: [bu: string, ka: string[]][] = [
  ['総務部', ['総務課', '人事課', '危機管理課']],
  ['市民生活部', ['市民活動推進課', '商工観光課', '農政課']],
  ['健康福祉部', ['子育て支援課', '保育課', '高齢福祉課', '生活福祉課', '健康づくり課']],
  ['都市整備部', ['住宅政策課']],
  ['教育部', ['教育総務課', '学校教育課', '生涯学習課', '図書館']],
];

/** 市民活動推進課 became 市民協働課 in 令和4年度 (2022): a rename, with its history kept. */
const RENAMED_FROM = '市民活動推進課';
const RENAMED_TO = '市民協働課';
const RENAMED_IN = 2022;

export const SAMPLE_USERS = [
  { login: 'sample-coordinator', name: '進捗 太郎', role: 'coordinator', department: RENAMED_TO },
  { login: 'sample-editor', name: '子育 花子', role: 'department_editor', department: '子育て支援課' },
  { login: 'sample-viewer', name: '学校 次郎', role: 'department_viewer', department: '学校教育課' },
  { login: 'sample-council', name: '審議 委員', role: 'council_member', department: null },
] as const;

export async function loadSampleData(tx: Tx, passwordHash: string): Promise<void> {
  const t = now();
  const m = await tx
    .insertInto('municipalities')
    .values({ code: SAMPLE_CODE, name: 'サンプル市', era2019: 'reiwa1', created_at: t })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ids = new Map<string, number>();
  let position = 0;
  for (const [bu, kas] of ORG) {
    const parent = await tx
      .insertInto('departments')
      .values({
        municipality_id: m.id,
        parent_id: null,
        name: bu,
        kind: 'bu',
        active_from: null,
        active_to: null,
        position: ++position,
        created_at: t,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.set(bu, parent.id);
    for (const ka of kas) {
      const renamed = ka === RENAMED_FROM;
      const row = await tx
        .insertInto('departments')
        .values({
          municipality_id: m.id,
          parent_id: parent.id,
          name: ka,
          kind: 'ka',
          active_from: null,
          active_to: renamed ? RENAMED_IN - 1 : null,
          position: ++position,
          created_at: t,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.set(ka, row.id);
      if (renamed) {
        const next = await tx
          .insertInto('departments')
          .values({
            municipality_id: m.id,
            parent_id: parent.id,
            name: RENAMED_TO,
            kind: 'ka',
            active_from: RENAMED_IN,
            active_to: null,
            position: ++position,
            created_at: t,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        ids.set(RENAMED_TO, next.id);
        const change = await tx
          .insertInto('department_changes')
          .values({
            municipality_id: m.id,
            kind: 'rename',
            effective_year: RENAMED_IN,
            note: '協働推進の所管を明確にするため名称を変更',
            created_at: t,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await tx
          .insertInto('department_change_links')
          .values({
            municipality_id: m.id,
            change_id: change.id,
            from_department_id: row.id,
            to_department_id: next.id,
          })
          .execute();
      }
    }
  }
  await writePlanFromExport(tx, m.id, samplePlan());
  for (const u of SAMPLE_USERS)
    await tx
      .insertInto('users')
      .values({
        login_name: u.login,
        display_name: u.name,
        role: u.role,
        municipality_id: m.id,
        department_id: u.department ? ids.get(u.department)! : null,
        password_hash: passwordHash,
        active: 1,
        created_at: t,
        updated_at: t,
      })
      .execute();
  await tx
    .insertInto('audit_log')
    .values({
      municipality_id: m.id,
      user_id: null,
      action: 'create',
      entity: 'sample_data',
      entity_id: null,
      detail: '{}',
      request_id: null,
      created_at: t,
    })
    .execute();
}
