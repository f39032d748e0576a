/**
 * Importing a 10,000-row .xlsx: a dry run (read, map, check) and a commit into an empty plan, next
 * to a bare exceljs read of the same file in the same run.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { ImportMapping } from '../src/domain/import/mapping.js';
import { summarise } from '../src/domain/import/mapping.js';
import { readImport } from '../src/domain/import/read.js';
import { loadConfig } from '../src/server/config.js';
import { migrateToLatest, openDatabase } from '../src/server/db/db.js';
import { now } from '../src/server/db/util.js';
import { benchAdmin } from './fixtures.js';
import { commitImport } from '../src/server/modules/imports/index.js';
import { readXlsx } from '../src/server/modules/imports/readers.js';

const ROWS = 10_000;
const DEPARTMENTS = 60;

const MAPPING: ImportMapping = {
  name: 'bench',
  label: 'bench',
  headerWords: ['基本目標', '施策', '番号', '事業名', '担当課'],
  extraHeaderRows: 0,
  levels: [
    { name: '基本目標', column: 0 },
    { name: '施策', column: 1 },
  ],
  columns: {
    projectNumber: 2,
    projectName: 3,
    department: 4,
    grade: 5,
    planText: 6,
    resultText: 7,
    indicator: 8,
    target: 9,
    actual: 10,
    remarks: 11,
  },
  numberInName: false,
};

const KNOWN = Array.from({ length: DEPARTMENTS }, (_, i) => `推進${i}課`);

async function writeFile(file: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('事業一覧');
  ws.addRow([
    '基本目標',
    '施策',
    '番号',
    '事業名',
    '担当課',
    '評価',
    '事業予定',
    '実績',
    '活動指標',
    '目標',
    '実績値',
    '備考',
  ]);
  for (let i = 1; i <= ROWS; i++) {
    const goal = Math.ceil(i / 1000);
    const measure = Math.ceil(i / 20);
    // One line in a hundred slipped one column right, as a PDF's extraction leaves them: auto-repair's work.
    ws.addRow([
      ...(i % 100 === 50 ? [''] : []),
      i % 1000 === 1 ? `${'ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ'[goal - 1]} 基本目標${goal}` : '',
      i % 20 === 1 ? `(${measure}) 施策${measure}` : '',
      i,
      `事業${i} 男女共同参画の推進に関する取組`,
      `推進${i % DEPARTMENTS}課`,
      'ABCD'[i % 4],
      '講座を開催し、参加者アンケートを実施する。',
      '講座を年4回開催した。延べ120人が参加した。',
      '講座の開催回数',
      '4回',
      `${i % 7}回`,
      '',
    ]);
  }
  await wb.xlsx.writeFile(file);
}

/** exceljs loads the workbook and every cell is visited once: the floor an import cannot go under. */
async function bareRead(buf: Buffer): Promise<{ ms: number; cells: number }> {
  const t = performance.now();
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  let cells = 0;
  wb.worksheets[0]!.eachRow((row) => row.eachCell(() => void cells++));
  return { ms: performance.now() - t, cells };
}

/** The preview: the file read and mapped, nothing written. */
async function dryRun(buf: Buffer) {
  const t = performance.now();
  const dry = await readXlsx(buf);
  const read = readImport(dry.sheets[0]!.table, MAPPING, { known: KNOWN });
  const summary = summarise(read.rows, MAPPING);
  return { ms: performance.now() - t, flagged: summary.flagged.length, repairs: read.repairs.length };
}

const actor = benchAdmin(0);

/**
 * The commit into a fresh database with the municipality's departments (set up outside the time), as
 * the command line makes it: the file read, mapped and written with its name and hash as the source.
 */
async function commit(buf: Buffer, dir: string, round: number) {
  const handle = await openDatabase({ sqliteFile: path.join(dir, `bench-${round}.sqlite`) });
  await migrateToLatest(handle);
  const db = handle.db;
  const m = await db
    .insertInto('municipalities')
    .values({ code: '990001', name: 'ベンチ市', era2019: 'reiwa1', created_at: now() })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (let i = 0; i < DEPARTMENTS; i++)
    await db
      .insertInto('departments')
      .values({
        municipality_id: m.id,
        parent_id: null,
        name: `推進${i}課`,
        kind: 'ka',
        active_from: null,
        active_to: null,
        position: i,
        created_at: now(),
      })
      .execute();
  const ctx = { db, dialect: handle.dialect, config: loadConfig({ SAMPLE_DATA: 'off', DATA_DIR: dir }) };
  const t = performance.now();
  const file = await readXlsx(buf);
  const read_ = performance.now();
  const read = readImport(file.sheets[0]!.table, MAPPING, { known: KNOWN });
  const rows = read.rows.filter((r) => r.flags.length === 0);
  const mapped = performance.now();
  const result = await commitImport(ctx, actor, m.id, MAPPING, rows, {
    newPlan: { title: 'ベンチマーク', firstYear: 2021, lastYear: 2030 },
    fiscalYear: 2024,
    createDepartments: false,
    // As the command line and the wizard give it: the file's name and SHA-256, the batch's source.
    source: { name: 'import-10k.xlsx', hash: crypto.createHash('sha256').update(buf).digest('hex') },
  });
  const end = performance.now();
  await handle.close();
  return {
    ms: end - t,
    phases: { read: read_ - t, map: mapped - read_, write: end - mapped },
    created: result.created,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ROUNDS = 3;

/**
 * The bare read, the preview and the commit alternate, 3 rounds after one warm-up of each, so that
 * none of them is measured cold while the others are warm; medians are reported with every round.
 */
export async function run(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shinchoku-bench-import-'));
  const file = path.join(dir, 'import-10k.xlsx');
  await writeFile(file);
  const buf = fs.readFileSync(file);
  await bareRead(buf);
  await dryRun(buf);
  await commit(buf, dir, 0);
  const bare: number[] = [];
  const dry: number[] = [];
  const commits: number[] = [];
  const phases = { read: [] as number[], map: [] as number[], write: [] as number[] };
  let cells = 0;
  let flagged = 0;
  let repairs = 0;
  let created: unknown = null;
  for (let r = 1; r <= ROUNDS; r++) {
    const b = await bareRead(buf);
    bare.push(b.ms);
    cells = b.cells;
    const d = await dryRun(buf);
    dry.push(d.ms);
    flagged = d.flagged;
    repairs = d.repairs;
    const c = await commit(buf, dir, r);
    commits.push(c.ms);
    for (const k of ['read', 'map', 'write'] as const) phases[k].push(c.phases[k]);
    created = c.created;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const round = (xs: number[]) => xs.map((x) => Math.round(x));
  return {
    dry_run_ms: Math.round(median(dry)),
    commit_ms: Math.round(median(commits)),
    bare_read_ms: Math.round(median(bare)),
    commit_vs_bare_read: Number((median(commits) / median(bare)).toFixed(2)),
    /** the commit's parts (medians): reading the file, mapping and checking its lines, writing them */
    commit_phases_ms: {
      read: Math.round(median(phases.read)),
      map: Math.round(median(phases.map)),
      write: Math.round(median(phases.write)),
    },
    rounds: {
      warm_up: 1,
      measured: ROUNDS,
      bare_read_ms: round(bare),
      dry_run_ms: round(dry),
      commit_ms: round(commits),
    },
    rows: ROWS,
    file_bytes: buf.length,
    cells,
    /** lines slipped on purpose (one in a hundred), repaired by auto-repair; none should stay flagged */
    slipped: Math.floor((ROWS + 50) / 100),
    repairs,
    flagged,
    created,
    database: 'sqlite',
    node: process.version,
    at: new Date().toISOString(),
  };
}
