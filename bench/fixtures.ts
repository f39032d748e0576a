import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';

import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { migrateToLatest, openDatabase, type DbHandle } from '../src/server/db/db.js';
import type { Database } from '../src/server/db/types.js';
import type { AppContext } from '../src/server/context.js';
import { now } from '../src/server/db/util.js';
import type { Actor } from '../src/server/modules/auth/actor.js';
import { hashPassword } from '../src/server/modules/auth/password.js';
import { createIndicator } from '../src/server/modules/indicators/indicators.service.js';
import { writePlanFromExport } from '../src/server/modules/plans/plan-transfer.service.js';
import { closeRound, openRound } from '../src/server/modules/rounds/rounds.service.js';
import { SheetCache } from '../src/server/modules/rounds/sheet-cache.js';
import type { PlanExportInput } from '../src/domain/plan-export.js';
import { presetConfig } from '../src/domain/evaluation/presets.js';

export const BENCH_PASSWORD = 'bench-password-1';

/** The system administrator a benchmark writes through the services as. */
export function benchAdmin(id: number): Actor {
  return {
    user: {
      id,
      loginName: 'bench-admin',
      displayName: 'bench',
      role: 'system_admin',
      municipalityId: null,
      departmentId: null,
      departmentIds: [],
      mustChangePassword: false,
    },
    requestId: 'bench',
  };
}

/** What a large municipality holds, once loaded. */
export interface LoadedMunicipality {
  mid: number;
  planId: number;
  /** the last year's round, open */
  roundId: number;
  departmentIds: number[];
  editors: { loginName: string; departmentId: number }[];
}

/** The bench's system administrator, once per database; every bench user has the password `BENCH_PASSWORD`. */
export async function insertBenchAdmin(db: Kysely<Database>, hash: string): Promise<number> {
  const t = now();
  const admin = await db
    .insertInto('users')
    .values({
      login_name: 'bench-admin',
      display_name: 'bench',
      role: 'system_admin',
      municipality_id: null,
      department_id: null,
      password_hash: hash,
      active: 1,
      created_at: t,
      updated_at: t,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return admin.id;
}

/** The plan's tree: 5 基本目標, 施策 of 10 projects each, every ninth project shared with a second department. */
function benchPlan(opts: { projects: number; departments: number }): PlanExportInput {
  const nodes: PlanExportInput['nodes'] = [];
  const projects: PlanExportInput['projects'] = [];
  const perMeasure = 10;
  const measures = Math.ceil(opts.projects / perMeasure);
  for (let g = 1; g <= 5; g++)
    nodes.push({
      key: `${g}`,
      parentKey: null,
      title: `基本目標${g}`,
      description: '',
      numberOverride: null,
      priority: false,
      subPlans: [],
    });
  for (let s = 0; s < measures; s++) {
    const key = `${(s % 5) + 1}.${Math.floor(s / 5) + 1}`;
    nodes.push({
      key,
      parentKey: `${(s % 5) + 1}`,
      title: `施策${s + 1}`,
      description: '施策の内容。'.repeat(5),
      numberOverride: null,
      priority: false,
      subPlans: [],
    });
    for (let p = 0; p < perMeasure && projects.length < opts.projects; p++) {
      const n = projects.length + 1;
      projects.push({
        number: String(n),
        nodeKey: key,
        name: `事業${n} 男女共同参画の推進`,
        summary: '事業の概要を説明する文章。'.repeat(6),
        category: '継続',
        audience: '市民',
        leadDepartment: `課${n % opts.departments}`,
        coDepartments: n % 9 === 0 ? [`課${(n + 7) % opts.departments}`] : [],
        crossListNodeKeys: [],
      });
    }
  }
  nodes.sort((a, b) => a.key.split('.').length - b.key.split('.').length);
  return {
    format: 'shinchoku.plan-structure',
    version: 1,
    plan: {
      title: 'ベンチマーク計画',
      slogan: '',
      firstYear: 2021,
      lastYear: 2030,
      subPlans: [],
      gradeOptions: [
        { code: 'A', label: '' },
        { code: 'B', label: '' },
      ],
    },
    levels: [
      { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
    ],
    nodes,
    projects,
  };
}

/**
 * A large municipality written through the services, as `db` (the owner on PostgreSQL): `departments`
 * departments with an editor each, a plan of `projects` projects with an indicator on every third,
 * a round per year with every year but the last answered (texts and the self-evaluation) and approved.
 */
export async function loadLargeMunicipality(
  ctx: AppContext,
  actor: Actor,
  hash: string,
  opts: { projects: number; departments: number; years: number[]; code: string; name: string; loginPrefix: string },
): Promise<LoadedMunicipality> {
  const { db } = ctx;
  const t = now();
  const m = await db
    .insertInto('municipalities')
    .values({ code: opts.code, name: opts.name, era2019: 'reiwa1', created_at: t })
    .returning('id')
    .executeTakeFirstOrThrow();
  const departmentIds: number[] = [];
  for (let i = 0; i < opts.departments; i++)
    departmentIds.push(
      (
        await db
          .insertInto('departments')
          .values({
            municipality_id: m.id,
            parent_id: null,
            name: `課${i}`,
            kind: 'ka',
            active_from: null,
            active_to: null,
            position: i,
            created_at: t,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
    );
  const planId = await db.transaction().execute((tx) => writePlanFromExport(tx, m.id, benchPlan(opts)));
  const editors = departmentIds.map((d, i) => ({ loginName: `${opts.loginPrefix}editor${i}`, departmentId: d }));
  await db
    .insertInto('users')
    .values(
      editors.map((e) => ({
        login_name: e.loginName,
        display_name: e.loginName,
        role: 'department_editor' as const,
        municipality_id: m.id,
        department_id: e.departmentId,
        password_hash: hash,
        active: 1,
        created_at: t,
        updated_at: t,
      })),
    )
    .execute();
  const projectRows = await db
    .selectFrom('projects')
    .select('id')
    .where('plan_id', '=', planId)
    .orderBy('id')
    .execute();
  for (const p of projectRows.filter((_, i) => i % 3 === 0))
    await createIndicator(ctx, actor, m.id, p.id, {
      departmentId: null,
      name: '実施回数',
      unit: '回',
      kind: 'number',
      purpose: 'target',
      targetBasis: 'annual',
      note: '',
      fromYear: null,
      direction: 'higher',
      baseline: '',
      baselineYear: null,
      finalTarget: '',
      targets: [],
    });
  let roundId = 0;
  for (const [i, year] of opts.years.entries()) {
    const round = await openRound(ctx, actor, m.id, {
      planId,
      fiscalYear: year,
      phase: 'end',
      deadline: `${year + 1}-04-30`,
      instructions: '',
      departmentIds,
    });
    roundId = round.id;
    if (i < opts.years.length - 1) {
      await answerYear(db, actor, { mid: m.id, planId, year });
      await closeRound(ctx, actor, m.id, round.id);
    }
  }
  return { mid: m.id, planId, roundId, departmentIds, editors };
}

/** An earlier year answered, as a real history would be: every record's texts, approved, with its self-evaluation. */
async function answerYear(db: Kysely<Database>, actor: Actor, at: { mid: number; planId: number; year: number }) {
  await db
    .updateTable('records')
    .set((eb) => ({
      plan_text: '予定'.repeat(40),
      result_text: '実績'.repeat(60),
      status: 'approved',
      version: eb('version', '+', 1),
    }))
    .where('plan_id', '=', at.planId)
    .where('fiscal_year', '=', at.year)
    .execute();
  // The answer's self-evaluation (the plan's default slot), as a department enters it.
  const records = await db
    .selectFrom('records')
    .select(['project_id', 'department_id'])
    .where('plan_id', '=', at.planId)
    .where('fiscal_year', '=', at.year)
    .execute();
  const enteredAt = new Date().toISOString();
  const rows = records.map((r) => ({
    municipality_id: at.mid,
    plan_id: at.planId,
    fiscal_year: at.year,
    slot_key: 'self',
    subject_kind: 'record' as const,
    subject_id: r.project_id,
    department_id: r.department_id,
    code: 'A',
    level: null,
    reason: '',
    comment: '',
    version: 1,
    entered_by: actor.user.id,
    entered_by_name: actor.user.displayName,
    entered_at: enteredAt,
  }));
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto('evaluations')
      .values(rows.slice(i, i + 200))
      .execute();
}

/** A large municipality in a SQLite file of its own, served by the app on a free port. */
export async function largeMunicipality(opts: { projects: number; departments: number; years: number[] }): Promise<
  LoadedMunicipality & {
    dir: string;
    handle: DbHandle;
    app: FastifyInstance;
    address: string;
    /** the server's cache of built sheets, for its hit ratio */
    sheetCache: SheetCache;
    close(): Promise<void>;
  }
> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shinchoku-bench-'));
  const handle = await openDatabase({ sqliteFile: path.join(dir, 'bench.sqlite') });
  await migrateToLatest(handle);
  const { db } = handle;
  const hash = await hashPassword(BENCH_PASSWORD);
  const admin = await insertBenchAdmin(db, hash);
  const config = loadConfig({ SAMPLE_DATA: 'off', LOG_LEVEL: 'silent', DATA_DIR: dir, LOGIN_RATE_LIMIT: '100000' });
  const sheetCache = new SheetCache();
  const ctx = { db, dialect: handle.dialect, config, sheetCache };
  const loaded = await loadLargeMunicipality(ctx, benchAdmin(admin), hash, {
    ...opts,
    code: '990001',
    name: 'ベンチ市',
    loginPrefix: '',
  });
  const app = await buildApp({ ...ctx, sessionSecret: crypto.randomBytes(32).toString('hex'), logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    ...loaded,
    dir,
    handle,
    app,
    address,
    sheetCache,
    close: async () => {
      await app.close();
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A value's parts by sex, as stored: women's count and the rest. */
const bySex = (total: number, women: number) =>
  JSON.stringify([
    { label: '女性', value: women, text: `${women}回` },
    { label: '男性', value: total - women, text: `${total - women}回` },
  ]);

/**
 * The large municipality's indicators graded every year: the plan evaluated by achievement
 * (achievement-5), and each indicator given a target (4回) and its lead department's actual for
 * each of the years. The report-1000 bench and the print test read the same values.
 */
export async function gradeIndicatorLines(
  m: Pick<Awaited<ReturnType<typeof largeMunicipality>>, 'handle' | 'planId' | 'mid'>,
  years: number[],
): Promise<void> {
  const { db } = m.handle;
  // The fixture's years are approved (fixed), which the settings screen would refuse to re-grade:
  // the bench switches the plan's configuration in the database, before anything is cached.
  await db
    .updateTable('plan_evaluation_versions')
    .set({ definition: JSON.stringify(presetConfig('achievement-5')) })
    .where('plan_id', '=', m.planId)
    .execute();
  // Each indicator gets a target and its lead department's actual for every year.
  const indicators = await db
    .selectFrom('indicators')
    .select(['id', 'project_id'])
    .where('plan_id', '=', m.planId)
    .execute();
  const leads = new Map(
    (
      await db
        .selectFrom('project_departments')
        .select(['project_id', 'department_id'])
        .where('is_lead', '=', 1)
        .execute()
    ).map((r) => [r.project_id, r.department_id]),
  );
  await db.transaction().execute(async (tx) => {
    for (const year of years) {
      const targets = indicators.map((i) => ({
        municipality_id: m.mid,
        indicator_id: i.id,
        fiscal_year: year,
        value: 4,
        text: '4回',
      }));
      const actuals = indicators.map((i, k) => ({
        municipality_id: m.mid,
        indicator_id: i.id,
        department_id: leads.get(i.project_id ?? 0)!,
        fiscal_year: year,
        value: (k + year) % 6,
        text: `${(k + year) % 6}回`,
        status: null,
        reason: '',
        // Every third line is counted by sex (男女別), as many plans' participation figures are.
        parts: k % 3 === 0 ? bySex((k + year) % 6, (k + year) % 4) : '[]',
      }));
      for (let i = 0; i < targets.length; i += 300)
        await tx
          .insertInto('indicator_targets')
          .values(targets.slice(i, i + 300))
          .execute();
      for (let i = 0; i < actuals.length; i += 300)
        await tx
          .insertInto('indicator_actuals')
          .values(actuals.slice(i, i + 300))
          .execute();
    }
  });
}

/** Logs in over HTTP as a browser would; returns the cookie header and CSRF token. */
export async function login(address: string, loginName: string): Promise<{ cookie: string; csrf: string }> {
  const session = await fetch(`${address}/api/session`);
  const csrfCookie = session.headers
    .getSetCookie()
    .find((c) => c.startsWith('shinchoku_csrf='))!
    .split(';')[0]!;
  const csrf = ((await session.json()) as { csrfToken: string }).csrfToken;
  const res = await fetch(`${address}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: csrfCookie, 'x-csrf-token': csrf },
    body: JSON.stringify({ loginName, password: BENCH_PASSWORD }),
  });
  if (!res.ok) throw new Error(`login ${loginName}: ${res.status}`);
  const sid = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('shinchoku_sid='))!
    .split(';')[0]!;
  // Signed in, the CSRF token is the session's own.
  const bound = (
    (await (await fetch(`${address}/api/session`, { headers: { cookie: `${sid}; ${csrfCookie}` } })).json()) as {
      csrfToken: string;
    }
  ).csrfToken;
  return { cookie: `${sid}; ${csrfCookie}`, csrf: bound };
}

/**
 * Lost updates among the saves a benchmark's clients had accepted: every accepted save must be the only one
 * at its version, and each record must end at its newest accepted version with that save's text.
 */
export async function lostUpdates(
  db: Kysely<Database>,
  accepted: { recordId: number; version: number; token: string }[],
): Promise<number> {
  const byRecord = new Map<number, { version: number; token: string }[]>();
  for (const s of accepted) byRecord.set(s.recordId, [...(byRecord.get(s.recordId) ?? []), s]);
  let lost = 0;
  for (const [recordId, saves] of byRecord) {
    lost += saves.length - new Set(saves.map((s) => s.version)).size;
    const newest = saves.reduce((a, b) => (b.version > a.version ? b : a));
    const row = await db
      .selectFrom('records')
      .select(['version', 'result_text'])
      .where('id', '=', recordId)
      .executeTakeFirstOrThrow();
    if (row.version !== newest.version || row.result_text !== newest.token) lost++;
  }
  return lost;
}
