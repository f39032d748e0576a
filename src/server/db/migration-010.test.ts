import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { migrateUpTo } from './db.js';
import { testDatabase } from '../testing/harness.js';
import { configInput } from '../../domain/evaluation/schema.js';

/**
 * Plans made before evaluation slots carry over unchanged: a database at migration 009 with a manual
 * plan and a computed one (grades on answers and on indicator lines, an override with its reason, a
 * hand grade of an answer without an indicator, a grade an answer had beside its lines) is migrated,
 * and every grade is found in its slot.
 */
describe('migration 010: one scale per plan becomes evaluation slots', () => {
  let t: Awaited<ReturnType<typeof testDatabase>>;
  let db: Kysely<any>;
  const ids: Record<string, number> = {};
  const at = '2026-04-01T00:00:00.000Z';

  async function insert(table: string, values: Record<string, unknown>): Promise<number> {
    const r = await db.insertInto(table).values(values).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  beforeAll(async () => {
    t = await testDatabase();
    db = t.handle.owner;
    await migrateUpTo(t.handle, '009-enum-checks');
    const m = await insert('municipalities', { code: '999999', name: 'サンプル市', era2019: 'reiwa1', created_at: at });
    const dep = (name: string) =>
      insert('departments', { municipality_id: m, name, kind: 'ka', position: 0, created_at: at });
    ids.d1 = await dep('人権推進課');
    ids.d2 = await dep('子育て支援課');
    const plan = (title: string, scale: string, options: string) =>
      insert('plans', {
        municipality_id: m,
        title,
        slogan: '',
        first_year: 2024,
        last_year: 2028,
        grade_options: options,
        evaluation_scale: scale,
        created_at: at,
        updated_at: at,
      });
    ids.manual = await plan(
      '手入力の計画',
      '',
      JSON.stringify([
        { code: 'A', label: '順調' },
        { code: 'B', label: '概ね順調' },
      ]),
    );
    const computedScale = {
      method: 'ratio',
      levelName: '達成度',
      levels: [
        { code: '5', min: 100 },
        { code: '1', min: 0 },
      ],
      levelGrades: [
        { level: '5', grade: '◎' },
        { level: '1', grade: '×' },
      ],
      grades: [
        { code: '◎', label: '達成', tally: true, score: 2 },
        { code: '×', label: '未達成', tally: true, score: 1 },
        { code: '—', label: '対象外', tally: false, score: null },
      ],
      noTargetGrade: '—',
      statusGrades: {},
      doneGrade: null,
      notDoneGrade: null,
      rollup: null,
    };
    ids.computed = await plan(
      '計算する計画',
      JSON.stringify(computedScale),
      JSON.stringify([{ code: '着手', label: '' }]),
    );
    for (const key of ['manual', 'computed']) {
      const node = await insert('plan_nodes', {
        municipality_id: m,
        plan_id: ids[key],
        parent_id: null,
        depth: 0,
        position: 0,
        title: '基本目標',
        description: '',
        priority: 0,
        created_at: at,
        updated_at: at,
      });
      for (const n of [1, 2])
        ids[`${key}P${n}`] = await insert('projects', {
          municipality_id: m,
          plan_id: ids[key],
          node_id: node,
          number: String(n),
          name: `事業${n}`,
          summary: '',
          audience: '',
          position: n,
          created_at: at,
          updated_at: at,
        });
    }
    const record = (planKey: string, project: string, department: number, grade: string | null) =>
      insert('records', {
        municipality_id: m,
        plan_id: ids[planKey],
        project_id: ids[project],
        department_id: department,
        fiscal_year: 2025,
        plan_text: '',
        result_text: '',
        grade,
        grade_source: grade ? 'entered' : null,
        remarks: '',
        next_year_plan: '',
        status: 'approved',
        version: 3,
        updated_at: at,
        updated_by: null,
      });
    await record('manual', 'manualP1', ids.d1, 'B');
    await record('manual', 'manualP2', ids.d1, null);
    // Computed plan: project 1 has an indicator (a grade beside it), project 2 has none (a hand grade).
    await record('computed', 'computedP1', ids.d1, 'A');
    await record('computed', 'computedP2', ids.d2, '着手');
    ids.indicator = await insert('indicators', {
      municipality_id: m,
      plan_id: ids.computed,
      project_id: ids.computedP1,
      department_id: null,
      name: '講座の回数',
      unit: '回',
      kind: 'number',
      direction: 'higher',
      baseline_text: '',
      final_target_text: '',
      position: 0,
      created_at: at,
      updated_at: at,
    });
    await db
      .insertInto('indicator_targets')
      .values({ municipality_id: m, indicator_id: ids.indicator, fiscal_year: 2025, value: 5, text: '5回' })
      .execute();
    await insert('indicator_actuals', {
      municipality_id: m,
      indicator_id: ids.indicator,
      department_id: ids.d1,
      fiscal_year: 2025,
      value: 4,
      text: '4回',
      status: null,
      reason: '',
      parts: '[]',
      level: '5',
      grade: '◎',
      grade_reason: '年度末に追加で1回実施予定',
    });
    await migrateUpTo(t.handle, null);
  });
  afterAll(() => t.drop());

  const entries = () =>
    db.selectFrom('evaluations').selectAll().orderBy('plan_id').orderBy('slot_key').orderBy('subject_id').execute();

  it('each plan has a first version from its first year, valid as a configuration', async () => {
    const versions = await db.selectFrom('plan_evaluation_versions').selectAll().orderBy('plan_id').execute();
    expect(versions.map((v) => [v.plan_id, v.from_year])).toEqual([
      [ids.manual, 2024],
      [ids.computed, 2024],
    ]);
    const manual = configInput.parse(JSON.parse(versions[0]!.definition));
    expect(manual.slots).toMatchObject([{ key: 'grade', subject: 'record', enteredBy: 'department', required: true }]);
    expect(manual.scales[0]!.grades.map((g) => g.code)).toEqual(['A', 'B']);
    const computed = configInput.parse(JSON.parse(versions[1]!.definition));
    expect(computed.slots.map((s) => [s.key, s.subject, s.enteredBy])).toEqual([
      ['grade', 'indicator', 'computed'],
      ['self', 'record', 'department'],
    ]);
    expect(computed.scales[0]!.grades.map((g) => g.code)).toEqual(['◎', '×', '—', '着手']);
  });

  it('every stored grade is in its slot: answers, the line override with its level and reason, the hand grade, the grade beside lines', async () => {
    const rows = await entries();
    const pick = (r: Record<string, unknown>) => [
      r.slot_key,
      r.subject_kind,
      r.subject_id,
      r.department_id,
      r.code,
      r.level,
      r.reason,
    ];
    expect(rows.map(pick)).toEqual([
      ['grade', 'record', ids.manualP1, ids.d1, 'B', null, ''],
      ['grade', 'indicator', ids.indicator, ids.d1, '◎', '5', '年度末に追加で1回実施予定'],
      ['grade', 'record', ids.computedP2, ids.d2, '着手', null, ''],
      ['self', 'record', ids.computedP1, ids.d1, 'A', null, ''],
    ]);
  });

  it('the old columns are gone, indicators may belong to a node or the plan, and the database still refuses to lose what was typed', async () => {
    const columns = async (tableName: string) =>
      t.handle.dialect === 'postgres'
        ? (
            await sql<{
              name: string;
            }>`SELECT column_name AS name FROM information_schema.columns WHERE table_name = ${tableName}`.execute(db)
          ).rows.map((r) => r.name)
        : (await sql<{ name: string }>`SELECT name FROM pragma_table_info(${tableName})`.execute(db)).rows.map(
            (r) => r.name,
          );
    expect(await columns('records')).not.toContain('grade');
    expect(await columns('indicator_actuals')).not.toContain('grade');
    expect(await columns('plans')).not.toContain('evaluation_scale');
    expect(await columns('indicators')).toEqual(expect.arrayContaining(['node_id', 'purpose', 'target_basis']));
    const plain = await db.selectFrom('indicators').select(['purpose', 'target_basis']).executeTakeFirstOrThrow();
    expect(plain).toEqual({ purpose: 'target', target_basis: 'annual' });
    // The rebuilt table keeps its checks and its children.
    await expect(db.updateTable('indicators').set({ direction: 'sideways' }).execute()).rejects.toThrow(/check/i);
    await expect(db.updateTable('indicators').set({ purpose: 'guess' }).execute()).rejects.toThrow(/check/i);
    expect(await db.selectFrom('indicator_actuals').select('id').execute()).toHaveLength(1);
    await expect(db.deleteFrom('evaluations').execute()).rejects.toThrow(/never deleted/);
    const user = (login: string, role: string) =>
      insert('users', {
        login_name: login,
        display_name: login,
        role,
        password_hash: 'x',
        active: 1,
        created_at: at,
        updated_at: at,
      });
    await expect(user('iinkai.1', 'committee_member')).resolves.toBeGreaterThan(0);
    await expect(user('dareka.1', 'somebody')).rejects.toThrow(/check/i);
  });
});
