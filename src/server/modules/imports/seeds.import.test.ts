import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapTable } from '../../../domain/import/mapping.js';
import {
  fixed000,
  fixed001,
  fixed002,
  fixed004,
  type FixedSeed,
} from '../../../domain/import/seed-fixes.test-support.js';
import { toNumber } from '../../db/util.js';
import type { Actor } from '../auth/index.js';
import { createHarness, type Harness, inItsMunicipality } from '../../testing/harness.js';
import { commitImport as commitImportService } from './index.js';
import { loadDepartments } from '../departments/index.js';

const commitImport = inItsMunicipality(commitImportService);

/**
 * The real reports in ../shared/seeds written into the database with their layouts' mappings and
 * the fixes a user makes in the preview; the counts were taken by reading each document.
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

  async function importSeed(
    f: FixedSeed,
    name: string,
    plan: { title: string; firstYear: number; lastYear: number },
    fiscalYear: number,
  ) {
    const { id } = await h.municipality(name);
    const rows = mapTable(f.table, f.mapping).filter((r) => !f.excluded.includes(r.line));
    const r = await commitImport(h.ctx, actor, id, f.mapping, rows, {
      newPlan: plan,
      fiscalYear,
      createDepartments: true,
    });
    expect(r.skipped).toEqual([]);
    return { municipalityId: id, planId: r.planId };
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

  it('indicator-achievement (000): 12 主要課題, 27 施策, 31 施策No., 57 事業, 73 records', async () => {
    const { planId } = await importSeed(
      fixed000(),
      '東松山市',
      { title: '第5次ひがしまつやま共生プラン', firstYear: 2021, lastYear: 2025 },
      2021,
    );
    // Two lines of one 主な取組 by 人事課 (both ◎) make one record, so records carry one ◎ fewer than the lines.
    expect(await stored(planId)).toEqual({
      nodes: { 主要課題: 12, 施策: 27, '施策No.': 31 },
      projects: 57,
      records: 73,
      grades: { '◎': 51, '○': 3, '△': 5, '×': 4, '—': 4, '-': 4 },
    });
  });

  it('narrative-status (002): 5 基本目標, 15 施策の方向, 57 事業, 61 records after typing one 基本目標 cell', async () => {
    const { municipalityId, planId } = await importSeed(
      fixed002(),
      'さいたま市',
      { title: 'DV防止基本計画', firstYear: 2014, lastYear: 2020 },
      2017,
    );
    // Four rows name two departments (one of them 「全庁」, the whole administration, as the report writes it).
    expect(await stored(planId)).toEqual({
      nodes: { 基本目標: 5, 施策の方向: 15 },
      projects: 57,
      records: 61,
      grades: {},
    });
    // The notes on department names became reorganisation history.
    const list = await loadDepartments(h.db, municipalityId);
    expect(list.find((d) => d.name === '住宅政策課')!.displayName).toBe(
      '住宅政策課（平成28年度より住宅課から組織変更）',
    );
    expect(list.find((d) => d.name === '住宅課')).toMatchObject({ activeTo: 2015 });
  });

  it('department-sheets (004): 2 基本目標, 5 基本施策, 12 施策, 40 事業, 41 records, grades A 28 B 12 D 1, no fix needed', async () => {
    const { planId } = await importSeed(
      fixed004(),
      '武蔵野市',
      { title: '第四次男女平等推進計画', firstYear: 2017, lastYear: 2021 },
      2019,
    );
    expect(await stored(planId)).toEqual({
      nodes: { 基本目標: 2, 基本施策: 5, 施策: 12 },
      projects: 40,
      records: 41,
      grades: { A: 28, B: 12, D: 1 },
    });
  });

  it('multi-year-values (001): 5 基本目標, 13 施策の方向, 23 基本事業, 69 事業, 95 records after 41 moves and 3 retyped rows', async () => {
    const { planId } = await importSeed(
      fixed001(),
      '小城市',
      { title: '第2次男女共同参画プラン', firstYear: 2017, lastYear: 2026 },
      2020,
    );
    expect(await stored(planId)).toEqual({
      nodes: { 基本目標: 5, 施策の方向: 13, 基本事業: 23 },
      projects: 69,
      records: 95,
      grades: {},
    });
    // Indicator values came in for this year and the year before: 172人 → 213人 → 159人 for project 1.
    const values = await h.db
      .selectFrom('indicator_actuals as a')
      .innerJoin('indicators as i', 'i.id', 'a.indicator_id')
      .innerJoin('projects as p', 'p.id', 'i.project_id')
      .select(['a.fiscal_year', 'a.text', 'i.baseline_text'])
      .where('p.plan_id', '=', planId)
      .where('p.number', '=', '1')
      .orderBy('a.fiscal_year')
      .orderBy('a.id')
      .execute();
    expect(values[0]).toMatchObject({ fiscal_year: 2019, baseline_text: '172人' });
    expect(values.map((v) => v.text)).toContain('159人');
  });
});
