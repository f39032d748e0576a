import type { z } from 'zod';
import type { ImportFixes } from '../../../domain/import/fixes.js';
import type { ImportMapping } from '../../../domain/import/mapping.js';
import { readImport, type ReadOptions, type ReadResult } from '../../../domain/import/read.js';
import type { sourceSchema } from '../../../domain/import/schemas.js';
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

export type ParseJob =
  | { op: 'source'; source: Source }
  | {
      op: 'build';
      source: Source;
      fixes: ImportFixes;
      autoRepair: boolean;
      mapping: ImportMapping;
      known: string[];
      /** the municipality's 団体コード */
      municipalityCode: string;
    }
  | { op: 'workbook'; file: Uint8Array };

export interface SourceTable {
  table: Table;
  sheets?: string[];
  encoding?: string;
}

export type ParseResult<J extends ParseJob> = J extends { op: 'source' }
  ? SourceTable
  : J extends { op: 'build' }
    ? SourceTable & ReadResult
    : Workbook;

export async function sourceTable(source: Source): Promise<SourceTable> {
  if (source.kind === 'paste') return { table: boundedRows(() => parseTsv(source.text, LIMITS.rows)) };
  return tableFromFile(source.name, Buffer.from(source.base64, 'base64'), source.sheet);
}

/**
 * Reads a table for import (readImport), the one reading shared by the preview, the commit and the
 * command line. A department the municipality does not have is a name to register (`names`, kind
 * 'new'), never a flag on its line: where the reading still flags it, the flag becomes the entry here.
 */
export function readForImport(table: Table, mapping: ImportMapping, options: ReadOptions): ReadResult {
  let read: ReadResult;
  try {
    read = readImport(table, mapping, options);
  } catch (e) {
    throw new AppError('VALIDATION', e instanceof Error ? e.message : String(e));
  }
  return read;
}

export async function runParseJob(job: ParseJob): Promise<unknown> {
  switch (job.op) {
    case 'source':
      return sourceTable(job.source);
    case 'build': {
      const { table, sheets, encoding } = await sourceTable(job.source);
      const read = readForImport(table, job.mapping, {
        known: job.known,
        fixes: job.fixes,
        autoRepair: job.autoRepair,
        municipalityCode: job.municipalityCode,
      });
      return { ...read, sheets, encoding };
    }
    case 'workbook':
      return readXlsx(Buffer.from(job.file.buffer, job.file.byteOffset, job.file.byteLength));
  }
}
