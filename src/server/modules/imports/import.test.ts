import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinMapping } from '../../../domain/import/builtin-mappings.js';
import { mapTable } from '../../../domain/import/mapping.js';
import { parseTsv } from '../../../domain/import/table.js';
import { toNumber } from '../../db/util.js';
import type { Actor } from '../auth/index.js';
import { createHarness, type Harness, inItsMunicipality } from '../../testing/harness.js';
import { commitImport as commitImportService } from './index.js';

const commitImport = inItsMunicipality(commitImportService);

const SEEDS = path.resolve(import.meta.dirname, '../../../../../shared/seeds');
const seedFile = (prefix: string) =>
  path.join(
    SEEDS,
    fs.readdirSync(SEEDS).find((f) => f.startsWith(prefix))!,
  );

describe('committing an import', () => {
  let h: Harness;
  let mid: number;
  let actor: Actor;
  beforeAll(async () => {
    h = await createHarness();
    mid = (await h.municipality('武蔵野市')).id;
    const c = await h.as('coordinator', { municipalityId: mid, loginName: 'importer' });
    void c;
    const u = await h.db
      .selectFrom('users')
      .select('id')
      .where('login_name', '=', 'importer')
      .executeTakeFirstOrThrow();
    actor = {
      user: {
        id: u.id,
        loginName: 'importer',
        displayName: '取込 担当',
        role: 'coordinator',
        municipalityId: mid,
        departmentId: null,
        departmentIds: [],
        mustChangePassword: false,
      },
      requestId: 'test',
    };
  });
  afterAll(() => h.close());

  const mapping = builtinMapping('department-sheets')!;
  const rows = () => mapTable(parseTsv(fs.readFileSync(seedFile('004'), 'utf8')), mapping);
  const count = async (table: 'projects' | 'records' | 'plan_nodes', planId: number) =>
    toNumber(
      (
        await h.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .where('plan_id', '=', planId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('refuses departments the municipality does not have unless asked to create them, and writes nothing', async () => {
    await expect(
      commitImport(h.ctx, actor, mid, mapping, rows(), {
        newPlan: { title: '第四次計画', firstYear: 2019, lastYear: 2023 },
        fiscalYear: 2019,
        createDepartments: false,
      }),
    ).rejects.toThrow(/登録されていない担当課があります: .*高齢者支援課/);
    expect(await h.db.selectFrom('plans').select('id').where('municipality_id', '=', mid).execute()).toHaveLength(0);
  });

  it('stores the report’s tree, projects, department records and grades, and updates them on a second import', async () => {
    const first = await commitImport(h.ctx, actor, mid, mapping, rows(), {
      newPlan: { title: '第四次男女平等推進計画', firstYear: 2019, lastYear: 2023 },
      fiscalYear: 2019,
      createDepartments: true,
    });
    expect(first.created).toMatchObject({ nodes: 19, projects: 40, records: 41 });
    expect(first.skipped).toEqual([]);
    expect(await count('projects', first.planId)).toBe(40);
    expect(await count('records', first.planId)).toBe(41);
    // The report's grades, each in the plan's slot for a department's grade of its answer.
    const grades = await h.db
      .selectFrom('evaluations')
      .select(['slot_key', 'code', (eb) => eb.fn.countAll().as('n')])
      .where('plan_id', '=', first.planId)
      .where('subject_kind', '=', 'record')
      .groupBy(['slot_key', 'code'])
      .orderBy('code')
      .execute();
    expect(grades.every((g) => g.slot_key === 'grade')).toBe(true);
    expect(grades.map((g) => [g.code, toNumber(g.n)])).toEqual([
      ['A', 28],
      ['B', 12],
      ['D', 1],
    ]);
    const p39 = await h.db
      .selectFrom('projects as p')
      .innerJoin('project_departments as pd', 'pd.project_id', 'p.id')
      .innerJoin('departments as d', 'd.id', 'pd.department_id')
      .select(['d.name', 'pd.is_lead'])
      .where('p.plan_id', '=', first.planId)
      .where('p.number', '=', '39')
      .orderBy('pd.is_lead', 'desc')
      .execute();
    expect(p39).toEqual([
      { name: '地域支援課', is_lead: 1 },
      { name: '高齢者支援課', is_lead: 0 },
    ]);

    const again = await commitImport(h.ctx, actor, mid, mapping, rows(), {
      planId: first.planId,
      fiscalYear: 2019,
      createDepartments: false,
    });
    expect(again.created).toMatchObject({ nodes: 0, projects: 0, records: 0, departments: 0 });
    // The same file again changes nothing: its answers are as stored.
    expect(again.updated.records).toBe(0);
    expect(await count('projects', first.planId)).toBe(40);
    expect(await count('plan_nodes', first.planId)).toBe(19);
  });

  it('leaves flagged rows out and says which', async () => {
    const table = parseTsv(fs.readFileSync(seedFile('002'), 'utf8'));
    const m = builtinMapping('narrative-status')!;
    const result = await commitImport(h.ctx, actor, mid, m, mapTable(table, m), {
      newPlan: { title: 'DV防止計画', firstYear: 2017, lastYear: 2020 },
      fiscalYear: 2017,
      createDepartments: true,
    });
    expect(result.skipped.map((s) => s.line)).toEqual([33, 34, 35, 36, 37]);
    expect(result.created.projects).toBe(52);
  });
});

describe('the import command line', () => {
  it('answers a dry run with the counts as one JSON object, needing no municipality', () => {
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/server/cli.ts',
        'import',
        seedFile('002'),
        '--mapping',
        'narrative-status',
        '--municipality',
        '111007',
        '--dry-run',
        '--json',
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, DATA_DIR: '/nonexistent-for-dry-run' },
      },
    );
    const result = JSON.parse(out.trim().split('\n').pop()!);
    expect(result).toEqual({
      planId: null,
      nodes: { 基本目標: 5, 施策の方向: 15 },
      projects: 57,
      records: expect.any(Number),
      grades: {},
      flagged: expect.arrayContaining([{ line: 33, reason: expect.stringContaining('施策の方向の番号が 4 から 1') }]),
    });
  });
});
