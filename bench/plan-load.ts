/**
 * Loading a large plan into the editor: GET of a 1,000-project plan over loopback, next to a bare
 * Fastify route that answers the same bytes from memory, measured in the same run.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { migrateToLatest, openDatabase } from '../src/server/db/db.js';
import { now } from '../src/server/db/util.js';
import { hashPassword } from '../src/server/modules/auth/password.js';
import { writePlanFromExport } from '../src/server/modules/plans/plan-transfer.service.js';
import type { PlanExportInput } from '../src/domain/plan-export.js';
import { load } from './lib.js';

const PROJECTS = 1000;

function bigPlan(): PlanExportInput {
  const nodes: PlanExportInput['nodes'] = [];
  const projects: PlanExportInput['projects'] = [];
  let n = 0;
  for (let g = 1; g <= 5; g++) {
    nodes.push({
      key: `${g}`,
      parentKey: null,
      title: `基本目標${g}`,
      description: '',
      numberOverride: null,
      priority: false,
      subPlans: [],
    });
    for (let i = 1; i <= 4; i++) {
      nodes.push({
        key: `${g}.${i}`,
        parentKey: `${g}`,
        title: `主要課題${g}-${i}`,
        description: '',
        numberOverride: null,
        priority: false,
        subPlans: [],
      });
      for (let s = 1; s <= 5; s++) {
        nodes.push({
          key: `${g}.${i}.${s}`,
          parentKey: `${g}.${i}`,
          title: `施策${g}-${i}-${s}`,
          description: '施策の内容を説明する文章。'.repeat(4),
          numberOverride: null,
          priority: false,
          subPlans: [],
        });
        for (let p = 0; p < PROJECTS / 100; p++) {
          n++;
          projects.push({
            number: String(n),
            nodeKey: `${g}.${i}.${s}`,
            name: `事業${n} 男女共同参画の推進に関する取組`,
            summary: '事業の概要を説明する長めの文章が入ります。'.repeat(5),
            category: '継続',
            audience: '市民',
            leadDepartment: `課${n % 60}`,
            coDepartments: n % 7 === 0 ? [`課${(n + 1) % 60}`] : [],
            crossListNodeKeys: [],
          });
        }
      }
    }
  }
  return {
    format: 'shinchoku.plan-structure',
    version: 1,
    plan: { title: 'ベンチマーク計画', slogan: '', firstYear: 2021, lastYear: 2030, subPlans: [], gradeOptions: [] },
    levels: [
      { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { name: '主要課題', numberingStyle: 'paren', numberingScope: 'plan' },
      { name: '施策', numberingStyle: 'circled', numberingScope: 'parent' },
    ],
    nodes,
    projects,
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shinchoku-bench-'));
  const handle = await openDatabase({ sqliteFile: path.join(dir, 'bench.sqlite') });
  await migrateToLatest(handle);
  const db = handle.db;
  const t = now();
  const m = await db
    .insertInto('municipalities')
    .values({ code: '990001', name: 'ベンチ市', era2019: 'reiwa1', created_at: t })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (let i = 0; i < 60; i++)
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
      .execute();
  const planId = await db.transaction().execute((tx) => writePlanFromExport(tx, m.id, bigPlan()));
  await db
    .insertInto('users')
    .values({
      login_name: 'bench',
      display_name: 'bench',
      role: 'coordinator',
      municipality_id: m.id,
      department_id: null,
      password_hash: await hashPassword('bench-password'),
      active: 1,
      created_at: t,
      updated_at: t,
    })
    .execute();

  const config = loadConfig({ SAMPLE_DATA: 'off', LOG_LEVEL: 'silent', DATA_DIR: dir });
  const app = await buildApp({
    db,
    dialect: handle.dialect,
    config,
    sessionSecret: crypto.randomBytes(32).toString('hex'),
    logger: false,
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const session = await fetch(`${address}/api/session`);
  const csrfCookie = session.headers.getSetCookie()[0]!.split(';')[0]!;
  const csrf = ((await session.json()) as { csrfToken: string }).csrfToken;
  const login = await fetch(`${address}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: csrfCookie, 'x-csrf-token': csrf },
    body: JSON.stringify({ loginName: 'bench', password: 'bench-password' }),
  });
  const cookie = `${login.headers.getSetCookie()[0]!.split(';')[0]!}; ${csrfCookie}`;
  const url = `${address}/api/m/${m.id}/plans/${planId}`;
  const body = await (await fetch(url, { headers: { cookie } })).text();

  const bare = Fastify({ logger: false });
  bare.get('/plan', async (_req, reply) => reply.type('application/json').send(body));
  const bareAddress = await bare.listen({ port: 0, host: '127.0.0.1' });

  const opts = { concurrency: 8, seconds: 5, maxRequests: 5000 };
  await load({ ...opts, seconds: 1, request: async () => (await fetch(url, { headers: { cookie } })).ok });
  const plan = await load({
    ...opts,
    request: async () => {
      const r = await fetch(url, { headers: { cookie } });
      await r.arrayBuffer();
      return r.ok;
    },
  });
  const single = await load({
    concurrency: 1,
    seconds: 3,
    maxRequests: 500,
    request: async () => {
      const r = await fetch(url, { headers: { cookie } });
      await r.arrayBuffer();
      return r.ok;
    },
  });
  const baseline = await load({
    ...opts,
    request: async () => {
      const r = await fetch(`${bareAddress}/plan`);
      await r.arrayBuffer();
      return r.ok;
    },
  });

  await app.close();
  await bare.close();
  await handle.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    projects: PROJECTS,
    response_bytes: Buffer.byteLength(body),
    plan_get_one_client: single,
    plan_get: plan,
    bare_same_bytes: baseline,
    plan_vs_bare_rps: Number((plan.rps / baseline.rps).toFixed(3)),
    node: process.version,
    at: new Date().toISOString(),
  };
}
