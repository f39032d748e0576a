import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../../db/db.js';
import type { Database } from '../../db/types.js';
import { bumpAnsweringDepartments } from '../plans/index.js';
import { loadRecords } from './records.repository.js';

/**
 * An autosave and a sheet's build look up the answers of a few projects: by the projects' own index, never
 * by walking every answer of the plan's year (a thousand rows on a large plan, on every save). SQLite plans
 * without statistics, so the statements themselves must leave it no worse choice: each statement the
 * lookups run is explained (EXPLAIN QUERY PLAN) with the parameters it ran with.
 */
describe.skipIf(process.env.TEST_DB === 'postgres')('answers of some projects found by the projects index', () => {
  let dir: string;
  let raw: SQLite.Database;
  let db: Kysely<Database>;
  const ran: CompiledQuery[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'answer-lookups-'));
    const file = path.join(dir, 'db.sqlite');
    const handle = await openDatabase({ sqliteFile: file });
    await migrateToLatest(handle);
    await handle.close();
    raw = new SQLite(file);
    db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: raw }),
      log: (event) => {
        if (event.level === 'query') ran.push(event.query);
      },
    });
  });
  afterAll(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** How SQLite reads the table `records` in each statement run by `act`. */
  const plansOf = async (act: () => Promise<unknown>) => {
    ran.length = 0;
    await act();
    const onRecords = ran.filter((q) => /from "records"/.test(q.sql));
    expect(onRecords.length).toBeGreaterThan(0);
    return onRecords.map((q) =>
      (raw.prepare(`explain query plan ${q.sql}`).all(...q.parameters) as { detail: string }[])
        .map((step) => step.detail)
        .filter((d) => /\b(records|r|mine)\b/.test(d)),
    );
  };
  const walksPlanYear = (details: string[]) =>
    details.some((d) => d.includes('records_plan_year (plan_id=? AND fiscal_year=?)'));

  it('an autosave raises the sheets of the project’s departments by the project, not by the plan’s year', async () => {
    const plans = await plansOf(() =>
      bumpAnsweringDepartments(db, { municipalityId: 1, planId: 1 }, { projectId: 5, fiscalYear: 2025 }),
    );
    for (const details of plans) {
      expect(walksPlanYear(details)).toBe(false);
      expect(details.join(' | ')).toContain('(project_id=?)');
    }
  });

  it('the answers of named projects, and of the projects a department answers, are read by the projects', async () => {
    for (const where of [{ projectIds: [4, 5, 6] }, { projectsOf: 3 }]) {
      const plans = await plansOf(() => loadRecords(db, 1, { planId: 1, fiscalYear: 2025, ...where }));
      const answers = plans[0]!;
      expect(walksPlanYear(answers)).toBe(false);
      expect(answers.join(' | ')).toContain('(project_id=?)');
    }
  });

  it('a department’s own answers, and a whole year’s, still go by the plan’s year', async () => {
    const own = await plansOf(() => loadRecords(db, 1, { planId: 1, fiscalYear: 2025, departmentId: 3 }));
    expect(own[0]!.join(' | ')).toContain('records_plan_year (plan_id=? AND fiscal_year=? AND department_id=?)');
    const all = await plansOf(() => loadRecords(db, 1, { planId: 1, fiscalYear: 2025 }));
    expect(all[0]!.join(' | ')).toContain('records_plan_year (plan_id=? AND fiscal_year=?)');
  });
});
