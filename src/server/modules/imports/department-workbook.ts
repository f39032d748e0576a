import { z } from 'zod';
import type ExcelJS from 'exceljs';
import type { FieldChange, RecordDto, Sheet, SheetItem } from '../../../domain/api-types.js';
import {
  ENTRY_REASON_LIMIT,
  readActual,
  recordSaveInput,
  type ActualInput,
  type RecordSaveInput,
} from '../../../domain/cycle.js';
import { eraDateLabel, fiscalYearLabel } from '../../../domain/fiscal-year.js';
import type { Slot } from '../../../domain/evaluation/index.js';
import type { Table } from '../../../domain/import/table.js';
import { ACTUAL_STATUSES, ACTUAL_STATUS_LABELS, type ActualStatus } from '../../../domain/values.js';

/**
 * The department workbook without the database: the .xlsx written from a department's sheet, and
 * a filled-in one read back against the sheet's answers (what would change, what cannot be taken).
 */

export const ANSWERS = '回答';
export const INDICATORS = '活動指標';
const ANSWER_COLUMNS = [
  { header: '回答ID（変更しないでください）', key: 'id', width: 12, locked: true },
  { header: '版', key: 'version', width: 6, locked: true },
  { header: '事業番号', key: 'number', width: 8, locked: true },
  { header: '事業名', key: 'name', width: 28, locked: true },
  { header: '状態', key: 'status', width: 8, locked: true },
  { header: '事業予定', key: 'planText', width: 40, locked: false },
  { header: '実績・取組状況', key: 'resultText', width: 50, locked: false },
  { header: '評価', key: 'grade', width: 8, locked: false },
  { header: '評価の理由', key: 'gradeReason', width: 40, locked: false },
  { header: '備考', key: 'remarks', width: 24, locked: false },
  { header: '翌年度予定', key: 'nextYearPlan', width: 40, locked: false },
] as const;
type AnswerKey = (typeof ANSWER_COLUMNS)[number]['key'];
/** The 回答 sheet's columns of a file downloaded before it had 評価の理由: still read, the reason kept as stored. */
const OLD_ANSWER_COLUMNS = ANSWER_COLUMNS.filter((c) => c.key !== 'gradeReason');
const INDICATOR_COLUMNS = [
  { header: '回答ID', key: 'recordId', width: 10, locked: true },
  { header: '指標ID', key: 'indicatorId', width: 8, locked: true },
  { header: '事業番号', key: 'number', width: 8, locked: true },
  { header: '活動指標', key: 'name', width: 30, locked: true },
  { header: '単位', key: 'unit', width: 8, locked: true },
  { header: '今年度の目標', key: 'target', width: 12, locked: true },
  { header: '今年度の実績', key: 'text', width: 14, locked: false },
  { header: '実施状況', key: 'status', width: 18, locked: false },
  { header: '中止の理由', key: 'reason', width: 30, locked: false },
] as const;

const STATUS_BY_LABEL = new Map(ACTUAL_STATUSES.map((s) => [ACTUAL_STATUS_LABELS[s], s]));

/**
 * The slot the 評価 column fills: the first the department enters on its answers in this round's phase
 * (none — a slot of the year-end round in a mid-year round —: the column stays locked empty).
 */
function workbookSlot(sheet: Sheet): Slot | undefined {
  return sheet.evaluation.slots.find(
    (s) =>
      s.subject === 'record' && s.enteredBy === 'department' && (s.phase === null || s.phase === sheet.round.phase),
  );
}

/** The codes the 評価 column takes, with what each means. */
function workbookCodes(sheet: Sheet): { code: string; label: string }[] {
  const slot = workbookSlot(sheet);
  const scale = slot && sheet.evaluation.scales.find((x) => x.key === slot.scale);
  return (scale?.grades ?? []).map((g) => ({ code: g.code, label: g.label }));
}

/** The answer's entry in the workbook's slot as stored (an empty one where there is none). */
function storedEntry(slot: Slot, item: { project: { id: number }; record: RecordDto }) {
  const ref = { slotKey: slot.key, subjectKind: 'record' as const, subjectId: item.project.id };
  const was = item.record.entries.find((e) => e.slotKey === slot.key && e.subjectKind === 'record');
  return { ...ref, reason: was?.reason ?? '', comment: was?.comment ?? '' };
}

/** The answer's code in the workbook's slot. */
function workbookGrade(sheet: Sheet, record: RecordDto): string | null {
  const slot = workbookSlot(sheet);
  return (slot && record.entries.find((e) => e.slotKey === slot.key && e.subjectKind === 'record')?.code) ?? null;
}

/** The reason given with the answer's code in the workbook's slot ('' where there is none). */
function workbookReason(sheet: Sheet, record: RecordDto): string {
  const slot = workbookSlot(sheet);
  return (slot && record.entries.find((e) => e.slotKey === slot.key && e.subjectKind === 'record')?.reason) ?? '';
}
const RECORD_STATUS_LABELS = {
  not_started: '未着手',
  draft: '入力中',
  submitted: '提出済',
  returned: '差戻し',
  approved: '確定',
} as const;

// ---- writing

function addGuide(wb: ExcelJS.Workbook, sheet: Sheet): void {
  const title = `${sheet.round.planTitle} ${fiscalYearLabel(sheet.round.fiscalYear)} ${sheet.department.name} 回答シート`;
  const guide = wb.addWorksheet('記入方法');
  guide.getColumn(1).width = 100;
  for (const line of [
    title,
    '',
    `回答期限: ${eraDateLabel(sheet.round.deadline)}`,
    sheet.round.instructions ? `記入要領: ${sheet.round.instructions}` : '',
    '',
    '1. 「回答」シートの白い欄（事業予定・実績・評価・評価の理由・備考・翌年度予定）に入力してください。',
    ...(workbookSlot(sheet)
      ? [
          '   最上位でない評価には、「評価の理由」の欄に理由か今後の対応を書いてください（備考に書いてもかまいません）。',
        ]
      : []),
    '2. 「活動指標」シートの「今年度の実績」に数値を入力してください。実施しなかった場合は「実施状況」を選んでください。',
    '3. 灰色の欄（回答ID・版・事業番号・事業名）は変更しないでください。',
    '4. 入力が終わったら、進捗管理システムの回答シート画面から、このファイルをアップロードしてください。',
    '   アップロードすると、変更点を確認してから反映できます。ダウンロードの後に画面で更新された回答は、項目ごとに合わせて反映します（同じ項目が両方で違う値に変わっているときは、どちらにするか確かめるよう表示します）。',
    '',
    workbookSlot(sheet)
      ? `${workbookSlot(sheet)!.name}の基準: ${workbookCodes(sheet)
          .map((g) => `${g.code} ${g.label}`)
          .join(' ／ ')}`
      : 'この計画では、評価は回答シートでは入力しません。',
  ])
    guide.addRow([line]);
  guide.getRow(1).font = { bold: true, size: 14 };
}

function addAnswers(wb: ExcelJS.Workbook, sheet: Sheet): ExcelJS.Worksheet {
  const answers = wb.addWorksheet(ANSWERS, {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    views: [{ state: 'frozen', ySplit: 1, xSplit: 4 }],
  });
  answers.columns = ANSWER_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  for (const item of sheet.items)
    answers.addRow({
      id: item.record.id,
      version: item.record.version,
      number: item.project.number,
      name: item.project.name,
      status: RECORD_STATUS_LABELS[item.record.status],
      planText: item.record.planText,
      resultText: item.record.resultText,
      grade: workbookGrade(sheet, item.record) ?? '',
      gradeReason: workbookReason(sheet, item.record),
      remarks: item.record.remarks,
      nextYearPlan: item.record.nextYearPlan,
    });
  return answers;
}

function addIndicators(wb: ExcelJS.Workbook, sheet: Sheet): ExcelJS.Worksheet {
  const indicators = wb.addWorksheet(INDICATORS, { views: [{ state: 'frozen', ySplit: 1 }] });
  indicators.columns = INDICATOR_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  for (const item of sheet.items)
    for (const ind of item.indicators) {
      const actual = item.record.actuals.find((a) => a.indicatorId === ind.id);
      indicators.addRow({
        recordId: item.record.id,
        indicatorId: ind.id,
        number: item.project.number,
        name: ind.name,
        unit: ind.unit,
        target: ind.targets.find((t) => t.fiscalYear === sheet.round.fiscalYear)?.text ?? '',
        text: actual?.text ?? '',
        status: actual?.status ? ACTUAL_STATUS_LABELS[actual.status] : '',
        reason: actual?.reason ?? '',
      });
    }
  return indicators;
}

/** Header row in bold; locked cells grey and protected; a column's drop-down where it has one. */
async function styleAndProtect(
  ws: ExcelJS.Worksheet,
  columns: readonly { key: string; locked: boolean }[],
  dropDown: (key: string) => ExcelJS.DataValidation | undefined,
): Promise<void> {
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8F1FE' } };
  ws.eachRow((row, r) => {
    if (r === 1) return;
    columns.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      cell.alignment = { wrapText: true, vertical: 'top' };
      cell.protection = { locked: c.locked };
      if (c.locked) cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
      const validation = dropDown(c.key);
      if (validation) cell.dataValidation = validation;
    });
  });
  await ws.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true });
}

/** The department's sheet as an .xlsx to fill in offline: ids locked, grades and statuses as drop-downs. */
export async function writeDepartmentWorkbook(sheet: Sheet): Promise<Buffer> {
  // exceljs is loaded when first used: the server starts without it.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  wb.creator = 'Shinchoku';
  addGuide(wb, sheet);
  const answers = addAnswers(wb, sheet);
  const indicators = addIndicators(wb, sheet);
  const grades = `"${workbookCodes(sheet)
    .map((g) => g.code)
    .join(',')}"`;
  const statuses = `"${ACTUAL_STATUSES.map((s) => ACTUAL_STATUS_LABELS[s]).join(',')}"`;
  // Without a slot this round enters, the 評価 and 評価の理由 columns are locked like the ids.
  const answerColumns = ANSWER_COLUMNS.map((c) =>
    (c.key === 'grade' || c.key === 'gradeReason') && !workbookSlot(sheet) ? { ...c, locked: true } : c,
  );
  await styleAndProtect(answers, answerColumns, (key) =>
    key === 'grade'
      ? {
          type: 'list',
          allowBlank: true,
          formulae: [grades],
          showErrorMessage: true,
          errorTitle: '評価',
          error: `評価は ${grades.replace(/"/g, '')} から選んでください`,
        }
      : key === 'gradeReason'
        ? {
            type: 'textLength',
            operator: 'lessThanOrEqual',
            allowBlank: true,
            formulae: [ENTRY_REASON_LIMIT],
            showErrorMessage: true,
            errorTitle: '評価の理由',
            error: `評価の理由は${ENTRY_REASON_LIMIT}文字以内で入力してください`,
          }
        : undefined,
  );
  await styleAndProtect(indicators, INDICATOR_COLUMNS, (key) =>
    key === 'status' ? { type: 'list', allowBlank: true, formulae: [statuses] } : undefined,
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---- reading back

export interface UploadCheck {
  changes: (FieldChange & { recordId: number; project: string })[];
  problems: { sheet: string; line: number; message: string }[];
}

type Problem = UploadCheck['problems'][number];

/** Where each column of the 回答 sheet is, by key. */
type AnswerLayout = Map<AnswerKey, number>;

/**
 * The 回答 sheet's columns, found by their headers (the first row): the layout written now, or that of a file
 * downloaded before the 評価の理由 column (no reason read). Columns added to the file are left out; a missing
 * or repeated header (another file, a column renamed) is none.
 */
function answerLayout(header: readonly string[] | undefined): AnswerLayout | undefined {
  const at = new Map<string, number[]>();
  (header ?? []).forEach((text, i) => at.set(text.trim(), [...(at.get(text.trim()) ?? []), i]));
  const find = (columns: readonly { header: string; key: AnswerKey }[]) =>
    columns.every((c) => at.get(c.header)?.length === 1)
      ? new Map(columns.map((c) => [c.key, at.get(c.header)![0]!]))
      : undefined;
  return find(ANSWER_COLUMNS) ?? (at.has('評価の理由') ? undefined : find(OLD_ANSWER_COLUMNS));
}

/** A refusal of the zod schema as said in the workbook: the 評価の理由 column by name. */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.path[0] === 'entries' && issue.path[2] === 'reason' && issue.code === 'too_big')
    return `「評価の理由」は${String(issue.maximum)}文字以内で入力してください`;
  return issue.message;
}

/** One line of the 回答 sheet against the record it names: the answer to save, or why it cannot be taken. */
function readAnswerLine(
  row: string[],
  line: number,
  layout: AnswerLayout,
  byId: Map<number, SheetItem>,
  sheet: Sheet,
  problems: Problem[],
): { id: number; input: RecordSaveInput; downloaded: number } | undefined {
  const col = (key: AnswerKey) => {
    const at = layout.get(key);
    return at === undefined ? undefined : row[at];
  };
  const problem = (message: string): undefined => {
    problems.push({ sheet: ANSWERS, line, message });
    return undefined;
  };
  const id = Number(col('id'));
  const item = byId.get(id);
  if (!item) return problem(`回答ID「${col('id')}」はこの課・この照会の回答ではありません`);
  // The version downloaded: a line changed on screen since is merged with the answer as it is now (reconcileStale).
  const version = Number(col('version'));
  const grade = (col('grade') ?? '').trim() || null;
  const slot = workbookSlot(sheet);
  if (grade && !workbookCodes(sheet).some((g) => g.code === grade))
    return problem(`事業${item.project.number}: 評価「${grade}」は選べません`);
  // The comment given on the screen stays as it is: the workbook has no column for it. A file downloaded before
  // the 評価の理由 column keeps the reason as stored too.
  const entry = slot && storedEntry(slot, item);
  const reason = layout.has('gradeReason') ? (col('gradeReason') ?? '') : entry?.reason;
  const parsed = recordSaveInput.safeParse({
    version,
    planText: col('planText') ?? '',
    resultText: col('resultText') ?? '',
    entries: entry ? [{ ...entry, code: grade, reason }] : [],
    remarks: col('remarks') ?? '',
    nextYearPlan: col('nextYearPlan') ?? '',
    sameAsDepartmentId: item.record.sameAsDepartmentId,
    actuals: item.record.actuals.map((a) => ({
      indicatorId: a.indicatorId,
      text: a.text,
      status: a.status,
      reason: a.reason,
      parts: a.parts.map((p) => ({ label: p.label, text: p.text })),
    })),
  });
  if (!parsed.success) return problem(`事業${item.project.number}: ${issueMessage(parsed.error.issues[0]!)}`);
  return { id, input: parsed.data, downloaded: version };
}

/** One line of the 活動指標 sheet: the indicator's actual put into its record's answer, or why it cannot be. */
function readIndicatorLine(
  row: string[],
  line: number,
  byId: Map<number, SheetItem>,
  inputs: Map<number, RecordSaveInput>,
  problems: Problem[],
): void {
  const problem = (message: string) => void problems.push({ sheet: INDICATORS, line, message });
  const recordId = Number(row[0]);
  const indicatorId = Number(row[1]);
  const item = byId.get(recordId);
  const input = inputs.get(recordId);
  const indicator = item?.indicators.find((x) => x.id === indicatorId);
  if (!item || !indicator) return problem('回答IDまたは指標IDがこの課の回答のものではありません');
  const statusLabel = (row[7] ?? '').trim();
  const status = statusLabel ? (STATUS_BY_LABEL.get(statusLabel) ?? null) : null;
  if (statusLabel && !status) return problem(`実施状況「${statusLabel}」は選べません`);
  // The workbook carries values, not grade overrides: a line's override stays as it was (entries not sent are
  // kept); nor the actual's breakdown (内訳), which stays as stored.
  const stored = input?.actuals.find((a) => a.indicatorId === indicatorId);
  const actual: ActualInput = {
    indicatorId,
    text: (row[6] ?? '').trim(),
    status,
    reason: (row[8] ?? '').trim(),
    parts: stored?.parts ?? [],
  };
  const read = readActual(actual, indicator.kind, indicator.unit);
  if (read.error) return problem(`事業${item.project.number}「${indicator.name}」: ${read.error}`);
  // The text as it will be stored (「8」 → 「8回」), so that the preview shows what a save keeps.
  actual.text = read.text;
  // A line of an answer refused above is still checked (its problems are all shown at once), not taken.
  if (input) input.actuals = [...input.actuals.filter((a) => a.indicatorId !== indicatorId), actual];
}

const isBlank = (row: string[]) => row.every((c) => c.trim() === '');

/** The answers a filled-in workbook gives, by record id, and the lines that cannot be taken. */
export function readUpload(
  sheet: Sheet,
  answers: Table,
  indicatorRows: Table,
): {
  inputs: Map<number, RecordSaveInput>;
  problems: Problem[];
  /** the version each line was downloaded at, and its line */
  downloaded: Map<number, { version: number; line: number }>;
} {
  const byId = new Map(sheet.items.map((i) => [i.record.id, i]));
  const problems: Problem[] = [];
  const inputs = new Map<number, RecordSaveInput>();
  const downloaded = new Map<number, { version: number; line: number }>();
  const layout = answerLayout(answers[0]);
  // Not the columns of a file downloaded here (now or before 評価の理由 was added): one message, nothing read.
  if (!layout)
    return {
      inputs,
      problems: [
        {
          sheet: ANSWERS,
          line: 1,
          message:
            '1行目の見出しが、この画面からダウンロードした回答ファイルのものと違うため読み込めません。列を追加・削除・変更していないか確かめ、この画面からもう一度ダウンロードしたファイルに入力してください',
        },
      ],
      downloaded,
    };
  const idAt = layout.get('id')!;
  const lines = answers.slice(1).flatMap((row, i) => (isBlank(row) ? [] : [{ row, line: i + 2 }]));
  // A file none of whose lines is this sheet's: one message saying so, not one per line.
  if (lines.length && lines.every(({ row }) => !byId.has(Number(row[idAt]))))
    return {
      inputs,
      problems: [
        {
          sheet: ANSWERS,
          line: lines[0]!.line,
          message: `このファイルは${sheet.department.name}の${fiscalYearLabel(sheet.round.fiscalYear)}の照会の回答ファイルではありません。この画面からダウンロードしたファイルを使ってください`,
        },
      ],
      downloaded,
    };
  for (const { row, line } of lines) {
    const read = readAnswerLine(row, line, layout, byId, sheet, problems);
    if (!read) continue;
    inputs.set(read.id, read.input);
    downloaded.set(read.id, { version: read.downloaded, line });
  }
  indicatorRows.slice(1).forEach((row, i) => {
    if (!isBlank(row)) readIndicatorLine(row, i + 2, byId, inputs, problems);
  });
  return { inputs, problems, downloaded };
}

/**
 * Lines changed on screen since their download (their answer's version moved), each merged with what the
 * answer holds now (`mergeStale`), given the answer's state at the version downloaded where its history has it.
 */
export function reconcileStale(
  sheet: Sheet,
  read: ReturnType<typeof readUpload>,
  stateAt: Map<number, Record<string, unknown>>,
): void {
  const byId = new Map(sheet.items.map((i) => [i.record.id, i]));
  for (const [id, { version, line }] of read.downloaded) {
    const item = byId.get(id)!;
    const input = read.inputs.get(id);
    if (!input || version === item.record.version) continue;
    const state = stateAt.get(id);
    const merged = mergeStale(sheet, item, input, state && snapshotFields(sheet, item.project.id, state));
    read.inputs.delete(id);
    if (merged.input) read.inputs.set(id, merged.input);
    if (merged.conflicts.length)
      read.problems.push({
        sheet: ANSWERS,
        line,
        message: `事業${item.project.number}: ダウンロードの後に画面で更新されています（版 ${version} → ${item.record.version}）。${merged.conflicts.join('、')}です。どちらにするか確かめて、画面かファイルを直してください`,
      });
  }
}

/** The workbook's fields of an answer, as text to compare: texts, the grade and its reason, each actual. */
function fieldsOf(sheet: Sheet, a: WorkbookFields): Map<string, string> {
  const out = new Map<string, string>(TEXT_FIELDS.map(([field]) => [field, show(a[field])]));
  const slot = workbookSlot(sheet);
  if (slot) {
    out.set(`entries.${slot.key}`, show(a.grade));
    out.set(`entries.${slot.key}.reason`, a.reason);
  }
  for (const [id, x] of a.actuals) out.set(`actuals.${id}`, describe(x));
  return out;
}

interface WorkbookFields {
  planText: string;
  resultText: string;
  remarks: string;
  nextYearPlan: string;
  grade: string | null;
  /** the reason given with the grade */
  reason: string;
  actuals: Map<number, { text: string; status: ActualStatus | null; reason: string }>;
}

const actualMap = (list: { indicatorId: number; text: string; status: ActualStatus | null; reason: string }[]) =>
  new Map(list.map((a) => [a.indicatorId, { text: a.text, status: a.status, reason: a.reason }]));

/** What the file says of an answer. */
const fileFields = (input: RecordSaveInput): WorkbookFields => ({
  ...input,
  grade: input.entries[0]?.code ?? null,
  reason: input.entries[0]?.reason ?? '',
  actuals: actualMap(input.actuals),
});

/** What the answer holds now. */
const currentFields = (sheet: Sheet, r: RecordDto): WorkbookFields => ({
  ...r,
  grade: workbookGrade(sheet, r),
  reason: workbookReason(sheet, r),
  actuals: actualMap(r.actuals),
});

/** The parts of a history snapshot the workbook compares (records.repository.ts `snapshot` writes them). */
const snapshotParts = z.object({
  planText: z.string().catch(''),
  resultText: z.string().catch(''),
  remarks: z.string().catch(''),
  nextYearPlan: z.string().catch(''),
  entries: z
    .record(z.string(), z.object({ code: z.string().nullable().catch(null), reason: z.string().catch('') }).loose())
    .catch({}),
  actuals: z
    .record(
      z.string(),
      z.object({
        text: z.string().catch(''),
        status: z.enum(ACTUAL_STATUSES).nullable().catch(null),
        reason: z.string().catch(''),
      }),
    )
    .catch({}),
});

/** The answer as it was at a version, from its history's snapshot. */
function snapshotFields(sheet: Sheet, projectId: number, snapshot: Record<string, unknown>): WorkbookFields {
  const s = snapshotParts.parse(snapshot);
  const slot = workbookSlot(sheet);
  const entry = slot && s.entries[`${slot.key}.record.${projectId}`];
  return {
    ...s,
    grade: entry?.code ?? null,
    reason: entry?.reason ?? '',
    actuals: new Map(Object.entries(s.actuals).map(([id, a]) => [Number(id), a])),
  };
}

/**
 * A line changed on screen since its download, merged field by field: what the file changed (from the
 * download) goes over what the answer holds now, what the screen changed stays; a field changed on both
 * sides to different values is a conflict, named with both. Without the download's state (no snapshot),
 * every field the file holds differently from now is one. Returns the input to save (at the answer's
 * version now), none when nothing would change, or the conflicts.
 */
function mergeStale(
  sheet: Sheet,
  item: SheetItem,
  input: RecordSaveInput,
  downloadedState: WorkbookFields | undefined,
): { input?: RecordSaveInput; conflicts: string[] } {
  const file = fieldsOf(sheet, fileFields(input));
  const now = fieldsOf(sheet, currentFields(sheet, item.record));
  const then = downloadedState ? fieldsOf(sheet, downloadedState) : now;
  const conflicts: string[] = [];
  const taken = new Set<string>();
  for (const [field, f] of file) {
    const c = now.get(field) ?? '';
    const d = then.get(field) ?? '';
    if (f === c || (downloadedState && f === d)) continue;
    if (downloadedState && c === d) taken.add(field);
    else conflicts.push(`「${labelOf(item, field)}」は画面では「${c}」、ファイルでは「${f}」`);
  }
  if (conflicts.length || taken.size === 0) return { conflicts };
  const r = item.record;
  const pick = <T>(field: string, fromFile: T, fromNow: T) => (taken.has(field) ? fromFile : fromNow);
  const slot = workbookSlot(sheet);
  return {
    conflicts,
    input: {
      ...input,
      version: r.version,
      planText: pick('planText', input.planText, r.planText),
      resultText: pick('resultText', input.resultText, r.resultText),
      remarks: pick('remarks', input.remarks, r.remarks),
      nextYearPlan: pick('nextYearPlan', input.nextYearPlan, r.nextYearPlan),
      // The grade and reason the screen holds are sent as stored (a no-op) where the file did not change them.
      entries: slot
        ? [
            {
              ...storedEntry(slot, item),
              code: pick(`entries.${slot.key}`, input.entries[0]?.code ?? null, workbookGrade(sheet, r)),
              reason: pick(`entries.${slot.key}.reason`, input.entries[0]?.reason ?? '', workbookReason(sheet, r)),
            },
          ]
        : [],
      actuals: input.actuals.filter((a) => taken.has(`actuals.${a.indicatorId}`)),
    },
  };
}

function labelOf(item: SheetItem, field: string): string {
  const text = TEXT_FIELDS.find(([f]) => f === field);
  if (text) return text[1];
  if (field.startsWith('actuals.'))
    return `実績「${item.indicators.find((x) => `actuals.${x.id}` === field)?.name ?? ''}」`;
  // The workbook's column names: the slot's grade and its reason.
  return field.endsWith('.reason') ? '評価の理由' : '評価';
}

const show = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const describe = (x: { text: string; status: ActualStatus | null; reason: string } | undefined) =>
  x
    ? [x.text, x.status ? ACTUAL_STATUS_LABELS[x.status] : '', x.reason ? `（理由: ${x.reason}）` : '']
        .filter(Boolean)
        .join(' ')
    : '';
const TEXT_FIELDS = [
  ['planText', '事業予定'],
  ['resultText', '実績・取組状況'],
  ['remarks', '備考'],
  ['nextYearPlan', '翌年度予定'],
] as const;

/** What saving one answer would change: its texts, grade and the grade's reason, then each indicator's actual. */
function changesOf(sheet: Sheet, item: SheetItem, input: RecordSaveInput): UploadCheck['changes'] {
  const r: RecordDto = item.record;
  const recordId = r.id;
  const project = `事業${item.project.number} ${item.project.name}`;
  const changes: UploadCheck['changes'] = [];
  for (const [field, label] of TEXT_FIELDS)
    if (show(r[field]) !== show(input[field]))
      changes.push({ recordId, project, field, label, before: show(r[field]), after: show(input[field]) });
  const slot = workbookSlot(sheet);
  const grade = { before: show(workbookGrade(sheet, r)), after: show(input.entries[0]?.code) };
  if (slot && grade.before !== grade.after)
    changes.push({ recordId, project, field: `entries.${slot.key}`, label: slot.name, ...grade });
  const reason = { before: workbookReason(sheet, r), after: input.entries[0]?.reason ?? '' };
  if (slot && reason.before !== reason.after)
    changes.push({ recordId, project, field: `entries.${slot.key}.reason`, label: `${slot.name}の理由`, ...reason });
  for (const a of input.actuals) {
    const before = r.actuals.find((x) => x.indicatorId === a.indicatorId);
    if (describe(before) !== describe(a))
      changes.push({
        recordId,
        project,
        field: `actuals.${a.indicatorId}`,
        label: `実績「${item.indicators.find((x) => x.id === a.indicatorId)?.name}」`,
        before: describe(before),
        after: describe(a),
      });
  }
  return changes;
}

/** What saving the read answers would change, answer by answer in the order read. */
export function uploadChanges(sheet: Sheet, inputs: Map<number, RecordSaveInput>): UploadCheck['changes'] {
  const byId = new Map(sheet.items.map((i) => [i.record.id, i]));
  return [...inputs].flatMap(([id, input]) => changesOf(sheet, byId.get(id)!, input));
}
