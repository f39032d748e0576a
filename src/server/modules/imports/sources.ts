import path from 'node:path';
import type { Table } from '../../../domain/import/table.js';
import { AppError } from '../../http/errors.js';
import { readDelimited, readXlsx } from './readers.js';

/** A file as a table: .xlsx (a sheet by name or the first), .csv, or .tsv/.txt (tab or comma, detected). */
export async function tableFromFile(
  name: string,
  buf: Buffer,
  sheet?: string,
): Promise<{ table: Table; sheets?: string[]; encoding?: string }> {
  const ext = path.extname(name).toLowerCase();
  if (ext === '.xlsx') {
    const wb = await readXlsx(buf);
    const chosen = sheet === undefined ? wb.sheets[0] : wb.sheets.find((s) => s.name === sheet);
    if (!chosen)
      throw new AppError('VALIDATION', sheet === undefined ? 'シートがありません' : `シート「${sheet}」がありません`);
    return { table: chosen.table, sheets: wb.sheets.map((s) => s.name) };
  }
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') {
    const r = readDelimited(buf);
    return { table: r.table, encoding: r.encoding };
  }
  throw new AppError(
    'VALIDATION',
    `この形式のファイルは取り込めません（${ext || '拡張子なし'}）。.xlsx、.csv、.tsv、.txt を選んでください`,
  );
}
