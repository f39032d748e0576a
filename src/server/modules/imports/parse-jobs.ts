import type { z } from 'zod';
import { applyFixes, mapTable, type ImportMapping, type ImportRow } from '../../../domain/import/mapping.js';
import type { previewInput, sourceSchema } from '../../../domain/import/schemas.js';
import { parseTsv, type Table } from '../../../domain/import/table.js';
import { AppError } from '../../http/errors.js';
import { boundedRows, LIMITS, readXlsx, type Workbook } from './readers.js';
import { tableFromFile } from './sources.js';

/**
 * The work an upload or a paste costs: reading it into a table and mapping the table. It runs in a
 * worker thread (parse-pool.ts) with a memory cap and a time limit, so that a hostile file costs
 * that worker and never the server; these functions are that worker's whole job.
 */

export type Source = z.output<typeof sourceSchema>;
type Corrections = Pick<z.output<typeof previewInput>, 'fixes' | 'edits'>;

export type ParseJob =
  | { op: 'source'; source: Source }
  | { op: 'build'; source: Source; corrections: Corrections; mapping: ImportMapping; known: string[] }
  | { op: 'workbook'; file: Uint8Array };

export interface SourceTable {
  table: Table;
  sheets?: string[];
  encoding?: string;
}

export type ParseResult<J extends ParseJob> = J extends { op: 'source' }
  ? SourceTable
  : J extends { op: 'build' }
    ? SourceTable & { rows: ImportRow[] }
    : Workbook;

export async function sourceTable(source: Source): Promise<SourceTable> {
  if (source.kind === 'paste') return { table: boundedRows(() => parseTsv(source.text, LIMITS.rows)) };
  return tableFromFile(source.name, Buffer.from(source.base64, 'base64'), source.sheet);
}

/** The source as the user has corrected it in the preview: fixes, then typed cells. */
export function corrected(table: Table, c: Corrections): Table {
  const fixed = applyFixes(table, c.fixes).map((row) => [...row]);
  for (const e of c.edits) {
    const row = fixed[e.line - 1];
    if (!row) throw new AppError('VALIDATION', `${e.line}行目はありません`);
    while (row.length <= e.column) row.push('');
    row[e.column] = e.value;
  }
  return fixed;
}

export async function runParseJob(job: ParseJob): Promise<unknown> {
  switch (job.op) {
    case 'source':
      return sourceTable(job.source);
    case 'build': {
      const { table, sheets, encoding } = await sourceTable(job.source);
      const fixed = corrected(table, job.corrections);
      let rows: ImportRow[];
      try {
        rows = mapTable(fixed, job.mapping, job.known);
      } catch (e) {
        throw new AppError('VALIDATION', e instanceof Error ? e.message : String(e));
      }
      return { table: fixed, sheets, encoding, rows };
    }
    case 'workbook':
      return readXlsx(Buffer.from(job.file.buffer, job.file.byteOffset, job.file.byteLength));
  }
}
