import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinMapping } from '../../../domain/import/builtin-mappings.js';
import { mapTable } from '../../../domain/import/mapping.js';
import { parseTsv } from '../../../domain/import/table.js';
import { toNumber } from '../../db/util.js';
import type { Actor } from '../auth/index.js';
import { createHarness, type Harness, inItsMunicipality } from '../../testing/harness.js';
import { presetConfig } from '../../../domain/evaluation/presets.js';
import { renderReport as renderReportService } from '../reports/index.js';
import { commitImport as commitImportService } from './index.js';

const commitImport = inItsMunicipality(commitImportService);
const renderReport = inItsMunicipality(renderReportService);

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

  it('stores every mapped field of an indicator: unit, direction, baseline and its year, final target, kind', async () => {
    const m = {
      name: 'fields',
      label: 'fields',
      headerWords: ['施策', '番号', '事業名', '担当課', '指標'],
      extraHeaderRows: 0,
      levels: [{ name: '施策', column: 0 }],
      columns: {
        projectNumber: 1,
        projectName: 2,
        department: 3,
        indicator: 4,
        unit: 5,
        direction: 6,
        baseline: 7,
        baselineYear: 8,
        target: 9,
        finalTarget: 10,
        targetKind: 11,
        actual: 12,
      },
      numberInName: false,
    };
    const table = [
      [
        '施策',
        '番号',
        '事業名',
        '担当課',
        '指標',
        '単位',
        '方向',
        '現状値',
        '現状値の年度',
        '目標',
        '最終目標',
        '種類',
        '実績',
      ],
      [
        '(1) 相談',
        '1',
        '相談窓口',
        '男女共同参画課',
        '待機日数',
        '日',
        '減らす',
        '9',
        '令和元年度',
        '5',
        '3',
        '期待値',
        '7',
      ],
    ];
    const r = await commitImport(h.ctx, actor, mid, m, mapTable(table, m), {
      newPlan: { title: '指標の項目', firstYear: 2021, lastYear: 2025 },
      fiscalYear: 2022,
      createDepartments: true,
    });
    const indicator = await h.db
      .selectFrom('indicators')
      .selectAll()
      .where('plan_id', '=', r.planId)
      .executeTakeFirstOrThrow();
    expect(indicator).toMatchObject({
      name: '待機日数',
      unit: '日',
      direction: 'lower',
      baseline_value: 9,
      baseline_year: 2019,
      final_target_value: 3,
      purpose: 'expected',
    });
  });

  it('keeps a printed grade the rule cannot compute as an override with the report as its reason, a hand code as entered', async () => {
    const m = {
      name: 'grades',
      label: 'grades',
      headerWords: ['施策', '番号', '事業名', '担当課', '指標'],
      extraHeaderRows: 0,
      levels: [{ name: '施策', column: 0 }],
      columns: { projectNumber: 1, projectName: 2, department: 3, indicator: 4, target: 5, actual: 6, grade: 7 },
      numberInName: false,
    };
    const table = [
      ['施策', '番号', '事業名', '担当課', '指標', '目標', '実績', '評価'],
      // The rule computes A (100%): nothing of the report's need be stored.
      ['(1) 啓発', '1', '講座', '男女共同参画課', '講座の回数', '10', '10', 'A'],
      // No target: the rule cannot compute, and B is one of its own levels, not a hand code.
      ['(1) 啓発', '2', '広報', '男女共同参画課', '掲載の回数', '', '5', 'B'],
      // 着手 is the scale's hand code for what cannot be measured.
      ['(1) 啓発', '3', '調査', '男女共同参画課', '調査の準備', '', '', '着手'],
    ];
    const r = await commitImport(h.ctx, actor, mid, m, mapTable(table, m), {
      newPlan: { title: '評価の取込', firstYear: 2021, lastYear: 2025, evaluation: presetConfig('ratio-hand')! },
      fiscalYear: 2022,
      createDepartments: true,
    });
    expect(r.skipped).toEqual([]);
    const stored = await h.db
      .selectFrom('evaluations')
      .innerJoin('indicators', 'indicators.id', 'evaluations.subject_id')
      .select(['indicators.name', 'evaluations.code', 'evaluations.reason'])
      .where('evaluations.plan_id', '=', r.planId)
      .orderBy('indicators.name')
      .execute();
    expect(stored).toEqual([
      { name: '掲載の回数', code: 'B', reason: '取り込んだ報告書の記載による' },
      { name: '調査の準備', code: '着手', reason: '' },
    ]);
    // The report prints each: B marked as differing from the rule, with its reason; 着手 as entered.
    const doc = await renderReport(h.ctx, actor, mid, {
      planId: r.planId,
      fiscalYear: 2022,
      layout: 'indicator-achievement',
    });
    const grade = doc.columns.findIndex((c) => c.key === 'grade');
    const printed = doc.sheets[0]!.rows.filter((row) => row.type === 'data').map((row) => [
      row.cells[grade]!.text,
      row.cells[grade]!.note ?? '',
    ]);
    expect(printed.map(([code]) => code)).toEqual(['A', 'B', '着手']);
    expect(printed[1]![1]).toContain('取り込んだ報告書の記載による');
    expect(printed[0]![1]).toBe('');
    expect(printed[2]![1]).toBe('');
  });

  it('keeps the report’s 達成度 beside a hand-entered grade and prints it, and normalises the grade codes it reads', async () => {
    const m = {
      name: 'levels',
      label: 'levels',
      headerWords: ['施策', '番号', '事業名', '担当課'],
      extraHeaderRows: 0,
      levels: [{ name: '施策', column: 0 }],
      columns: { projectNumber: 1, projectName: 2, department: 3, achievement: 4, grade: 5 },
      numberInName: false,
    };
    const table = [
      ['施策', '番号', '事業名', '担当課', '達成率', '評価'],
      ['(1) 啓発', '1', '講座', '男女共同参画課', '120%', 'A'],
      ['(1) 啓発', '2', '広報', '男女共同参画課', '74%', 'ｂ'],
      ['(1) 啓発', '3', '調査', '男女共同参画課', '90%', 'Ｃ'],
    ];
    const r = await commitImport(h.ctx, actor, mid, m, mapTable(table, m), {
      newPlan: { title: '達成度の取込', firstYear: 2021, lastYear: 2025 },
      fiscalYear: 2022,
      createDepartments: true,
    });
    const stored = await h.db
      .selectFrom('evaluations')
      .innerJoin('projects', 'projects.id', 'evaluations.subject_id')
      .select(['projects.number', 'evaluations.code', 'evaluations.level'])
      .where('evaluations.plan_id', '=', r.planId)
      .orderBy('projects.number')
      .execute();
    expect(stored).toEqual([
      { number: '1', code: 'A', level: '120%' },
      { number: '2', code: 'B', level: '74%' },
      { number: '3', code: 'C', level: '90%' },
    ]);
    // Printed in the 達成度 column; the legend stays A to D in order (the full-width and lower-case letters were the usual codes).
    const doc = await renderReport(h.ctx, actor, mid, {
      planId: r.planId,
      fiscalYear: 2022,
      layout: 'indicator-achievement',
    });
    const level = doc.columns.findIndex((c) => c.key === 'level');
    const lines = doc.sheets[0]!.rows.filter((row) => row.type === 'data');
    expect(lines.map((row) => row.cells[level]!.text)).toEqual(['120%', '74%', '90%']);
    expect(doc.tallies?.codes).toEqual(['A', 'B', 'C', 'D']);
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
    // Without --auto-repair the five lines under the blank 基本目標 stay flagged, and are not counted as stored.
    expect(result).toMatchObject({
      planId: null,
      nodes: { 基本目標: 5, 施策の方向: 13 },
      projects: 52,
      records: expect.any(Number),
      grades: {},
      flagged: expect.arrayContaining([{ line: 33, reason: expect.stringContaining('施策の方向の番号が 4 から 1') }]),
    });
  });
});

// Each run starts a process: once is enough, so only in the SQLite project.
describe.runIf(process.env.TEST_DB !== 'postgres')('the import command line with a fixes file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shinchoku-fixes-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const env = { ...process.env, DATA_DIR: path.join(dir, 'no-database'), DATABASE_URL: '' };
  const cli = (...args: string[]) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', 'import', ...args], {
      encoding: 'utf8',
      env,
    });
    return {
      status: run.status,
      stderr: run.stderr,
      out: run.status === 0 ? JSON.parse(run.stdout.trim().split('\n').pop()!) : null,
    };
  };
  const seed000 = ['--mapping', 'indicator-achievement', '--municipality', '112127', '--dry-run', '--json'];

  it('reads the four seed reports with --auto-repair and no hand fix, flagging only what the document leaves open', () => {
    const seeds = [
      ['000', 'indicator-achievement', [100], 2021],
      ['001', 'multi-year-values', [], 2020],
      ['002', 'narrative-status', [], 2017],
      ['004', 'department-sheets', [], 2019],
    ] as const;
    for (const [prefix, mapping, flagged, year] of seeds) {
      const run = cli(
        seedFile(prefix),
        '--mapping',
        mapping,
        '--municipality',
        '112127',
        '--auto-repair',
        '--dry-run',
        '--json',
      );
      expect(run.status, run.stderr).toBe(0);
      expect(run.out.flagged.map((f: { line: number }) => f.line)).toEqual([...new Set(flagged)]);
      expect(run.out.fiscalYear).toBe(year);
      // The counts are of what would be stored: flagged lines are not.
      if (prefix === '000') {
        expect(run.out).toMatchObject({ projects: 57, records: 73 });
        expect(run.out.grades).toEqual({ '◎': 52, '○': 3, '△': 5, '×': 4, '—': 4, '-': 4 });
      }
    }
  });

  it('takes the year of the answers from the document, or the one given with a warning when they differ', () => {
    const read = cli(seedFile('000'), ...seed000);
    expect(read.status, read.stderr).toBe(0);
    expect(read.out).toMatchObject({
      fiscalYear: 2021,
      fiscalYearFrom: 'document',
      meta: {
        title: '第5次ひがしまつやま共生プラン 令和3年度事業最終評価',
        fiscalYear: 2021,
        asOf: '令和4年3月31日時点',
      },
      // Without --auto-repair the old reading stays reproducible: slipped lines are flagged, not moved.
      repairs: [],
      suspects: { count: expect.any(Number), list: expect.any(Array) },
    });
    expect(read.out.flagged).toContainEqual({ line: 42, reason: expect.stringContaining('右に1列ずれています') });
    expect(read.stderr).toBe('');

    const given = cli(seedFile('000'), ...seed000, '--fiscal-year', 'R2');
    expect(given.out).toMatchObject({ fiscalYear: 2020, fiscalYearFrom: 'option' });
    expect(given.stderr).toContain('警告: --fiscal-year 令和2年度（2020年度） は文書の年度（令和3年度（2021年度）');
    const same = cli(seedFile('000'), ...seed000, '--fiscal-year', '2021');
    expect(same.stderr).toBe('');
  });

  it('saves the fixes in effect, repairs included, and reads the same rows again from the saved file', () => {
    const saved = path.join(dir, 'fixes.json');
    const first = cli(seedFile('000'), ...seed000, '--auto-repair', '--save-fixes', saved);
    expect(first.status, first.stderr).toBe(0);
    expect(first.out.repairs.length).toBeGreaterThan(0);
    const file = JSON.parse(fs.readFileSync(saved, 'utf8'));
    // The repairs are kept as the cells they typed, so that the same file reads the same way again.
    expect(file.edits).toEqual(
      first.out.repairs.flatMap((r: { edits: { line: number; column: number; value: string }[] }) => r.edits),
    );
    expect(first.out.flagged.map((f: { line: number }) => f.line)).not.toContain(first.out.repairs[0].line);

    // Again from the saved file, without automatic repairs: the same rows, nothing left to repair.
    const savedAgain = path.join(dir, 'fixes-again.json');
    const again = cli(seedFile('000'), ...seed000, '--fixes', saved, '--save-fixes', savedAgain);
    expect(again.status, again.stderr).toBe(0);
    expect(again.out.repairs).toEqual([]);
    const { repairs: _r1, ...firstRest } = first.out;
    const { repairs: _r2, ...againRest } = again.out;
    expect(againRest).toEqual(firstRest);
    expect(fs.readFileSync(savedAgain, 'utf8')).toBe(fs.readFileSync(saved, 'utf8'));
    // The old reading: lines flagged that the fixes file moves.
    const plain = cli(seedFile('000'), ...seed000);
    expect(plain.out.flagged.length).toBeGreaterThan(first.out.flagged.length);
  });

  it('names the fixes file and what is wrong in it', () => {
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{ "moves": [ { "line": 0, "shift": 9 } ] }');
    const bad = cli(seedFile('000'), ...seed000, '--fixes', broken);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(
      `修正内容のファイル ${broken} が読めません: ずれの修正（moves）の1件目の行（line）: 1 以上にしてください`,
    );
    fs.writeFileSync(broken, '{ not json');
    expect(cli(seedFile('000'), ...seed000, '--fixes', broken).stderr).toMatch(/が読めません: JSON として読めません/);
    expect(cli(seedFile('000'), ...seed000, '--fixes', path.join(dir, 'none.json')).stderr).toContain(
      '修正内容のファイルがありません',
    );
  });
});
