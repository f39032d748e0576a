import type { FieldChange, RecordDto } from '../../../domain/api-types.js';
import { readActual, recordSaveInput } from '../../../domain/cycle.js';
import { fiscalYearLabel } from '../../../domain/fiscal-year.js';
import { ACTUAL_STATUSES, ACTUAL_STATUS_LABELS, type ActualStatus } from '../../../domain/values.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/errors.js';
import { audit } from '../audit/audit.js';
import { type Actor, assertCanWriteDepartment } from '../auth/actor.js';
import { saveRecordIn } from '../records/records.service.js';
import { departmentSheet } from '../rounds/rounds.service.js';
import { readXlsx } from './readers.js';

const ANSWERS = '回答';
const INDICATORS = '活動指標';
const ANSWER_COLUMNS = [
  { header: '回答ID（変更しないでください）', key: 'id', width: 12, locked: true },
  { header: '版', key: 'version', width: 6, locked: true },
  { header: '事業番号', key: 'number', width: 8, locked: true },
  { header: '事業名', key: 'name', width: 28, locked: true },
  { header: '状態', key: 'status', width: 8, locked: true },
  { header: '事業予定', key: 'planText', width: 40, locked: false },
  { header: '実績・取組状況', key: 'resultText', width: 50, locked: false },
  { header: '評価', key: 'grade', width: 8, locked: false },
  { header: '備考', key: 'remarks', width: 24, locked: false },
  { header: '翌年度予定', key: 'nextYearPlan', width: 40, locked: false },
] as const;
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

/** The department's sheet as an .xlsx to fill in offline: ids locked, grades and statuses as drop-downs. */
export async function departmentWorkbook(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  roundId: number,
  departmentId: number,
): Promise<{ name: string; buffer: Buffer }> {
  assertCanWriteDepartment(actor, municipalityId, departmentId);
  const sheet = await departmentSheet(ctx, actor, municipalityId, roundId, departmentId);
  // exceljs is loaded when first used: the server starts without it.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Shinchoku';
  const title = `${sheet.round.planTitle} ${fiscalYearLabel(sheet.round.fiscalYear)} ${sheet.department.name} 回答シート`;

  const guide = wb.addWorksheet('記入方法');
  guide.getColumn(1).width = 100;
  for (const line of [
    title,
    '',
    `回答期限: ${sheet.round.deadline}`,
    sheet.round.instructions ? `記入要領: ${sheet.round.instructions}` : '',
    '',
    '1. 「回答」シートの白い欄（事業予定・実績・評価・備考・翌年度予定）に入力してください。',
    '2. 「活動指標」シートの「今年度の実績」に数値を入力してください。実施しなかった場合は「実施状況」を選んでください。',
    '3. 灰色の欄（回答ID・版・事業番号・事業名）は変更しないでください。',
    '4. 入力が終わったら、進捗管理システムの回答シート画面から、このファイルをアップロードしてください。',
    '   アップロードすると、変更点を確認してから反映できます。画面で先に更新された回答は反映されません。',
    '',
    `評価の基準: ${sheet.gradeOptions.map((g) => `${g.code} ${g.label}`).join(' ／ ')}`,
  ])
    guide.addRow([line]);
  guide.getRow(1).font = { bold: true, size: 14 };

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
      status: { not_started: '未着手', draft: '入力中', submitted: '提出済', returned: '差戻し', approved: '確定' }[
        item.record.status
      ],
      planText: item.record.planText,
      resultText: item.record.resultText,
      grade: item.record.grade ?? '',
      remarks: item.record.remarks,
      nextYearPlan: item.record.nextYearPlan,
    });
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
  const grades = `"${sheet.gradeOptions.map((g) => g.code).join(',')}"`;
  const statuses = `"${ACTUAL_STATUSES.map((s) => ACTUAL_STATUS_LABELS[s]).join(',')}"`;
  for (const [ws, columns] of [
    [answers, ANSWER_COLUMNS],
    [indicators, INDICATOR_COLUMNS],
  ] as const) {
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8F1FE' } };
    ws.eachRow((row, r) => {
      if (r === 1) return;
      columns.forEach((c, i) => {
        const cell = row.getCell(i + 1);
        cell.alignment = { wrapText: true, vertical: 'top' };
        cell.protection = { locked: c.locked };
        if (c.locked) cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
        if (ws === answers && c.key === 'grade')
          cell.dataValidation = {
            type: 'list',
            allowBlank: true,
            formulae: [grades],
            showErrorMessage: true,
            errorTitle: '評価',
            error: `評価は ${grades.replace(/"/g, '')} から選んでください`,
          };
        if (ws === indicators && c.key === 'status')
          cell.dataValidation = { type: 'list', allowBlank: true, formulae: [statuses] };
      });
    });
    await ws.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true });
  }
  return {
    name: `${sheet.department.name}_${sheet.round.fiscalYear}_回答シート.xlsx`,
    buffer: Buffer.from(await wb.xlsx.writeBuffer()),
  };
}

export interface UploadCheck {
  changes: (FieldChange & { recordId: number; project: string })[];
  problems: { sheet: string; line: number; message: string }[];
}

/**
 * Reads a filled-in department workbook against the current answers: what would change, and what
 * cannot be taken (rows of other departments, answers changed on screen since the download, values
 * that do not read). With `apply`, the changes are saved through the sheet's own rules, all or none.
 */
export async function uploadDepartmentWorkbook(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  roundId: number,
  departmentId: number,
  file: Buffer,
  apply: boolean,
): Promise<UploadCheck & { saved: number }> {
  assertCanWriteDepartment(actor, municipalityId, departmentId);
  const sheet = await departmentSheet(ctx, actor, municipalityId, roundId, departmentId);
  // Read in a worker thread, bounded in memory and time (see parse-pool.ts).
  const { sheets } = ctx.parsePool ? await ctx.parsePool.run({ op: 'workbook', file }) : await readXlsx(file);
  const answers = sheets.find((s) => s.name === ANSWERS);
  if (!answers)
    throw new AppError(
      'VALIDATION',
      `「${ANSWERS}」シートがありません。この画面からダウンロードしたファイルを使ってください`,
    );
  const indicatorRows = sheets.find((s) => s.name === INDICATORS)?.table ?? [];
  const byId = new Map(sheet.items.map((i) => [i.record.id, i]));
  const problems: UploadCheck['problems'] = [];
  const changes: UploadCheck['changes'] = [];
  const inputs = new Map<number, ReturnType<typeof recordSaveInput.parse>>();

  const col = (key: string) => ANSWER_COLUMNS.findIndex((c) => c.key === key);
  answers.table.slice(1).forEach((row, i) => {
    const line = i + 2;
    if (row.every((c) => c.trim() === '')) return;
    const id = Number(row[col('id')]);
    const item = byId.get(id);
    if (!item)
      return problems.push({
        sheet: ANSWERS,
        line,
        message: `回答ID「${row[col('id')]}」はこの課・この照会の回答ではありません`,
      });
    const version = Number(row[col('version')]);
    if (version !== item.record.version)
      return problems.push({
        sheet: ANSWERS,
        line,
        message: `事業${item.project.number}: ダウンロードの後に画面で更新されています（版 ${version} → ${item.record.version}）。もう一度ダウンロードしてください`,
      });
    const grade = (row[col('grade')] ?? '').trim() || null;
    if (grade && !sheet.gradeOptions.some((g) => g.code === grade))
      problems.push({ sheet: ANSWERS, line, message: `事業${item.project.number}: 評価「${grade}」は選べません` });
    const parsed = recordSaveInput.safeParse({
      version,
      planText: row[col('planText')] ?? '',
      resultText: row[col('resultText')] ?? '',
      grade,
      remarks: row[col('remarks')] ?? '',
      nextYearPlan: row[col('nextYearPlan')] ?? '',
      sameAsDepartmentId: item.record.sameAsDepartmentId,
      actuals: item.record.actuals.map((a) => ({
        indicatorId: a.indicatorId,
        text: a.text,
        status: a.status,
        reason: a.reason,
        parts: a.parts.map((p) => ({ label: p.label, text: p.text })),
      })),
    });
    if (!parsed.success)
      return problems.push({
        sheet: ANSWERS,
        line,
        message: `事業${item.project.number}: ${parsed.error.issues[0]!.message}`,
      });
    inputs.set(id, parsed.data);
  });
  indicatorRows.slice(1).forEach((row, i) => {
    const line = i + 2;
    if (row.every((c) => c.trim() === '')) return;
    const recordId = Number(row[0]);
    const indicatorId = Number(row[1]);
    const item = byId.get(recordId);
    const input = inputs.get(recordId);
    const indicator = item?.indicators.find((x) => x.id === indicatorId);
    if (!item || !indicator)
      return problems.push({
        sheet: INDICATORS,
        line,
        message: '回答IDまたは指標IDがこの課の回答のものではありません',
      });
    if (!input) return;
    const statusLabel = (row[7] ?? '').trim();
    const status = statusLabel ? (STATUS_BY_LABEL.get(statusLabel) ?? null) : null;
    if (statusLabel && !status)
      return problems.push({ sheet: INDICATORS, line, message: `実施状況「${statusLabel}」は選べません` });
    // The workbook carries values, not grade overrides: a line's override stays as it was.
    const kept = item.record.actuals.find((a) => a.indicatorId === indicatorId);
    const actual = {
      indicatorId,
      text: (row[6] ?? '').trim(),
      status: status,
      reason: (row[8] ?? '').trim(),
      parts: [] as { label: string; text: string }[],
      grade: kept?.grade ?? null,
      gradeReason: kept?.gradeReason ?? '',
    };
    const read = readActual(actual, indicator.kind);
    if (read.error)
      return problems.push({
        sheet: INDICATORS,
        line,
        message: `事業${item.project.number}「${indicator.name}」: ${read.error}`,
      });
    input.actuals = [...input.actuals.filter((a) => a.indicatorId !== indicatorId), actual];
  });

  const show = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  for (const [id, input] of inputs) {
    const item = byId.get(id)!;
    const r: RecordDto = item.record;
    const project = `事業${item.project.number} ${item.project.name}`;
    for (const [field, label] of [
      ['planText', '事業予定'],
      ['resultText', '実績・取組状況'],
      ['grade', '評価'],
      ['remarks', '備考'],
      ['nextYearPlan', '翌年度予定'],
    ] as const)
      if (show(r[field]) !== show(input[field]))
        changes.push({ recordId: id, project, field, label, before: show(r[field]), after: show(input[field]) });
    for (const a of input.actuals) {
      const before = r.actuals.find((x) => x.indicatorId === a.indicatorId);
      const describe = (x: { text: string; status: string | null } | undefined) =>
        x ? [x.text, x.status ? ACTUAL_STATUS_LABELS[x.status as ActualStatus] : ''].filter(Boolean).join(' ') : '';
      if (describe(before) !== describe(a))
        changes.push({
          recordId: id,
          project,
          field: `actuals.${a.indicatorId}`,
          label: `実績「${item.indicators.find((x) => x.id === a.indicatorId)?.name}」`,
          before: describe(before),
          after: describe(a),
        });
    }
  }
  if (!apply) return { changes, problems, saved: 0 };
  if (problems.length)
    throw new AppError(
      'VALIDATION',
      `取り込めない行があります: ${problems
        .slice(0, 5)
        .map((p) => `${p.sheet} ${p.line}行目 ${p.message}`)
        .join(' / ')}`,
    );
  const changed = [...new Set(changes.map((c) => c.recordId))];
  await ctx.db.transaction().execute(async (tx) => {
    for (const id of changed) await saveRecordIn(tx, actor, municipalityId, id, inputs.get(id)!);
    await audit(tx, actor, {
      municipalityId,
      action: 'upload',
      entity: 'survey_round',
      entityId: roundId,
      detail: { departmentId, records: changed.length },
    });
  });
  return { changes, problems, saved: changed.length };
}
