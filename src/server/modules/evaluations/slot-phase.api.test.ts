import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sheet } from '../../../domain/api-types.js';
import { presetConfig } from '../../../domain/evaluation/presets.js';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';

/**
 * A slot entered in one phase: the department's grade (A–D) is asked in the year-end round only. In the
 * mid-year round the department writes its texts, the grade is neither asked for nor taken; at year end
 * it is entered and required.
 */
describe('an evaluation slot of the year-end round', () => {
  let h: Harness;
  let mid: number;
  let planId: number;
  let dept: number;
  let coord: Client;
  let editor: Client;

  const round = async (phase: 'mid' | 'end') => {
    const res = await coord.post(`/api/m/${mid}/rounds`, {
      planId,
      fiscalYear: 2024,
      phase,
      deadline: phase === 'mid' ? '2024-10-31' : '2025-04-30',
      departmentIds: [dept],
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().round.id as number;
  };
  const sheetOf = async (roundId: number) =>
    (await editor.get(`/api/m/${mid}/rounds/${roundId}/departments/${dept}/sheet`)).json<Sheet>();
  const save = async (roundId: number, entry: { code: string | null; reason?: string } | null) => {
    const item = (await sheetOf(roundId)).items[0]!;
    return editor.put(`/api/m/${mid}/records/${item.record.id}`, {
      version: item.record.version,
      planText: '年4回の講座を開く',
      resultText: `結果（${entry?.code ?? 'なし'}）`,
      entries: entry
        ? [{ slotKey: 'self', subjectKind: 'record', subjectId: item.project.id, reason: '', comment: '', ...entry }]
        : [],
    });
  };
  const storedGrade = async () =>
    (
      await h.db
        .selectFrom('evaluations')
        .select(['code'])
        .where('plan_id', '=', planId)
        .where('slot_key', '=', 'self')
        .executeTakeFirst()
    )?.code ?? null;

  beforeAll(async () => {
    h = await createHarness();
    mid = (await h.municipality('年度末評価市')).id;
    dept = await h.department(mid, '人権推進課');
    coord = await h.as('coordinator', { municipalityId: mid });
    editor = await h.as('department_editor', { municipalityId: mid, departmentId: dept });
    planId = (
      await coord.post(`/api/m/${mid}/plans`, {
        title: '年度末評価市プラン',
        firstYear: 2021,
        lastYear: 2030,
        levels: [
          { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
          { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
        ],
      })
    ).json().plan.id;
    const config = structuredClone(presetConfig('manual-a-d')!);
    config.slots = config.slots.map((s, i) => (i === 0 ? { ...s, phase: 'end' as const, required: true } : s));
    const saved = await coord.put(`/api/m/${mid}/plans/${planId}/evaluation`, { fromYear: 2021, config });
    expect(saved.statusCode, saved.body).toBe(200);
    const node = (await coord.post(`/api/m/${mid}/plans/${planId}/nodes`, { title: '意識づくり' })).json().node.id;
    const project = await coord.post(`/api/m/${mid}/plans/${planId}/projects`, {
      nodeId: node,
      number: '1',
      name: '講座',
      leadDepartmentId: dept,
    });
    expect(project.statusCode, project.body).toBe(201);
  });
  afterAll(() => h.close());

  it('in the mid-year round: the grade is shown, not asked for, and a changed one is refused beside its field', async () => {
    const midRound = await round('mid');
    const refused = await save(midRound, { code: 'B' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details).toEqual([
      expect.objectContaining({ message: '評価は年度末（実績・評価）の照会で入力します' }),
    ]);
    // Nothing of the refused save is stored: neither the grade nor the text sent with it.
    expect(await storedGrade()).toBeNull();
    expect((await sheetOf(midRound)).items[0]!.record.resultText).toBe('');
    // The texts save, the grade sent as stored (none) is no change, and submitting does not ask for it.
    expect((await save(midRound, { code: null })).statusCode).toBe(200);
    expect((await sheetOf(midRound)).items[0]!.record.resultText).toBe('結果（なし）');
    const item = (await sheetOf(midRound)).items[0]!;
    const submitted = await editor.post(`/api/m/${mid}/records/${item.record.id}/submit`, {
      version: item.record.version,
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect((await coord.post(`/api/m/${mid}/rounds/${midRound}/close`)).statusCode).toBe(200);
  });

  it('in the year-end round: the grade is entered, stored, and required to submit', async () => {
    const endRound = await round('end');
    const item = (await sheetOf(endRound)).items[0]!;
    const early = await editor.post(`/api/m/${mid}/records/${item.record.id}/submit`, {
      version: item.record.version,
    });
    expect(early.statusCode).toBe(400);
    expect(JSON.stringify(early.json())).toContain('評価を選んでください');
    expect((await save(endRound, { code: 'B', reason: '参加者が目標に届かなかった' })).statusCode).toBe(200);
    expect(await storedGrade()).toBe('B');
    const again = (await sheetOf(endRound)).items[0]!;
    expect(again.evaluations.record.self?.code).toBe('B');
  });
  it('never refuses a save for an entry sent as it is stored, even one the sheet would not offer now', async () => {
    const rounds: { id: number; status: string }[] = (await coord.get(`/api/m/${mid}/rounds`)).json().rounds;
    const endRound = rounds.find((r) => r.status === 'open')!.id;
    // A code the legend does not hold (as an import or an earlier legend left it).
    await h.db
      .updateTable('evaluations')
      .set({ code: 'Z' })
      .where('plan_id', '=', planId)
      .where('slot_key', '=', 'self')
      .execute();
    const kept = await save(endRound, { code: 'Z', reason: '参加者が目標に届かなかった' });
    expect(kept.statusCode, kept.body).toBe(200);
    expect((await sheetOf(endRound)).items[0]!.record.resultText).toBe('結果（Z）');
    expect(await storedGrade()).toBe('Z');
    // Changed to another code outside the legend, it is refused beside its field, and nothing is written.
    const refused = await save(endRound, { code: 'Y' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details[0].message).toContain('凡例にありません');
    expect(await storedGrade()).toBe('Z');
    expect((await sheetOf(endRound)).items[0]!.record.resultText).toBe('結果（Z）');
  });
});
