import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImport } from '../../../domain/import/read.js';
import {
  fixed000,
  fixed001,
  fixed002,
  fixed004,
  seedTable,
  type FixedSeed,
} from '../../../domain/import/seed-fixes.test-support.js';
import { toNumber } from '../../db/util.js';
import type { Actor } from '../auth/index.js';
import { createHarness, type Harness, inItsMunicipality } from '../../testing/harness.js';
import { commitImport as commitImportService } from './index.js';
import { loadDepartments } from '../departments/index.js';
import { undoImportBatch as undoService } from './batches.service.js';

const undoImportBatch = inItsMunicipality(undoService);

const commitImport = inItsMunicipality(commitImportService);

/**
 * The real reports in ../shared/seeds written into the database with their layouts' mappings and
 * automatic repairs, no hand-made fix; the counts and values were taken by reading each document.
 */

describe('the seed reports, imported', () => {
  let h: Harness;
  let actor: Actor;
  beforeAll(async () => {
    h = await createHarness();
    actor = {
      user: {
        id: 0,
        loginName: 'admin',
        displayName: '管理者',
        role: 'system_admin',
        municipalityId: null,
        departmentId: null,
        departmentIds: [],
        mustChangePassword: false,
      },
      requestId: 'seeds',
    };
  });
  afterAll(() => h.close());

  /** A seed read as the command line reads it with --auto-repair: no hand-made fix. */
  async function importSeed(
    f: FixedSeed,
    prefix: string,
    name: string,
    plan: { title: string; firstYear: number; lastYear: number },
  ) {
    const { id } = await h.municipality(name);
    const read = readImport(seedTable(prefix), f.mapping);
    const rows = read.rows.filter((r) => r.flags.length === 0);
    const r = await commitImport(h.ctx, actor, id, f.mapping, rows, {
      newPlan: plan,
      fiscalYear: read.meta.fiscalYear!,
      baselineYear: read.meta.columnYears.baseline ?? null,
      createDepartments: true,
    });
    expect(r.skipped).toEqual([]);
    return {
      municipalityId: id,
      planId: r.planId,
      flagged: read.rows.filter((x) => x.flags.length).map((x) => x.line),
    };
  }

  async function stored(planId: number) {
    const levels = await h.db
      .selectFrom('plan_levels')
      .select(['depth', 'name'])
      .where('plan_id', '=', planId)
      .orderBy('depth')
      .execute();
    const nodes = await h.db
      .selectFrom('plan_nodes')
      .select(['depth', (eb) => eb.fn.countAll().as('n')])
      .where('plan_id', '=', planId)
      .groupBy('depth')
      .execute();
    const count = async (table: 'projects' | 'records') =>
      toNumber(
        (
          await h.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .where('plan_id', '=', planId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const grades = await h.db
      .selectFrom('evaluations')
      .select(['code as grade', (eb) => eb.fn.countAll().as('n')])
      .where('plan_id', '=', planId)
      .where('code', 'is not', null)
      .groupBy('code')
      .execute();
    return {
      nodes: Object.fromEntries(levels.map((l) => [l.name, toNumber(nodes.find((n) => n.depth === l.depth)?.n ?? 0)])),
      projects: await count('projects'),
      records: await count('records'),
      grades: Object.fromEntries(grades.map((g) => [g.grade, toNumber(g.n)])),
    };
  }

  it('indicator-achievement (000): 12 主要課題, 27 施策, 31 施策No., 57 事業, 73 records; only line 100 left out', async () => {
    const { planId, flagged } = await importSeed(fixed000(), '000', '東松山市', {
      title: '第5次ひがしまつやま共生プラン',
      firstYear: 2021,
      lastYear: 2025,
    });
    expect(flagged).toEqual([100]);
    // Two lines of one 主な取組 by 人事課 (both ◎) make one record, so records carry one ◎ fewer than the lines.
    expect(await stored(planId)).toEqual({
      nodes: { 主要課題: 12, 施策: 27, 施策の内容: 31 },
      projects: 57,
      records: 73,
      grades: { '◎': 51, '○': 3, '△': 5, '×': 4, '—': 4, '-': 4 },
    });
  });

  it('narrative-status (002): 5 基本目標, 15 施策の方向, 57 事業; 全庁 a note, not a department; no second 子育て支援政策課', async () => {
    const { municipalityId, planId, flagged } = await importSeed(fixed002(), '002', 'さいたま市', {
      title: 'DV防止基本計画',
      firstYear: 2014,
      lastYear: 2020,
    });
    expect(flagged).toEqual([]);
    // Two rows name two departments; two more name 「全庁」 beside one, which stays with the answer as a note.
    expect(await stored(planId)).toEqual({
      nodes: { 基本目標: 5, 施策の方向: 15 },
      projects: 57,
      records: 59,
      grades: {},
    });
    const notes = await h.db
      .selectFrom('records')
      .select('remarks')
      .where('plan_id', '=', planId)
      .where('remarks', 'like', '%全庁%')
      .execute();
    expect(notes.map((n) => n.remarks)).toEqual(['担当の記載：全庁', '担当の記載：全庁']);
    // The notes on department names became reorganisation history, onto the one unit of each name.
    const list = await loadDepartments(h.db, municipalityId);
    expect(list.find((d) => d.name === '住宅政策課')!.displayName).toBe(
      '住宅政策課（平成28年度より住宅課から組織変更）',
    );
    expect(list.find((d) => d.name === '住宅課')).toMatchObject({ activeTo: 2015 });
    expect(list.filter((d) => d.name === '子育て支援政策課')).toHaveLength(1);
    expect(list.filter((d) => d.name === '全庁')).toHaveLength(0);
  });

  it('department-sheets (004): unchanged — 40 事業, 41 records, A 28 B 12 D 1; 「地域支援課に同じ」 a link', async () => {
    const { municipalityId, planId, flagged } = await importSeed(fixed004(), '004', '武蔵野市', {
      title: '第四次男女平等推進計画',
      firstYear: 2017,
      lastYear: 2021,
    });
    expect(flagged).toEqual([]);
    expect(await stored(planId)).toEqual({
      nodes: { 基本目標: 2, 基本施策: 5, 施策: 12 },
      projects: 40,
      records: 41,
      grades: { A: 28, B: 12, D: 1 },
    });
    const list = await loadDepartments(h.db, municipalityId);
    const linked = await h.db
      .selectFrom('records as r')
      .innerJoin('projects as p', 'p.id', 'r.project_id')
      .select(['p.number', 'r.department_id', 'r.same_as_department_id'])
      .where('r.plan_id', '=', planId)
      .where('r.same_as_department_id', 'is not', null)
      .execute();
    expect(linked).toEqual([
      {
        number: '39',
        department_id: list.find((d) => d.name === '高齢者支援課')!.id,
        same_as_department_id: list.find((d) => d.name === '地域支援課')!.id,
      },
    ]);
  });

  it('multi-year-values (001): 69 事業, 94 records, every ○ × — of 平成27年度, 令和元年度 and 令和2年度 stored', async () => {
    const { municipalityId, planId, flagged } = await importSeed(fixed001(), '001', '小城市', {
      title: '第2次男女共同参画プラン',
      firstYear: 2017,
      lastYear: 2026,
    });
    expect(flagged).toEqual([]);
    const s = await stored(planId);
    // 95 department cells, one of them 「(関係各課)」: a note on 事業20's answer, not a department.
    expect(s).toMatchObject({ nodes: { 基本目標: 5, 施策の方向: 13, 基本事業: 23 }, projects: 69, records: 94 });
    const list = await loadDepartments(h.db, municipalityId);
    const dept = (name: string) => list.find((d) => d.name === name)!.id;
    // Done flags per project, department and year, as printed (project 2: — ○ ○ for both its departments).
    const flags = await h.db
      .selectFrom('evaluations as e')
      .innerJoin('projects as p', 'p.id', 'e.subject_id')
      .select(['p.number', 'e.department_id', 'e.fiscal_year', 'e.code'])
      .where('e.plan_id', '=', planId)
      .where('e.subject_kind', '=', 'record')
      .execute();
    const of = (number: string, department: string) =>
      flags
        .filter((f) => f.number === number && f.department_id === dept(department))
        .sort((a, b) => a.fiscal_year - b.fiscal_year)
        .map((f) => `${f.fiscal_year}:${f.code}`);
    expect(of('2', '企画政策課')).toEqual(['2015:—', '2019:○', '2020:○']);
    expect(of('2', '人権・同和対策室')).toEqual(['2015:—', '2019:○', '2020:○']);
    expect(of('6', '人権・同和対策室')).toEqual(['2019:—', '2020:—']);
    expect(of('65', '学校教育課')).toEqual(['2019:○', '2020:○']);
    expect(of('57', '市民課')).toEqual(['2020:○']);
    expect(list.filter((d) => d.name.includes('同和'))).toHaveLength(1);
    // Indicator values: 172人 (平成27年度) → 213人 → 159人 for project 1, once; 事業7's 学校教育課 49人 → 54人.
    const values = await h.db
      .selectFrom('indicator_actuals as a')
      .innerJoin('indicators as i', 'i.id', 'a.indicator_id')
      .innerJoin('projects as p', 'p.id', 'i.project_id')
      .select(['p.number', 'a.department_id', 'a.fiscal_year', 'a.text', 'i.baseline_text', 'i.baseline_year'])
      .where('p.plan_id', '=', planId)
      .where('p.number', 'in', ['1', '7'])
      .orderBy('p.number')
      .orderBy('a.department_id')
      .orderBy('a.fiscal_year')
      .execute();
    expect(values.map((v) => `${v.number}|${v.department_id}|${v.fiscal_year}|${v.text}`)).toEqual([
      `1|${dept('企画政策課')}|2019|213人`,
      `1|${dept('企画政策課')}|2020|159人`,
      ...(dept('保育幼稚園課') < dept('学校教育課')
        ? [
            `7|${dept('保育幼稚園課')}|2019|50人`,
            `7|${dept('保育幼稚園課')}|2020|×`,
            `7|${dept('学校教育課')}|2019|49人`,
            `7|${dept('学校教育課')}|2020|54人`,
          ]
        : [
            `7|${dept('学校教育課')}|2019|49人`,
            `7|${dept('学校教育課')}|2020|54人`,
            `7|${dept('保育幼稚園課')}|2019|50人`,
            `7|${dept('保育幼稚園課')}|2020|×`,
          ]),
    ]);
    expect(values[0]).toMatchObject({ baseline_text: '172人', baseline_year: 2015 });
    // The second department of a shared cell repeats the first's answer.
    const second = await h.db
      .selectFrom('records as r')
      .innerJoin('projects as p', 'p.id', 'r.project_id')
      .select(['r.same_as_department_id'])
      .where('r.plan_id', '=', planId)
      .where('p.number', '=', '1')
      .where('r.department_id', '=', dept('生涯学習課'))
      .executeTakeFirstOrThrow();
    expect(second.same_as_department_id).toBe(dept('企画政策課'));
  });

  it('001 imported again with its earlier years filled replaces the first, and undoing it clears those years again', async () => {
    const f = fixed001();
    const { id } = await h.municipality('小城市（取り消し）');
    const full = readImport(seedTable('001'), f.mapping);
    const source = { name: '001.txt', hash: 'h1' };
    // The first import: the same file with its 現状値 and 令和元年度 columns left empty.
    const firstRows = full.rows.map((r) => ({
      ...r,
      values: { ...r.values, baseline: undefined, previousActual: undefined },
    }));
    const first = await commitImport(h.ctx, actor, id, f.mapping, firstRows, {
      newPlan: { title: '取り消しの確認', firstYear: 2017, lastYear: 2026 },
      fiscalYear: 2020,
      baselineYear: 2015,
      createDepartments: true,
      source,
    });
    const flags = async () =>
      (
        await h.db
          .selectFrom('evaluations')
          .select(['fiscal_year', 'code'])
          .where('plan_id', '=', first.planId)
          .where('subject_kind', '=', 'record')
          .where('code', 'is not', null)
          .execute()
      )
        .map((e) => `${e.fiscal_year}:${e.code}`)
        .sort();
    const before = await flags();
    expect(before.some((x) => x.startsWith('2019:') || x.startsWith('2015:'))).toBe(false);
    const second = await commitImport(h.ctx, actor, id, f.mapping, full.rows, {
      planId: first.planId,
      fiscalYear: 2020,
      baselineYear: 2015,
      createDepartments: true,
      source,
    });
    expect(second.batch?.replaced).toBe(first.batch!.id);
    expect((await flags()).filter((x) => x.startsWith('2019:')).length).toBeGreaterThan(40);
    await undoImportBatch(h.ctx, actor, id, second.batch!.id);
    expect(await flags()).toEqual(before);
  });
});
