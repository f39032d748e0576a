import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../testing/harness.js';
import { cycleFixture, openRound, sheet, type CycleFixture } from '../../testing/cycle-fixtures.js';

/** Department A's workbook of a fixture's round: its URL, a download, a 回答 column by header, an upload. */
function workbookOf(get: () => { f: CycleFixture; round: number }) {
  const url = () => `/api/m/${get().f.mid}/rounds/${get().round}/departments/${get().f.deptA}/workbook`;
  async function download(): Promise<ExcelJS.Workbook> {
    const res = await get().f.editorA.get(url());
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    return wb;
  }
  /** The column of the 回答 sheet a header names. */
  const column = (wb: ExcelJS.Workbook, header: string) => {
    const row = wb.getWorksheet('回答')!.getRow(1);
    for (let c = 1; c <= row.cellCount; c++) if (row.getCell(c).value === header) return c;
    throw new Error(`no column ${header}`);
  };
  const upload = async (wb: ExcelJS.Workbook, apply = false) =>
    get().f.editorA.post(url(), { base64: Buffer.from(await wb.xlsx.writeBuffer()).toString('base64'), apply });
  return { url, download, column, upload };
}

describe('the department workbook round trip', () => {
  let h: Harness;
  let f: CycleFixture;
  let round: number;
  beforeAll(async () => {
    h = await createHarness();
    f = await cycleFixture(h);
    round = await openRound(f, 2024);
  });
  afterAll(() => h.close());

  const { url, download, column, upload } = workbookOf(() => ({ f, round }));

  it('pre-fills the department’s rows with ids locked and grades as a drop-down', async () => {
    const wb = await download();
    expect(wb.worksheets.map((w) => w.name)).toEqual(['記入方法', '回答', '活動指標']);
    const answers = wb.getWorksheet('回答')!;
    expect(answers.getRow(2).getCell(4).value).toBe('啓発講座');
    // Locked is Excel's default, so only the open cells carry a protection entry.
    expect(answers.getRow(2).getCell(1).protection?.locked).not.toBe(false);
    expect(answers.getRow(2).getCell(7).protection?.locked).toBe(false);
    expect((answers as unknown as { sheetProtection?: { sheet?: boolean } }).sheetProtection?.sheet).toBe(true);
    expect(answers.getRow(2).getCell(8).dataValidation).toMatchObject({ type: 'list', formulae: ['"A,B,C,D"'] });
    expect(wb.getWorksheet('活動指標')!.getRow(2).getCell(4).value).toBe('講座開催回数');
    expect((await f.editorB.get(url())).statusCode).toBe(403);
  });

  it('shows what would change, then saves it through the sheet’s rules', async () => {
    const wb = await download();
    wb.getWorksheet('回答')!.getRow(2).getCell(7).value = '講座を5回開催した';
    wb.getWorksheet('回答')!.getRow(2).getCell(8).value = 'A';
    wb.getWorksheet('活動指標')!.getRow(2).getCell(7).value = '５';
    const check = await upload(wb);
    expect(check.statusCode, check.body).toBe(200);
    expect(check.json().problems).toEqual([]);
    expect(check.json().changes.map((c: { label: string; after: string }) => [c.label, c.after])).toEqual([
      ['実績・取組状況', '講座を5回開催した'],
      ['評価', 'A'],
      // Typed without its unit, shown as it will be stored.
      ['実績「講座開催回数」', '５回'],
    ]);
    expect((await sheet(f.editorA, f, round, f.deptA)).items[0]!.record.resultText).toBe('');

    const applied = await upload(wb, true);
    expect(applied.json().saved).toBe(1);
    const after = (await sheet(f.editorA, f, round, f.deptA)).items[0]!.record;
    expect(after).toMatchObject({ resultText: '講座を5回開催した', status: 'draft' });
    expect(after.entries).toMatchObject([{ slotKey: 'self', subjectKind: 'record', code: 'A' }]);
    expect(after.actuals[0]).toMatchObject({ value: 5, text: '５回' });
  });

  it('refuses rows changed on screen since the download, rows of other departments and unreadable values, and saves nothing', async () => {
    const wb = await download();
    const item = (await sheet(f.editorA, f, round, f.deptA)).items[0]!;
    await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      planText: '画面で更新',
    });
    wb.getWorksheet('回答')!.getRow(2).getCell(6).value = 'ファイルで更新';
    wb.getWorksheet('回答')!.getRow(3).getCell(1).value = 999999;
    wb.getWorksheet('活動指標')!.getRow(2).getCell(7).value = 'たくさん';
    const check = await upload(wb);
    const messages = check
      .json()
      .problems.map((p: { message: string }) => p.message)
      .join('\n');
    expect(messages).toContain('ダウンロードの後に画面で更新されています');
    expect(messages).toContain('この課・この照会の回答ではありません');
    const applied = await upload(wb, true);
    expect(applied.statusCode).toBe(400);
    expect((await sheet(f.editorA, f, round, f.deptA)).items[0]!.record.planText).toBe('画面で更新');
  });

  it('keeps what the file does not carry (an actual’s breakdown), sees a changed reason, and lets lines untouched since the download through', async () => {
    let item = (await sheet(f.editorA, f, round, f.deptA)).items[0]!;
    const indicatorId = item.indicators[0]!.id;
    const saved = await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      actuals: [
        {
          indicatorId,
          text: '',
          status: 'cancelled',
          reason: '講師の都合',
          parts: [
            { label: '前期', text: '2回' },
            { label: '後期', text: '3回' },
          ],
        },
      ],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const wb = await download();
    // On screen after the download: the second answer's 備考 (a line the file leaves as it was).
    const second = (await sheet(f.editorA, f, round, f.deptA)).items[1]!;
    await f.editorA.put(`/api/m/${f.mid}/records/${second.record.id}`, {
      version: second.record.version,
      remarks: '画面で追記',
    });
    wb.getWorksheet('回答')!.getRow(2).getCell(column(wb, '備考')).value = 'ファイルで追記';
    wb.getWorksheet('活動指標')!.getRow(2).getCell(9).value = '講師の急病';
    const check = await upload(wb);
    expect(check.json().problems).toEqual([]);
    expect(check.json().changes.map((c: { label: string; after: string }) => [c.label, c.after])).toEqual([
      ['備考', 'ファイルで追記'],
      ['実績「講座開催回数」', '中止 （理由: 講師の急病）'],
    ]);
    expect((await upload(wb, true)).json().saved).toBe(1);
    item = (await sheet(f.editorA, f, round, f.deptA)).items[0]!;
    expect(item.record.remarks).toBe('ファイルで追記');
    expect(item.record.actuals[0]).toMatchObject({
      status: 'cancelled',
      reason: '講師の急病',
      parts: [
        { label: '前期', text: '2回' },
        { label: '後期', text: '3回' },
      ],
    });
    expect((await sheet(f.editorA, f, round, f.deptA)).items[1]!.record.remarks).toBe('画面で追記');
  });

  it('merges a line changed on screen since the download field by field, names both sides where both changed one, and says once that a file is another department’s', async () => {
    let wb = await download();
    let item = (await sheet(f.editorA, f, round, f.deptA)).items[0]!;
    // On screen: 事業予定. In the file: 翌年度予定. Both are kept.
    await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      planText: '画面で直した予定',
    });
    wb.getWorksheet('回答')!.getRow(2).getCell(column(wb, '翌年度予定')).value = 'ファイルで書いた翌年度予定';
    const merged = await upload(wb);
    expect(merged.json().problems).toEqual([]);
    expect(merged.json().changes.map((c: { label: string; after: string }) => [c.label, c.after])).toEqual([
      ['翌年度予定', 'ファイルで書いた翌年度予定'],
    ]);
    expect((await upload(wb, true)).json().saved).toBe(1);
    item = (await sheet(f.editorA, f, round, f.deptA)).items[0]!;
    expect(item.record).toMatchObject({ planText: '画面で直した予定', nextYearPlan: 'ファイルで書いた翌年度予定' });

    wb = await download();
    await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      remarks: '画面の備考',
    });
    wb.getWorksheet('回答')!.getRow(2).getCell(column(wb, '備考')).value = 'ファイルの備考';
    const messages = (await upload(wb)).json().problems.map((p: { message: string }) => p.message);
    expect(messages).toEqual([
      expect.stringContaining('「備考」は画面では「画面の備考」、ファイルでは「ファイルの備考」です'),
    ]);
    expect((await upload(wb, true)).statusCode).toBe(400);
    expect((await sheet(f.editorA, f, round, f.deptA)).items[0]!.record.remarks).toBe('画面の備考');
    const other = await download();
    other.getWorksheet('回答')!.eachRow((row, n) => {
      if (n > 1) row.getCell(1).value = 900000 + n;
    });
    const refused = (await upload(other)).json().problems;
    expect(refused).toHaveLength(1);
    expect(refused[0].message).toMatch(/^このファイルは.+の令和6年度（2024年度）の照会の回答ファイルではありません/);
  });

  it('lists a refused value as a problem only, checks that answer’s indicator lines too, and names the project a save refuses', async () => {
    const wb = await download();
    wb.getWorksheet('回答')!.getRow(2).getCell(column(wb, '評価')).value = 'Ｅ';
    wb.getWorksheet('活動指標')!.getRow(2).getCell(8).value = 'やめた';
    const check = (await upload(wb)).json();
    expect(
      check.changes.filter((c: { recordId: number }) => c.recordId === check.changes[0]?.recordId),
    ).not.toContainEqual(expect.objectContaining({ after: 'Ｅ' }));
    expect(check.problems.map((p: { message: string }) => p.message)).toEqual([
      expect.stringContaining('評価「Ｅ」は選べません'),
      '実施状況「やめた」は選べません',
    ]);
    // Submitted, an answer is no longer the department's to change: the refusal says which one.
    const item = (await sheet(f.editorA, f, round, f.deptA)).items[1]!;
    const filled = await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      planText: '研修を開く',
      resultText: '研修を開いた',
      actuals: [{ indicatorId: item.indicators[0]!.id, text: '20人' }],
      entries: [{ slotKey: 'self', subjectKind: 'record', subjectId: item.project.id, code: 'A' }],
    });
    expect(filled.statusCode, filled.body).toBe(200);
    const submitted = await f.editorA.post(`/api/m/${f.mid}/records/${item.record.id}/submit`, {});
    expect(submitted.statusCode, submitted.body).toBe(200);
    const fresh = await download();
    fresh.getWorksheet('回答')!.getRow(3).getCell(column(fresh, '備考')).value = '提出後の追記';
    const refused = await upload(fresh, true);
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    expect(refused.json().message).toContain(`事業${item.project.number}「${item.project.name}」`);
    expect((await sheet(f.editorA, f, round, f.deptA)).items[1]!.record.remarks).not.toBe('提出後の追記');
  });

  it('is refused once the round is closed', async () => {
    const wb = await download();
    wb.getWorksheet('回答')!.getRow(3).getCell(6).value = '締切後の入力';
    await f.coord.post(`/api/m/${f.mid}/rounds/${round}/close`);
    const applied = await upload(wb, true);
    expect(applied.statusCode).toBe(409);
    expect(applied.json().message).toContain('締め切られている');
  });
  it('in a mid-year round locks the year-end grade, and saves the texts keeping the grade, reason and comment', async () => {
    // The year-end grade of 2024 (B, with its reason and comment) is stored; a mid-year round of 2025 opens.
    const mid = await openRound(f, 2025, 'mid');
    const item = (await sheet(f.editorA, f, mid, f.deptA)).items[0]!;
    await h.db
      .insertInto('evaluations')
      .values({
        municipality_id: f.mid,
        plan_id: f.planId,
        fiscal_year: 2025,
        slot_key: 'self',
        subject_kind: 'record',
        subject_id: item.project.id,
        department_id: f.deptA,
        code: 'B',
        level: null,
        reason: '参加者が少なかった',
        comment: '秋に再開',
        version: 1,
        entered_by: null,
        entered_by_name: '移行',
        entered_at: '2025-04-01T00:00:00.000Z',
      })
      .execute();
    round = mid;
    const wb = await download();
    const answers = wb.getWorksheet('回答')!;
    expect(answers.getRow(2).getCell(8).protection?.locked).not.toBe(false);
    expect(answers.getRow(2).getCell(8).value || null).toBeNull();
    // Its reason too: locked, empty.
    expect(answers.getRow(1).getCell(9).value).toBe('評価の理由');
    expect(answers.getRow(2).getCell(9).protection?.locked).not.toBe(false);
    expect(answers.getRow(2).getCell(9).value || null).toBeNull();
    answers.getRow(2).getCell(6).value = '上半期に2回開催';
    const applied = await upload(wb, true);
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json().saved).toBe(1);
    const after = (await sheet(f.editorA, f, mid, f.deptA)).items[0]!.record;
    expect(after.planText).toBe('上半期に2回開催');
    expect(after.entries).toEqual([
      expect.objectContaining({ slotKey: 'self', code: 'B', reason: '参加者が少なかった', comment: '秋に再開' }),
    ]);
  });
});

describe('the workbook’s 評価の理由 column', () => {
  let h: Harness;
  let f: CycleFixture;
  let round: number;
  beforeAll(async () => {
    h = await createHarness();
    f = await cycleFixture(h);
    round = await openRound(f, 2024);
  });
  afterAll(() => h.close());

  const { download, column, upload } = workbookOf(() => ({ f, round }));
  /** Sets a cell of the 回答 sheet by its column's header. */
  const fill = (wb: ExcelJS.Workbook, line: number, header: string, value: string) => {
    wb.getWorksheet('回答')!.getRow(line).getCell(column(wb, header)).value = value;
  };
  const first = async () => (await sheet(f.editorA, f, round, f.deptA)).items[0]!;
  /** Saves the first answer's grade and reason on screen. */
  async function gradeOnScreen(code: string, reason: string, comment = '') {
    const item = await first();
    const res = await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      entries: [{ slotKey: 'self', subjectKind: 'record', subjectId: item.project.id, code, reason, comment }],
    });
    expect(res.statusCode, res.body).toBe(200);
  }
  const entryOf = async () => (await first()).record.entries.find((e) => e.slotKey === 'self');
  const messages = async (wb: ExcelJS.Workbook) =>
    (await upload(wb)).json().problems.map((p: { message: string }) => p.message);
  const changes = async (wb: ExcelJS.Workbook) =>
    (await upload(wb))
      .json()
      .changes.map((c: { label: string; before: string; after: string }) => [c.label, c.before, c.after]);

  it('comes right after 評価, filled with the stored reason, open for a sentence, and the guide names it', async () => {
    await gradeOnScreen('B', '参加者が少なかった');
    const wb = await download();
    const answers = wb.getWorksheet('回答')!;
    const at = column(wb, '評価の理由');
    expect(at).toBe(column(wb, '評価') + 1);
    expect(column(wb, '備考')).toBe(at + 1);
    const cell = answers.getRow(2).getCell(at);
    expect(cell.value).toBe('参加者が少なかった');
    expect(cell.protection?.locked).toBe(false);
    expect(cell.alignment?.wrapText).toBe(true);
    // Excel and LibreOffice warn past the length a save takes.
    expect(cell.dataValidation).toMatchObject({ type: 'textLength', operator: 'lessThanOrEqual' });
    expect(Number(cell.dataValidation.formulae?.[0])).toBe(1000);
    expect(answers.getColumn(at).width).toBeGreaterThanOrEqual(30);
    const guide: string[] = [];
    wb.getWorksheet('記入方法')!.eachRow((row) => guide.push(String(row.getCell(1).value ?? '')));
    expect(guide.join('\n')).toContain('評価・評価の理由・備考');
    expect(guide.join('\n')).toContain('最上位でない評価には、「評価の理由」の欄に');
  });

  it('takes the reason from the file with the grade, keeps the comment, and refuses one too long naming the project', async () => {
    await gradeOnScreen('B', '参加者が少なかった', '秋に再開');
    const wb = await download();
    fill(wb, 2, '評価の理由', '講師が確保できず、2回を中止した');
    expect(await changes(wb)).toEqual([['評価の理由', '参加者が少なかった', '講師が確保できず、2回を中止した']]);
    expect((await upload(wb, true)).json().saved).toBe(1);
    expect(await entryOf()).toMatchObject({
      code: 'B',
      reason: '講師が確保できず、2回を中止した',
      comment: '秋に再開',
    });

    const long = await download();
    fill(long, 3, '評価', 'C');
    fill(long, 3, '評価の理由', '理'.repeat(1001));
    const item = (await sheet(f.editorA, f, round, f.deptA)).items[1]!;
    expect(await messages(long)).toEqual([
      `事業${item.project.number}: 「評価の理由」は1000文字以内で入力してください`,
    ]);
    expect((await upload(long, true)).statusCode).toBe(400);
  });

  it('reads a file downloaded before the column by its headers, keeping the stored reason, and refuses other headers once', async () => {
    await gradeOnScreen('B', '画面で書いた理由');
    const old = await download();
    // The layout written before 評価の理由: 備考 and 翌年度予定 one column to the left.
    old.getWorksheet('回答')!.spliceColumns(column(old, '評価の理由'), 1);
    fill(old, 2, '評価', 'C');
    fill(old, 2, '備考', '古いファイルの備考');
    fill(old, 2, '翌年度予定', '古いファイルの翌年度予定');
    expect(await messages(old)).toEqual([]);
    expect(await changes(old)).toEqual([
      ['備考', '', '古いファイルの備考'],
      ['翌年度予定', '', '古いファイルの翌年度予定'],
      ['評価', 'B', 'C'],
    ]);
    expect((await upload(old, true)).json().saved).toBe(1);
    const item = await first();
    expect(item.record).toMatchObject({ remarks: '古いファイルの備考', nextYearPlan: '古いファイルの翌年度予定' });
    expect(await entryOf()).toMatchObject({ code: 'C', reason: '画面で書いた理由' });

    const renamed = await download();
    fill(renamed, 1, '備考', 'メモ');
    fill(renamed, 2, '事業予定', '読まれない予定');
    const refused = await messages(renamed);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toContain('もう一度ダウンロードしたファイルに入力してください');
    expect((await upload(renamed, true)).statusCode).toBe(400);
    expect((await first()).record.planText).not.toBe('読まれない予定');
  });

  it('merges the reason of a line changed on screen since the download as a field of its own', async () => {
    await gradeOnScreen('B', 'ダウンロード時の理由');
    // Changed in the file only (the screen changed 事業予定): taken, beside what the screen changed.
    let wb = await download();
    let item = await first();
    await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      planText: '画面の予定',
    });
    fill(wb, 2, '評価の理由', 'ファイルの理由');
    expect(await changes(wb)).toEqual([['評価の理由', 'ダウンロード時の理由', 'ファイルの理由']]);
    expect((await upload(wb, true)).json().saved).toBe(1);
    item = await first();
    expect(item.record.planText).toBe('画面の予定');
    expect(await entryOf()).toMatchObject({ code: 'B', reason: 'ファイルの理由' });

    // Changed on screen only (the file changed 備考 and the grade): the screen's reason stays.
    wb = await download();
    await gradeOnScreen('B', '画面の理由');
    fill(wb, 2, '備考', 'ファイルの備考');
    fill(wb, 2, '評価', 'C');
    expect(await messages(wb)).toEqual([]);
    expect((await upload(wb, true)).json().saved).toBe(1);
    expect((await first()).record.remarks).toBe('ファイルの備考');
    expect(await entryOf()).toMatchObject({ code: 'C', reason: '画面の理由' });

    // Changed on both sides differently: a conflict naming both, nothing saved.
    wb = await download();
    await gradeOnScreen('C', '画面で直した理由');
    fill(wb, 2, '評価の理由', 'ファイルで直した理由');
    expect(await messages(wb)).toEqual([
      expect.stringContaining('「評価の理由」は画面では「画面で直した理由」、ファイルでは「ファイルで直した理由」です'),
    ]);
    expect((await upload(wb, true)).statusCode).toBe(400);
    expect(await entryOf()).toMatchObject({ code: 'C', reason: '画面で直した理由' });
  });
});
