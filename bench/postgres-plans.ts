/**
 * Query plans at 100 municipalities: loads 100 copies of サンプル市 (its org tree, plan, indicators, last
 * year answered, approved and published, this year open) into a fresh PostgreSQL database, then
 * runs the department sheet, the status board, the report dataset and the summary of one
 * municipality as a request does — as the app's role, in that municipality's scope — records every
 * SELECT they issue and prints `EXPLAIN (ANALYZE, BUFFERS)` of each, run the same way (row-level
 * security included).
 *
 *   PLANS_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- postgres-plans
 *
 * (TEST_DATABASE_URL works too.) The server must allow creating a database; it is dropped at the
 * end. Writes the plans to bench/results/postgres-plans.md and a summary to postgres-plans.json.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { fiscalYearOf } from '../src/domain/fiscal-year.js';
import { localGovernmentCheckDigit } from '../src/domain/municipality.js';
import { loadConfig } from '../src/server/config.js';
import type { AppContext } from '../src/server/context.js';
import { migrateToLatest, openDatabase } from '../src/server/db/db.js';
import { inMunicipality, scopedDialect } from '../src/server/db/tenant.js';
import type { Database } from '../src/server/db/types.js';
import { now } from '../src/server/db/util.js';
import type { Actor } from '../src/server/modules/auth/actor.js';
import { hashPassword } from '../src/server/modules/auth/password.js';
import { loadSampleCycle, loadSampleData } from '../src/server/modules/sample/index.js';
import { roundBoard } from '../src/server/modules/rounds/rounds.service.js';
import { departmentSheet } from '../src/server/modules/rounds/sheet.service.js';
import { loadReportDataset } from '../src/server/modules/reports/dataset.js';
import { reportSummary } from '../src/server/modules/reports/reports.service.js';

/** 100 unless PLANS_MUNICIPALITIES says otherwise (a quick look with fewer) */
const MUNICIPALITIES = Number(process.env.PLANS_MUNICIPALITIES ?? 100);
/** the municipality whose screens are explained: one in the middle of the ids */
const SUBJECT = Math.ceil(MUNICIPALITIES / 2);

interface Captured {
  screen: string;
  sql: string;
  parameters: readonly unknown[];
}

interface Explained extends Captured {
  plan: string;
  executionMs: number;
  seqScans: string[];
  indexes: string[];
  removedByFilter: number;
  /** where the plan has a sequential scan: the plan with sequential scans priced out */
  withoutSeqScan?: string;
}

const code = (i: number) => {
  const prefix = `99${String(100 + i).padStart(3, '0')}`;
  return prefix + String(localGovernmentCheckDigit(prefix));
};

function analyse(c: Captured, plan: string): Explained {
  const seqScans = [...plan.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1]!);
  const indexes = [
    ...new Set([...plan.matchAll(/(?:Index|Index Only|Bitmap Index) Scan (?:using|on) (\w+)/g)].map((m) => m[1]!)),
  ];
  const removedByFilter = [...plan.matchAll(/Rows Removed by Filter: (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
  const executionMs = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
  return { ...c, plan, executionMs, seqScans, indexes, removedByFilter };
}

export async function run(): Promise<Record<string, unknown>> {
  const base = process.env.PLANS_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('PLANS_DATABASE_URL (or TEST_DATABASE_URL) must name a PostgreSQL server');
  const name = `shinchoku_plans_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
  const capturePool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  try {
    await migrateToLatest(handle);
    const config = loadConfig({ SAMPLE_DATA: 'off', LOG_LEVEL: 'silent' });
    // Loading goes as the owner (the bootstrap's way), without a scope.
    const owner: AppContext = { db: handle.owner, dialect: 'postgres', config };
    const hash = await hashPassword('plans-bench-password');
    const t = now();
    const adminRow = await handle.owner
      .insertInto('users')
      .values({
        login_name: 'admin',
        display_name: '管理者',
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
    const actorOf = (role: 'system_admin' | 'coordinator', municipalityId: number | null): Actor => ({
      user: {
        id: adminRow.id,
        loginName: 'admin',
        displayName: '管理者',
        role,
        municipalityId,
        departmentId: null,
        departmentIds: [],
        mustChangePassword: false,
      },
      requestId: 'postgres-plans',
    });
    const loadStarted = Date.now();
    for (let i = 1; i <= MUNICIPALITIES; i++) {
      await handle.owner
        .transaction()
        .execute((tx) => loadSampleData(tx, hash, { code: code(i), name: `サンプル市${i}`, loginSuffix: `-${i}` }));
      await loadSampleCycle(owner, actorOf('system_admin', null), code(i));
      if (i % 10 === 0)
        process.stderr.write(`${i} municipalities loaded (${Math.round((Date.now() - loadStarted) / 1000)} s)\n`);
    }
    const loadSeconds = Math.round((Date.now() - loadStarted) / 1000);
    await handle.owner.executeQuery(CompiledQuery.raw('ANALYZE'));
    const counts = Object.fromEntries(
      await Promise.all(
        [
          'municipalities',
          'departments',
          'projects',
          'plan_nodes',
          'records',
          'record_history',
          'indicator_actuals',
          'evaluations',
          'year_projects',
          'audit_log',
        ].map(async (table) => {
          const r = await handle.owner.executeQuery<{ n: string }>(
            CompiledQuery.raw(`SELECT count(*) AS n FROM ${table}`),
          );
          return [table, Number(r.rows[0]!.n)] as const;
        }),
      ),
    );

    // The subject: its open round, the department that submitted, the plan and the year.
    const m = await handle.owner
      .selectFrom('municipalities')
      .select('id')
      .where('code', '=', code(SUBJECT))
      .executeTakeFirstOrThrow();
    const current = Math.min(2030, Math.max(2022, fiscalYearOf(new Date())));
    const round = await handle.owner
      .selectFrom('survey_rounds')
      .select(['id', 'plan_id'])
      .where('municipality_id', '=', m.id)
      .where('fiscal_year', '=', current)
      .executeTakeFirstOrThrow();
    const answered = await handle.owner
      .selectFrom('records')
      .select('department_id')
      .where('plan_id', '=', round.plan_id)
      .where('fiscal_year', '=', current)
      .where('status', '=', 'submitted')
      .executeTakeFirstOrThrow();

    // The app's own path, with a log of what it sends.
    const captured: Captured[] = [];
    let screen = '';
    const db = new Kysely<Database>({
      dialect: scopedDialect(new PostgresDialect({ pool: capturePool }), { statementTimeoutMs: 0 }),
      log: (event) => {
        if (event.level === 'query' && screen)
          captured.push({ screen, sql: event.query.sql, parameters: event.query.parameters });
      },
    });
    const ctx: AppContext = { db, dialect: 'postgres', config };
    const coordinator = actorOf('coordinator', m.id);
    const screens: [string, () => Promise<unknown>][] = [
      ['sheet', () => departmentSheet(ctx, coordinator, m.id, round.id, answered.department_id)],
      ['board', () => roundBoard(ctx, coordinator, m.id, round.id)],
      [
        'dataset',
        () => loadReportDataset(db, m.id, round.plan_id, current - 1, { previousRecords: true, approvedOnly: false }),
      ],
      ['summary', () => reportSummary(ctx, coordinator, m.id, round.plan_id, current - 1, 1)],
    ];
    for (const [s, call] of screens) {
      screen = s;
      // Twice: the second run is the one that counts (a warm cache, as a busy server has).
      await inMunicipality(m.id, call);
      const first = captured.findIndex((c) => c.screen === s);
      if (first >= 0) captured.splice(first);
      await inMunicipality(m.id, call);
    }
    screen = '';
    const explained: Explained[] = [];
    for (const c of captured) {
      if (!/^\s*select/i.test(c.sql)) continue;
      const r = await inMunicipality(m.id, () =>
        db.executeQuery<{ 'QUERY PLAN': string }>(
          CompiledQuery.raw(`EXPLAIN (ANALYZE, BUFFERS) ${c.sql}`, [...c.parameters]),
        ),
      );
      const e = analyse(c, r.rows.map((row) => row['QUERY PLAN']).join('\n'));
      if (e.seqScans.length) {
        // Whether the planner has an index path once a table is large enough not to read whole: the
        // same query with sequential scans priced out, inside the same scope.
        const forced = await inMunicipality(m.id, () =>
          db.transaction().execute(async (tx) => {
            await tx.executeQuery(CompiledQuery.raw("select set_config('enable_seqscan', 'off', true)"));
            const p = await tx.executeQuery<{ 'QUERY PLAN': string }>(
              CompiledQuery.raw(`EXPLAIN ${c.sql}`, [...c.parameters]),
            );
            return p.rows.map((row) => row['QUERY PLAN']).join('\n');
          }),
        );
        e.withoutSeqScan = forced;
      }
      explained.push(e);
    }
    // What the scope costs a statement on its own: BEGIN with the settings, the statement, COMMIT (three
    // round trips) against the bare statement as the owner, one after another on an idle server.
    const timeEach = async (n: number, one: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const started = process.hrtime.bigint();
        await one();
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      times.sort((a, b) => a - b);
      return Math.round(times[Math.floor(n / 2)]! * 1000) / 1000;
    };
    const byId = (k: Kysely<Database>) =>
      k.selectFrom('plans').select('title').where('id', '=', round.plan_id).execute();
    await timeEach(200, () => byId(handle.owner));
    const overhead = {
      owner_statement_ms_p50: await timeEach(1000, () => byId(handle.owner)),
      scoped_statement_ms_p50: await timeEach(1000, () => inMunicipality(m.id, () => byId(db))),
    };
    await db.destroy();

    const lines: string[] = [
      `# Query plans at ${MUNICIPALITIES} municipalities (generated by bench/postgres-plans.ts)`,
      '',
      `Subject: municipality ${SUBJECT} of ${MUNICIPALITIES}, fiscal year ${current} (sheet, board) and ${current - 1} (dataset, summary).`,
      `Rows: ${Object.entries(counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}.`,
      '',
    ];
    // A query the screens share (the summary reads the report's dataset) is printed once.
    const printed = new Map<string, string>();
    for (const e of explained) {
      const title = `${e.screen}: ${e.sql.replace(/\s+/g, ' ').slice(0, 160)}${e.sql.length > 160 ? '…' : ''}`;
      const before = printed.get(e.sql);
      if (before) {
        lines.push(`- ${e.screen}: the same query as “${before.slice(0, 60)}…” above (${e.executionMs} ms)`, '');
        continue;
      }
      printed.set(e.sql, title);
      lines.push(`## ${title}`, '');
      lines.push(`parameters: \`${JSON.stringify(e.parameters).slice(0, 200)}\``, '', '```', e.plan, '```', '');
      if (e.withoutSeqScan)
        lines.push(
          'With sequential scans priced out (`enable_seqscan = off`), the index path:',
          '',
          '```',
          e.withoutSeqScan,
          '```',
          '',
        );
    }
    const out = path.join(import.meta.dirname, 'results', 'postgres-plans.md');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${lines.join('\n')}\n`);
    process.stderr.write(`plans written to ${path.relative(process.cwd(), out)}\n`);

    const byScreen = (s: string) => explained.filter((e) => e.screen === s);
    return {
      municipalities: MUNICIPALITIES,
      load_seconds: loadSeconds,
      overhead,
      rows: counts,
      screens: Object.fromEntries(
        screens.map(([s]) => [
          s,
          {
            selects: byScreen(s).length,
            execution_ms_total: Math.round(byScreen(s).reduce((n, e) => n + e.executionMs, 0) * 100) / 100,
            seq_scans: byScreen(s).flatMap((e) => e.seqScans),
            rows_removed_by_filter: byScreen(s).reduce((n, e) => n + e.removedByFilter, 0),
            indexes: [...new Set(byScreen(s).flatMap((e) => e.indexes))],
            seq_scans_without_index_path: byScreen(s)
              .filter((e) => e.withoutSeqScan?.includes('Seq Scan'))
              .map((e) => [...(e.withoutSeqScan ?? '').matchAll(/Seq Scan on (\w+)/g)].map((x) => x[1]))
              .flat(),
          },
        ]),
      ),
    };
  } finally {
    await capturePool.end().catch(() => undefined);
    await handle.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
  }
}
