import type { Sheet } from '../../../domain/api-types.js';
import { recordSaveInput } from '../../../domain/cycle.js';
import { fiscalYearEnd, fiscalYearOf } from '../../../domain/fiscal-year.js';
import type { AppContext } from '../../context.js';
import type { Tx } from '../../db/types.js';
import type { Actor } from '../auth/index.js';
import { createIndicator } from '../indicators/index.js';
import { writePlanFromExport } from '../plans/index.js';
import { approveRecords, saveRecord, submitDepartment } from '../records/index.js';
import { closeRound, departmentSheet, openRound } from '../rounds/index.js';
import { publishReport } from '../reports/index.js';
import { samplePlan } from './sample-plan.js';
import {
  currentUnitIds,
  findSamplePlan,
  insertDepartment,
  insertRename,
  insertSampleAuditRow,
  insertSampleMunicipality,
  insertSampleUser,
} from './sample.repository.js';

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

/** Where the sample goes: サンプル市 itself, or a copy under another code (many municipalities, for measurements). */
export interface SampleMunicipality {
  code: string;
  name: string;
  /** appended to the sample accounts' login IDs, which are one namespace for every municipality */
  loginSuffix: string;
}

export const SAMPLE_MUNICIPALITY: SampleMunicipality = { code: SAMPLE_CODE, name: 'サンプル市', loginSuffix: '' };

/** サンプル市: its org tree (with one rename), its plan and its accounts, in the caller's transaction. */
export async function loadSampleData(
  tx: Tx,
  passwordHash: string,
  as: SampleMunicipality = SAMPLE_MUNICIPALITY,
): Promise<void> {
  const municipalityId = await insertSampleMunicipality(tx, as.code, as.name);
  const ids = await writeSampleOrg(tx, municipalityId);
  await writePlanFromExport(tx, municipalityId, samplePlan());
  for (const u of SAMPLE_USERS)
    await insertSampleUser(tx, {
      loginName: `${u.login}${as.loginSuffix}`,
      displayName: u.name,
      role: u.role,
      municipalityId,
      departmentId: u.department ? ids.get(u.department)! : null,
      passwordHash,
    });
  await insertSampleAuditRow(tx, municipalityId);
}

/** The 部 and 課 of ORG in order, and the rename; answers each unit's id by name. */
async function writeSampleOrg(tx: Tx, municipalityId: number): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  let position = 0;
  const unit = (parentId: number | null, name: string, activeFrom: number | null, activeTo: number | null) =>
    insertDepartment(tx, {
      municipalityId,
      parentId,
      name,
      kind: parentId === null ? 'bu' : 'ka',
      activeFrom,
      activeTo,
      position: ++position,
    });
  for (const [bu, kas] of ORG) {
    const parentId = await unit(null, bu, null, null);
    ids.set(bu, parentId);
    for (const ka of kas) {
      const renamed = ka === RENAMED_FROM;
      const id = await unit(parentId, ka, null, renamed ? RENAMED_IN - 1 : null);
      ids.set(ka, id);
      if (!renamed) continue;
      const next = await unit(parentId, RENAMED_TO, RENAMED_IN, null);
      ids.set(RENAMED_TO, next);
      await insertRename(tx, {
        municipalityId,
        effectiveYear: RENAMED_IN,
        note: '協働推進の所管を明確にするため名称を変更',
        fromId: id,
        toId: next,
      });
    }
  }
  return ids;
}

type Item = Sheet['items'][number];

interface SampleScope {
  ctx: AppContext;
  admin: Actor;
  municipalityId: number;
  planId: number;
}

/**
 * A year of サンプル市's cycle, made through the same services as the screens: indicators on a few
 * projects, last fiscal year answered and approved, and this fiscal year open with answers in
 * several states. Years follow today's date so that a newcomer sees a live cycle.
 */
export async function loadSampleCycle(ctx: AppContext, admin: Actor, code: string = SAMPLE_CODE): Promise<void> {
  const { municipalityId, planId, projectIds } = await findSamplePlan(ctx.db, code);
  const at: SampleScope = { ctx, admin, municipalityId, planId };
  await addSampleIndicators(at, projectIds);
  // The plan runs 2021–2030; keep the sample inside it whatever today's date is.
  const current = Math.min(2030, Math.max(2022, fiscalYearOf(new Date())));
  const departmentIds = await currentUnitIds(ctx.db, municipalityId);
  await answerPreviousYear(at, current - 1, departmentIds);
  await startCurrentYear(at, current, departmentIds);
}

async function addSampleIndicators(at: SampleScope, byNumber: Map<string, number>): Promise<void> {
  const indicators: [string, string, string, 'higher' | 'lower' | 'none', string, string][] = [
    ['1', 'コラムの掲載回数', '回', 'higher', '6回', '12回'],
    ['3', '講座の参加者数', '人', 'higher', '45人', '80人'],
    ['13', '女性委員の割合', '%', 'higher', '31.9%', '40%'],
    ['14', '女性委員のいない審議会等の数', '団体', 'lower', '4団体', '0団体'],
    ['26', '出前講座の実施校数', '校', 'higher', '3校', '8校'],
    ['28', '女性相談の件数', '件', 'none', '', ''],
  ];
  for (const [number, name, unit, direction, baseline, target] of indicators)
    await createIndicator(at.ctx, at.admin, at.municipalityId, byNumber.get(number)!, {
      departmentId: null,
      name,
      unit,
      kind: unit === '%' ? 'percentage' : 'number',
      direction,
      purpose: 'target',
      targetBasis: 'annual',
      note: '',
      fromYear: null,
      baseline,
      baselineYear: baseline ? 2020 : null,
      finalTarget: target,
      targets: target
        ? [{ fiscalYear: Math.min(2030, Math.max(2021, fiscalYearOf(new Date()) - 1)), text: target }]
        : [],
    });
}

/** Saves an answer for each item of a department's sheet that `fill` gives one for; answers how many items it has. */
async function answerSheet(
  at: SampleScope,
  roundId: number,
  departmentId: number,
  fill: (s: Item) => Record<string, unknown> | null,
): Promise<number> {
  const { ctx, admin, municipalityId } = at;
  const sheet = await departmentSheet(ctx, admin, municipalityId, roundId, departmentId);
  for (const item of sheet.items) {
    const body = fill(item);
    if (body)
      await saveRecord(
        ctx,
        admin,
        municipalityId,
        item.record.id,
        recordSaveInput.parse({ version: item.record.version, ...body }),
      );
  }
  return sheet.items.length;
}

const selfGrade = (item: Item, code: string, reason = '') => [
  { slotKey: 'self', subjectKind: 'record', subjectId: item.project.id, code, reason },
];

/**
 * How a year went for a project, as a year's answers vary: most on track, some short of it with the
 * reason and what comes next (the sheet asks for one below the top grade), one in a while well behind.
 */
const OUTCOMES = [
  {
    code: 'A',
    count: 6,
    percent: '36.0%',
    result: 'を予定どおり実施した。参加者の感想をもとに内容を見直した。',
    reason: '',
  },
  { code: 'A', count: 5, percent: '34.5%', result: 'を予定どおり実施した。', reason: '' },
  {
    code: 'B',
    count: 4,
    percent: '31.2%',
    result: 'を実施したが、参加者は見込みをやや下回った。',
    reason: '周知が開催直前になったため。来年度は広報紙の掲載を1か月早める。',
  },
  { code: 'A', count: 5, percent: '35.1%', result: 'を関係課と連携して実施した。', reason: '' },
  {
    code: 'C',
    count: 2,
    percent: '24.8%',
    result: 'を実施したが、会場の改修のため一部の回を中止した。',
    reason: '会場が使えず回数を減らした。来年度は代わりの会場を早めに確保する。',
  },
  {
    code: 'B',
    count: 4,
    percent: '30.0%',
    result: 'を実施したが、対象者への周知が十分でなかった。',
    reason: '案内が届きにくい層がある。来年度は関係団体を通じて案内する。',
  },
] as const;

const done = (item: Item) => {
  const o = OUTCOMES[item.project.id % OUTCOMES.length]!;
  return {
    planText: `${item.project.name}を計画どおり実施する。`,
    resultText: `${item.project.name}${o.result}`,
    entries: selfGrade(item, o.code, o.reason),
    nextYearPlan: `引き続き${item.project.name}を実施し、周知の方法を工夫する。`,
    actuals: item.indicators.map((i) => ({
      indicatorId: i.id,
      text: i.unit === '%' ? o.percent : `${o.count}${i.unit}`,
    })),
  };
};

/** Last year: every department answered, submitted and approved; the round closed and the report published. */
async function answerPreviousYear(at: SampleScope, previous: number, departmentIds: number[]): Promise<void> {
  const { ctx, admin, municipalityId, planId } = at;
  const round = await openRound(ctx, admin, municipalityId, {
    planId,
    fiscalYear: previous,
    phase: 'end',
    deadline: `${previous + 1}-04-30`,
    instructions: '',
    departmentIds,
  });
  for (const d of departmentIds) {
    if ((await answerSheet(at, round.id, d, done)) === 0) continue;
    await submitDepartment(ctx, admin, municipalityId, round.id, d);
    await approveRecords(ctx, admin, municipalityId, { roundId: round.id, departmentId: d });
  }
  await closeRound(ctx, admin, municipalityId, round.id);
  // Last year's report is published, so that the public page (/public/990001) has one to show.
  await publishReport(ctx, admin, municipalityId, {
    planId,
    fiscalYear: previous,
    layout: 'department-sheets',
    asOf: fiscalYearEnd(previous),
    includeUnapproved: false,
  });
}

/** This year: one department has submitted, another has started. */
async function startCurrentYear(at: SampleScope, current: number, departmentIds: number[]): Promise<void> {
  const { ctx, admin, municipalityId, planId } = at;
  const round = await openRound(ctx, admin, municipalityId, {
    planId,
    fiscalYear: current,
    phase: 'end',
    deadline: `${current + 1}-04-30`,
    instructions:
      '各事業の今年度の実績と自己評価を入力し、期限までに提出してください。活動指標は実数で入力し、実施しなかった場合は「未実施」などを選んでください。',
    departmentIds,
  });
  const [first, second] = departmentIds;
  await answerSheet(at, round.id, first!, done);
  await submitDepartment(ctx, admin, municipalityId, round.id, first!);
  await answerSheet(at, round.id, second!, (item) => ({
    planText: item.record.planText,
    resultText: '上半期に1回実施した。',
  }));
}
