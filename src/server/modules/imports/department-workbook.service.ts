import type { AppContext } from '../../context.js';
import { AppError } from '../../http/errors.js';
import { eraYearLabel } from '../../../domain/fiscal-year.js';
import { audit } from '../audit/index.js';
import { type Actor, assertCanWriteDepartment } from '../auth/index.js';
import { saveRecordIn } from '../records/index.js';
import { departmentSheet } from '../rounds/index.js';
import {
  ANSWERS,
  INDICATORS,
  readUpload,
  reconcileStale,
  uploadChanges,
  writeDepartmentWorkbook,
  type UploadCheck,
} from './department-workbook.js';
import * as repo from './imports.repository.js';
import { readXlsx } from './readers.js';

export type { UploadCheck } from './department-workbook.js';

/** The department's sheet as an .xlsx to fill in offline (see department-workbook.ts); the download is audited. */
export async function departmentWorkbook(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  roundId: number,
  departmentId: number,
): Promise<{ name: string; buffer: Buffer }> {
  assertCanWriteDepartment(actor, municipalityId, departmentId);
  const sheet = await departmentSheet(ctx, actor, municipalityId, roundId, departmentId);
  const buffer = await writeDepartmentWorkbook(sheet);
  await audit(ctx.db, actor, {
    municipalityId,
    action: 'export',
    entity: 'department_workbook',
    entityId: roundId,
    detail: { departmentId },
  });
  return { name: `${sheet.department.name}_${eraYearLabel(sheet.round.fiscalYear)}_回答シート.xlsx`, buffer };
}

/**
 * Reads a filled-in department workbook against the current answers: what would change, and what
 * cannot be taken (rows of other departments, a field changed both on screen since the download and in
 * the file, values that do not read); a line changed on screen since is merged field by field. With
 * `apply`, the changes are saved through the sheet's own rules, all or none.
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
  const read = readUpload(sheet, answers.table, indicatorRows);
  // Lines changed on screen since the download are merged with the answer's state at that download.
  const stateAt = new Map<number, Record<string, unknown>>();
  for (const [id, { version }] of read.downloaded) {
    const item = sheet.items.find((i) => i.record.id === id);
    if (!item || item.record.version === version) continue;
    const state = await repo.recordStateAt(ctx.db, id, version);
    if (state) stateAt.set(id, state);
  }
  reconcileStale(sheet, read, stateAt);
  const { inputs, problems } = read;
  const changes = uploadChanges(sheet, inputs);
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
    for (const id of changed)
      try {
        await saveRecordIn(tx, actor, municipalityId, id, inputs.get(id)!);
      } catch (e) {
        // Nothing is kept (the transaction rolls back); the refusal names the project it is about.
        const item = sheet.items.find((i) => i.record.id === id);
        if (e instanceof AppError && item)
          throw new AppError(e.code, `事業${item.project.number}「${item.project.name}」: ${e.message}`, e.details);
        throw e;
      }
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
