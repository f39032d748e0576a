import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../testing/harness.js';
import { cycleFixture, openRound, selfGrade, sheet, type CycleFixture } from '../../testing/cycle-fixtures.js';
import type { RecordDto } from '../../../domain/api-types.js';

/**
 * What a save answers is the record as stored: the record that comes back after a save (which the sheet
 * keeps as its own from then on) equals the record read afresh, whether the save wrote texts only (its
 * actuals and entries kept from before), actuals and entries, or a submission.
 */
describe('the record a save answers', () => {
  let h: Harness;
  let f: CycleFixture;
  let round: number;

  beforeAll(async () => {
    h = await createHarness();
    f = await cycleFixture(h);
    round = await openRound(f, 2024);
  });
  afterAll(() => h.close());

  const stored = async (projectId: number) =>
    (await sheet(f.editorA, f, round, f.deptA)).items.find((i) => i.project.id === projectId)!.record;

  it('equals the record read afresh after each kind of save', async () => {
    let record = await stored(f.p1);
    const put = async (body: Record<string, unknown>) => {
      const res = await f.editorA.put(`/api/m/${f.mid}/records/${record.id}`, { version: record.version, ...body });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ record: RecordDto }>().record;
    };

    // Actuals and a grade with the texts.
    let answered = await put({
      planText: '年4回開く',
      resultText: '5回開いた',
      actuals: [{ indicatorId: f.ind1, text: '5回' }],
      entries: selfGrade({ project: { id: f.p1 } }, 'A'),
    });
    record = await stored(f.p1);
    expect(answered).toEqual(record);
    expect(record.actuals.map((a) => a.text)).toEqual(['5回']);
    expect(record.entries.map((e) => e.code)).toEqual(['A']);

    // Texts only: the actuals and the grade saved before are in the answer, unchanged.
    answered = await put({ planText: '年4回開く', resultText: '5回開き、延べ120人が参加した' });
    record = await stored(f.p1);
    expect(answered).toEqual(record);
    expect(answered.resultText).toBe('5回開き、延べ120人が参加した');
    expect(answered.actuals.map((a) => a.text)).toEqual(['5回']);
    expect(answered.entries.map((e) => e.code)).toEqual(['A']);
    expect(answered.updatedByName).not.toBeNull();

    // A submission answers the record as stored, too.
    const submitted = await f.editorA.post(`/api/m/${f.mid}/records/${record.id}/submit`, {});
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json<{ record: RecordDto }>().record).toEqual(await stored(f.p1));
  });

  it('keeps in history what each save changed, and only that', async () => {
    const record = await stored(f.p1);
    const history = (await f.editorA.get(`/api/m/${f.mid}/records/${record.id}/history`)).json<{
      entries: { action: string; changes: { label: string; before: string; after: string }[] }[];
    }>();
    const saves = history.entries.filter((e) => e.action === 'save');
    expect(saves).toHaveLength(2);
    const textsOnly = saves.find((e) => e.changes.some((c) => c.after === '5回開き、延べ120人が参加した'))!;
    const withActual = saves.find((e) => e !== textsOnly)!;
    // The texts-only save changed one text: the actual and the grade it did not send were kept, not emptied.
    expect(textsOnly.changes).toEqual([
      expect.objectContaining({ label: '実績・取組状況', before: '5回開いた', after: '5回開き、延べ120人が参加した' }),
    ]);
    expect(withActual.changes.map((c) => c.after)).toEqual(expect.arrayContaining(['5回開いた', '5回']));
  });
  it('answers only its own department’s actuals and grades on a project shared with another', async () => {
    const recordOf = async (editor: typeof f.editorA, dept: number) =>
      (await sheet(editor, f, round, dept)).items.find((i) => i.project.id === f.p2)!.record;
    const put = async (editor: typeof f.editorA, record: RecordDto, body: Record<string, unknown>) => {
      const res = await editor.put(`/api/m/${f.mid}/records/${record.id}`, { version: record.version, ...body });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ record: RecordDto }>().record;
    };
    await put(f.editorB, await recordOf(f.editorB, f.deptB), {
      planText: '学校で開く',
      resultText: '3校で開いた',
      actuals: [{ indicatorId: f.ind2, text: '30人' }],
      entries: selfGrade({ project: { id: f.p2 } }, 'B'),
    });
    await put(f.editorA, await recordOf(f.editorA, f.deptA), {
      planText: '市民向けに開く',
      resultText: '2回開いた',
      actuals: [{ indicatorId: f.ind2, text: '20人' }],
      entries: selfGrade({ project: { id: f.p2 } }, 'A'),
    });
    // A save of texts only answers the actuals and grade it read before the save: the department's own.
    const answered = await put(f.editorA, await recordOf(f.editorA, f.deptA), {
      planText: '市民向けに開く',
      resultText: '2回開き、40人が参加した',
    });
    expect(answered.actuals.map((a) => a.text)).toEqual(['20人']);
    expect(answered.entries.map((e) => e.code)).toEqual(['A']);
    expect(answered).toEqual(await recordOf(f.editorA, f.deptA));
    expect((await recordOf(f.editorB, f.deptB)).actuals.map((a) => a.text)).toEqual(['30人']);
  });

  it('writes only what changed when the sheet sends back every actual and grade as it read them', async () => {
    const recordOf = async () =>
      (await sheet(f.editorA, f, round, f.deptA)).items.find((i) => i.project.id === f.p2)!.record;
    // The stored rows behind the answer's actual and grade: a rewrite would give the actual a new row.
    const rows = async () => ({
      actual: await h.db
        .selectFrom('indicator_actuals')
        .select(['id', 'text'])
        .where('indicator_id', '=', f.ind2)
        .where('department_id', '=', f.deptA)
        .where('fiscal_year', '=', 2024)
        .executeTakeFirstOrThrow(),
      grade: await h.db
        .selectFrom('evaluations')
        .select(['version', 'code'])
        .where('subject_kind', '=', 'record')
        .where('subject_id', '=', f.p2)
        .where('department_id', '=', f.deptA)
        .where('slot_key', '=', 'self')
        .executeTakeFirstOrThrow(),
    });
    const asRead = (r: RecordDto) => ({
      actuals: r.actuals.map(({ indicatorId, text, status, reason, parts }) => ({
        indicatorId,
        text,
        status,
        reason,
        parts: parts.map(({ label, text: t }) => ({ label, text: t })),
      })),
      entries: r.entries,
    });
    const save = async (r: RecordDto, body: Record<string, unknown>) => {
      const res = await f.editorA.put(`/api/m/${f.mid}/records/${r.id}`, { version: r.version, ...body });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ record: RecordDto }>().record;
    };
    let record = await recordOf();
    const before = await rows();
    expect(before).toMatchObject({ actual: { text: '20人' }, grade: { code: 'A' } });

    // Texts typed, the actual and the grade sent back as read: only the text is written.
    let answered = await save(record, { ...asRead(record), planText: '市民向けに年2回開く', resultText: '2回開いた' });
    expect(answered).toEqual(await recordOf());
    expect(await rows()).toEqual(before);
    const lastSave = async () =>
      (await f.editorA.get(`/api/m/${f.mid}/records/${record.id}/history`))
        .json<{ entries: { action: string; changes: { label: string; after: string }[] }[] }>()
        .entries.find((e) => e.action === 'save')!;
    expect((await lastSave()).changes.map((c) => c.label)).toEqual(['事業予定', '実績・取組状況']);

    // The actual changed, the grade sent back as read: the actual is written, the grade stays as it was.
    record = answered;
    const sent = asRead(record);
    answered = await save(record, { ...sent, actuals: [{ ...sent.actuals[0]!, text: '25人' }] });
    expect(answered).toEqual(await recordOf());
    const after = await rows();
    expect(after.actual.text).toBe('25人');
    expect(after.grade).toEqual(before.grade);
    expect(answered.entries.map((e) => e.code)).toEqual(['A']);
    expect((await lastSave()).changes.map((c) => c.after)).toContain('25人');
  });
});
