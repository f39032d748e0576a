/**
 * Command line for administrators, using the same code as the screens:
 *   npm run cli -- import <file> --mapping <name|file.json> --municipality <code>
 *       [--municipality-name <name>] [--plan <id>] [--fiscal-year <year>] [--evaluation <preset>]
 *       [--fixes <fixes.json>] [--auto-repair] [--save-fixes <fixes.json>] [--dry-run] [--json]
 *   npm run cli -- reset-password <loginId>
 *   npm run cli -- plan-export --municipality <code> --plan <id> [--out <file>]
 *   npm run cli -- plan-import <file> --municipality <code>
 *   npm run cli -- report --municipality <code> --plan <id> --fiscal-year <year> --layout <name>
 *       --format json|xlsx|csv|html [--encoding utf8|sjis] [--out <file>]
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkLocalGovernmentCode } from '../domain/municipality.js';
import { parseFiscalYear, fiscalYearOf, fiscalYearLabel } from '../domain/fiscal-year.js';
import { builtinMapping, BUILTIN_MAPPINGS } from '../domain/import/builtin-mappings.js';
import { NO_FIXES, type ImportFixes } from '../domain/import/fixes.js';
import { fixesFileText, fixesInEffect, planTitleFrom, readFixesFile } from '../domain/import/fixes-file.js';
import {
  flagCategories,
  flagCustomValues,
  summarise,
  type ImportMapping,
  type ImportRow,
  type ImportSummary,
} from '../domain/import/mapping.js';
import type { DocumentMeta, NameMatch, ReadResult, Repair, Suspect } from '../domain/import/read.js';
import { NAME_KIND_LABELS, nameOutcome } from '../domain/import/reading-labels.js';
import { DEFAULT_CATEGORIES } from '../domain/plan-fields.js';
import { mappingSchema } from '../domain/import/schemas.js';
import { loadConfig } from './config.js';
import { migrateToLatest, openConfiguredDatabase, type DbHandle } from './db/db.js';
import { acrossMunicipalities, inMunicipality } from './db/tenant.js';
import type { Db } from './db/types.js';
import type { AppContext } from './context.js';
import { now } from './db/util.js';
import { AppError, parse } from './http/errors.js';
import { commitImport, departmentNames, readForImport, tableFromFile } from './modules/imports/index.js';
import { formatReport, renderReport, REPORT_FORMATS, reportQuery } from './modules/reports/index.js';
import { BUILTIN_LAYOUTS } from '../domain/report/layout.js';
import { normalizeLoginId } from '../domain/login-id.js';
import { type Actor, hashPassword, deleteUserSessions } from './modules/auth/index.js';
import { audit } from './modules/audit/index.js';
import { exportPlan, importPlan } from './modules/plans/index.js';
import { planExportSchema } from '../domain/plan-export.js';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function loadMapping(spec: string): ImportMapping {
  const builtin = builtinMapping(spec);
  if (builtin) return builtin;
  // A mapping file is read as the screen's mapping is: through its schema, with the problems named.
  if (fs.existsSync(spec)) {
    const parsed = mappingSchema.safeParse(JSON.parse(fs.readFileSync(spec, 'utf8')));
    if (!parsed.success)
      fail(
        `取り込み設定ファイル ${spec} が読めません: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join(' / ')}`,
      );
    return parsed.data;
  }
  fail(
    `取り込み設定「${spec}」がありません。使えるもの: ${BUILTIN_MAPPINGS.map((m) => m.name).join(', ')}、または JSON ファイル`,
  );
}

function importOptions(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      mapping: { type: 'string' },
      municipality: { type: 'string' },
      'municipality-name': { type: 'string' },
      plan: { type: 'string' },
      'fiscal-year': { type: 'string' },
      evaluation: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      sheet: { type: 'string' },
      fixes: { type: 'string' },
      'auto-repair': { type: 'boolean', default: false },
      'save-fixes': { type: 'string' },
    },
  });
  const file = positionals[0] ?? fail('取り込むファイルを指定してください');
  if (!values.mapping) fail('--mapping を指定してください');
  if (!values.municipality) fail('--municipality（全国地方公共団体コード）を指定してください');
  const code = checkLocalGovernmentCode(values.municipality);
  if (!code.ok) fail(`--municipality: 全国地方公共団体コードとして正しくありません（${values.municipality}）`);
  const givenYear = values['fiscal-year'] ? parseFiscalYear(values['fiscal-year']) : null;
  if (values['fiscal-year'] && givenYear === null)
    fail(`--fiscal-year: 年度として読めません（${values['fiscal-year']}）`);
  return {
    values,
    file,
    code: code.code,
    givenYear,
    mapping: loadMapping(values.mapping),
    fixes: values.fixes ? loadFixes(values.fixes) : NO_FIXES,
    autoRepair: values['auto-repair'],
  };
}

/** A fixes file (the preview's 「修正内容を保存」 or --save-fixes) read through its schema, with the problem named. */
function loadFixes(path: string): ImportFixes {
  if (!fs.existsSync(path)) fail(`--fixes: 修正内容のファイルがありません: ${path}`);
  const read = readFixesFile(fs.readFileSync(path, 'utf8'));
  if (!read.ok) fail(`--fixes: 修正内容のファイル ${path} が読めません: ${read.message}`);
  return read.fixes;
}

type YearSource = 'option' | 'document' | 'default';

/**
 * The year of the answers: --fiscal-year, else the year the document names in its title lines,
 * else last fiscal year. A given year the document contradicts is used, with a warning.
 */
function importYear(givenYear: number | null, meta: DocumentMeta): { year: number; from: YearSource } {
  if (givenYear !== null) {
    if (meta.fiscalYear !== null && meta.fiscalYear !== givenYear)
      process.stderr.write(
        `警告: --fiscal-year ${fiscalYearLabel(givenYear)} は文書の年度（${fiscalYearLabel(meta.fiscalYear)}、「${meta.title ?? ''}」）と異なります。指定された年度で取り込みます\n`,
      );
    return { year: givenYear, from: 'option' };
  }
  if (meta.fiscalYear !== null) return { year: meta.fiscalYear, from: 'document' };
  return { year: fiscalYearOf(new Date()) - 1, from: 'default' };
}

const YEAR_SOURCE_TEXT: Record<YearSource, string> = {
  option: '--fiscal-year の指定',
  document: '文書の表題から',
  default: '文書に年度がないため前年度',
};

type ImportOptions = ReturnType<typeof importOptions>;

/** The municipality by its code, created when a name is given for it. */
async function importMunicipality(db: Db, o: ImportOptions): Promise<number> {
  const m = await db.selectFrom('municipalities').select('id').where('code', '=', o.code).executeTakeFirst();
  if (m) return m.id;
  const name = o.values['municipality-name'];
  if (!name) fail(`団体コード ${o.code} の自治体がありません。--municipality-name で名称を指定すると作成します`);
  const created = await db
    .insertInto('municipalities')
    .values({ code: o.code, name, era2019: 'reiwa1', created_at: now() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return created.id;
}

/** The command line acts as the first system administrator (for the audit log), or as itself where there is none. */
async function adminActor(db: Db): Promise<Actor> {
  const admin = await db
    .selectFrom('users')
    .select(['id', 'login_name', 'display_name', 'role'])
    .where('role', '=', 'system_admin')
    .orderBy('id')
    .executeTakeFirst();
  return {
    user: {
      id: admin?.id ?? 0,
      loginName: admin?.login_name ?? 'cli',
      displayName: admin?.display_name ?? 'コマンドライン',
      role: 'system_admin',
      municipalityId: null,
      departmentId: null,
      departmentIds: [],
      mustChangePassword: false,
    },
    requestId: 'cli',
  };
}

/** The database, the municipality (created when a name is given for it) and the administrator acting. */
async function openImport(o: ImportOptions) {
  const config = loadConfig();
  const handle = await openConfiguredDatabase(config);
  await migrateToLatest(handle);
  // Finding (or creating) the municipality and the administrator is the command line's cross-tenant part.
  const { municipalityId, actor } = await acrossMunicipalities('command-line', async () => ({
    municipalityId: await importMunicipality(handle.db, o),
    actor: await adminActor(handle.db),
  }));
  return { config, handle, municipalityId, actor };
}

/** Writes the rows as the screen's commit does, into the plan given or a new one titled from the document. */
async function storeImport(
  o: ImportOptions,
  at: Awaited<ReturnType<typeof openImport>>,
  read: ReadResult,
  fiscalYear: number,
) {
  const { config, handle, municipalityId, actor } = at;
  const plan = o.values.plan;
  const title = planTitleFrom(read.meta) ?? path.basename(o.file).replace(/\.[^.]+$/, '');
  return inMunicipality(municipalityId, () =>
    commitImport({ db: handle.db, dialect: handle.dialect, config }, actor, municipalityId, o.mapping, read.rows, {
      planId: plan ? Number(plan) : undefined,
      newPlan: plan
        ? undefined
        : {
            title,
            // The plan's period starts at the year of the answers (the document's year unless given).
            firstYear: fiscalYear,
            lastYear: fiscalYear + 4,
            evaluationPreset: o.values.evaluation,
          },
      fiscalYear,
      baselineYear: read.meta.columnYears.baseline ?? null,
      createDepartments: true,
      // The file as a source: importing it again into the plan replaces this import.
      source: {
        name: path.basename(o.file),
        hash: crypto.createHash('sha256').update(fs.readFileSync(o.file)).digest('hex'),
      },
    }),
  );
}

interface ImportOutput {
  planId: number | null;
  fiscalYear: number;
  /** where the year came from: --fiscal-year, the document's title lines, or last year by default */
  fiscalYearFrom: YearSource;
  meta: DocumentMeta;
  nodes: Record<string, number>;
  projects: number;
  records: number;
  grades: Record<string, number>;
  /** the lines not stored, as the preview flags them */
  flagged: ImportSummary['flagged'];
  /** 自動修正 made (--auto-repair) */
  repairs: Repair[];
  /** probable misreads, for a fixes file's `words` */
  suspects: { count: number; list: Suspect[] };
  /** department names not matched to a registered department as written */
  names: NameMatch[];
}

function printImport(out: ImportOutput, dryRun: boolean): void {
  const { meta } = out;
  process.stdout.write(
    [
      dryRun ? '確認のみ（書き込みなし）' : `計画 ${out.planId} に取り込みました`,
      `文書: 表題「${meta.title ?? '（なし）'}」・年度 ${meta.fiscalYear === null ? '（なし）' : fiscalYearLabel(meta.fiscalYear)}・時点 ${meta.asOf ?? '（なし）'}`,
      `回答の年度: ${fiscalYearLabel(out.fiscalYear)}（${YEAR_SOURCE_TEXT[out.fiscalYearFrom]}）`,
      `階層: ${Object.entries(out.nodes)
        .map(([k, v]) => `${k} ${v}`)
        .join('、')}`,
      `事業 ${out.projects}件、担当課ごとの回答 ${out.records}件`,
      `評価: ${
        Object.entries(out.grades)
          .map(([k, v]) => `${k} ${v}`)
          .join('、') || 'なし'
      }`,
      `自動修正 ${out.repairs.length}件`,
      ...out.repairs.map((r) => `  ${r.line}行目: ${r.reason}`),
      `読み違いの候補 ${out.suspects.count}件${out.suspects.count ? '（修正内容の words で読み替えます）' : ''}`,
      ...out.suspects.list.map((x) => `  ${x.line}行目 ${x.field}: 「${x.word}」→「${x.suggestion}」？`),
      `登録済みの課と一致しない担当課名 ${out.names.length}件`,
      ...out.names.map(
        (n) =>
          `  「${n.written}」（${NAME_KIND_LABELS[n.kind]}）→ ${nameOutcome(n)}: ${n.lines.map((l) => `${l}行目`).join('・')}`,
      ),
      `読み取れなかった行 ${out.flagged.length}件${out.flagged.length ? '（取り込んでいません）' : ''}`,
      ...out.flagged.map((f) => `  ${f.line}行目: ${f.reason}`),
    ].join('\n') + '\n',
  );
}

/** Without a target plan, the rows are checked as the preview checks them for a new plan (its default 区分 list). */
function flagForNewPlan(rows: ImportRow[]): void {
  flagCategories(
    rows,
    DEFAULT_CATEGORIES.map((c) => c.code),
  );
  flagCustomValues(rows, []);
}

async function importCommand(argv: string[]): Promise<void> {
  const o = importOptions(argv);
  if (!fs.existsSync(o.file)) fail(`ファイルがありません: ${o.file}`);
  const { table } = await tableFromFile(o.file, fs.readFileSync(o.file), o.values.sheet);
  const dryRun = o.values['dry-run'];
  // A dry run reads without the database; an import reads the names against the municipality's departments.
  const at = dryRun ? null : await openImport(o);
  try {
    const known = at
      ? await inMunicipality(at.municipalityId, () => departmentNames(at.handle.db, at.municipalityId))
      : [];
    const read = readForImport(table, o.mapping, {
      known,
      fixes: o.fixes,
      autoRepair: o.autoRepair,
      municipalityCode: o.code,
    });
    const { year, from } = importYear(o.givenYear, read.meta);
    if (!o.values.plan) flagForNewPlan(read.rows);
    if (o.values['save-fixes']) {
      const fixes = fixesInEffect(o.fixes, read.repairs);
      fs.writeFileSync(o.values['save-fixes'], fixesFileText(fixes));
      process.stderr.write(
        `修正内容を ${o.values['save-fixes']} に書き出しました（ずれの修正 ${fixes.moves.length}件、セルの修正 ${fixes.edits.length}件、除く行 ${fixes.excluded.length}件）。--fixes で同じ取り込みを繰り返せます\n`,
      );
    }
    const summary = summarise(read.rows, o.mapping);
    const result = at ? await storeImport(o, at, read, year) : null;
    // What would be stored: flagged lines are left out of the counts as they are out of the commit.
    const stored = result
      ? result.summary
      : summarise(
          read.rows.filter((r) => r.flags.length === 0),
          o.mapping,
        );
    const out: ImportOutput = {
      planId: result?.planId ?? null,
      fiscalYear: year,
      fiscalYearFrom: from,
      meta: read.meta,
      nodes: stored.nodes,
      projects: stored.projects,
      records: stored.records,
      grades: stored.grades,
      flagged: result ? result.skipped : summary.flagged,
      repairs: read.repairs,
      suspects: { count: read.suspects.length, list: read.suspects },
      names: read.names.filter((n) => n.kind !== 'known'),
    };
    if (o.values.json) process.stdout.write(`${JSON.stringify(out)}\n`);
    else printImport(out, dryRun);
  } finally {
    await at?.handle.close();
  }
}

/** A report of one plan and year in one layout, written as the screens write it. */
async function reportCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      municipality: { type: 'string' },
      plan: { type: 'string' },
      'fiscal-year': { type: 'string' },
      layout: { type: 'string' },
      format: { type: 'string', default: 'json' },
      encoding: { type: 'string', default: 'utf8' },
      department: { type: 'string' },
      'as-of': { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (!values.plan || !/^\d+$/.test(values.plan)) fail('--plan に計画のIDを指定してください');
  const fiscalYear = parseFiscalYear(values['fiscal-year'] ?? '');
  if (fiscalYear === null) fail(`--fiscal-year: 年度として読めません（${values['fiscal-year'] ?? ''}）`);
  if (!values.layout)
    fail(`--layout を指定してください（${BUILTIN_LAYOUTS.map((l) => l.name).join(', ')} または保存したレイアウト名）`);
  const format = REPORT_FORMATS.find((f) => f === values.format);
  if (!format) fail(`--format は ${REPORT_FORMATS.join(' / ')} のいずれかです`);
  const encoding = values.encoding;
  if (encoding !== 'utf8' && encoding !== 'sjis') fail('--encoding は utf8 か sjis です');
  await withMunicipality(values.municipality, async ({ ctx, municipalityId, actor }) => {
    const query = parse(reportQuery, {
      planId: Number(values.plan),
      fiscalYear,
      layout: values.layout,
      departmentId: values.department ? Number(values.department) : undefined,
      asOf: values['as-of'],
    });
    const doc = await renderReport(ctx, actor, municipalityId, query);
    const file = await formatReport(doc, format, { encoding });
    if (values.out) {
      fs.writeFileSync(values.out, file.body);
      process.stderr.write(
        `${values.out} に書き出しました（${doc.sheets.reduce((n, s) => n + s.rows.filter((r) => r.type === 'data').length, 0)}行）\n`,
      );
    } else process.stdout.write(file.body);
  });
}

/**
 * The administrator's way back in: sets a new generated password (printed once) for an account,
 * which its user must change at the next login, ends the account's sessions and clears its
 * failed-login lock. Works on whichever database DATABASE_URL or DATA_DIR names.
 */
async function resetPasswordCommand(argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  const loginId = normalizeLoginId(positionals[0] ?? fail('パスワードを再設定するログインIDを指定してください'));
  const config = loadConfig();
  const handle = await openConfiguredDatabase(config);
  try {
    await migrateToLatest(handle);
    await acrossMunicipalities('command-line', () => resetPassword(handle, loginId));
  } finally {
    await handle.close();
  }
}

async function resetPassword(handle: DbHandle, loginId: string): Promise<void> {
  const user = await handle.db
    .selectFrom('users')
    .select(['id', 'login_name', 'municipality_id'])
    .where('login_name', '=', loginId)
    .executeTakeFirst();
  if (!user) fail(`ログインID「${loginId}」の利用者はいません`);
  const password = crypto.randomBytes(12).toString('base64url');
  const hash = await hashPassword(password);
  await handle.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('users')
      .set({ password_hash: hash, must_change_password: 1, active: 1, password_changed_at: now(), updated_at: now() })
      .where('id', '=', user.id)
      .execute();
    await deleteUserSessions(tx, user.id);
    await tx.deleteFrom('login_failures').where('key', '=', `a:${user.login_name}`).execute();
    await audit(
      tx,
      { requestId: 'cli', loginId: 'cli', userAgent: 'command line' },
      {
        municipalityId: user.municipality_id,
        action: 'password_reset',
        entity: 'user',
        entityId: user.id,
        detail: { loginName: user.login_name, by: 'command line' },
      },
    );
  });
  process.stdout.write(
    `「${user.login_name}」のパスワードを再設定しました。このパスワードは二度と表示されません。次のログインで変更を求められます。\n  ログインID: ${user.login_name}   パスワード: ${password}\n`,
  );
}

/** Runs `work` on the database DATABASE_URL or DATA_DIR names, with the municipality of `code` (which must exist). */
async function withMunicipality(
  code: string | undefined,
  work: (at: { ctx: AppContext; municipalityId: number; actor: Actor }) => Promise<void>,
): Promise<void> {
  const checked = checkLocalGovernmentCode(code ?? '');
  if (!checked.ok) fail(`--municipality: 全国地方公共団体コードとして正しくありません（${code ?? ''}）`);
  const config = loadConfig();
  const handle = await openConfiguredDatabase(config);
  try {
    await migrateToLatest(handle);
    const { m, actor } = await acrossMunicipalities('command-line', async () => ({
      m: await handle.db.selectFrom('municipalities').select('id').where('code', '=', checked.code).executeTakeFirst(),
      actor: await adminActor(handle.db),
    }));
    if (!m) fail(`団体コード ${checked.code} の自治体がありません`);
    const ctx: AppContext = { db: handle.db, dialect: handle.dialect, config };
    await inMunicipality(m.id, () => work({ ctx, municipalityId: m.id, actor }));
  } finally {
    await handle.close();
  }
}

/** Writes a plan's structure file (levels, tree, projects, indicators with targets and revisions, evaluation versions). */
async function planExportCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { municipality: { type: 'string' }, plan: { type: 'string' }, out: { type: 'string' } },
  });
  const planId = Number(values.plan);
  if (!Number.isInteger(planId) || planId <= 0) fail('--plan（計画のID）を指定してください');
  await withMunicipality(values.municipality, async ({ ctx, municipalityId, actor }) => {
    const file = await exportPlan(ctx, actor, municipalityId, planId);
    const text = `${JSON.stringify(file, null, 2)}\n`;
    if (values.out) {
      fs.writeFileSync(values.out, text);
      process.stderr.write(
        `${values.out} に書き出しました（事業 ${file.projects.length}件、指標 ${file.indicators.length}件）\n`,
      );
    } else process.stdout.write(text);
  });
}

/** Reads a plan's structure file as a new plan of the municipality; prints the new plan's id. */
async function planImportCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { municipality: { type: 'string' } },
  });
  const path = positionals[0] ?? fail('読み込む計画構造ファイルを指定してください');
  const parsed = planExportSchema.safeParse(JSON.parse(fs.readFileSync(path, 'utf8')));
  if (!parsed.success)
    fail(`${path} が読めません: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join(' / ')}`);
  await withMunicipality(values.municipality, async ({ ctx, municipalityId, actor }) => {
    const plan = await importPlan(ctx, actor, municipalityId, parsed.data);
    process.stdout.write(`${JSON.stringify({ planId: plan.plan.id, projects: plan.projects.length })}\n`);
  });
}

const USAGE = [
  '使い方:',
  '  npm run cli -- import <ファイル> --mapping <名前|JSON> --municipality <団体コード> [--municipality-name <名称>] [--plan <ID>] [--fiscal-year <年度>] [--evaluation <評価方法のひな形>] [--fixes <修正内容.json>] [--auto-repair] [--save-fixes <修正内容.json>] [--dry-run] [--json]',
  '      --fiscal-year を省くと文書の表題の年度（なければ前年度）。--fixes: 画面の「修正内容を保存（JSON）」や --save-fixes のファイルの修正を当てる。',
  '      --auto-repair: 列のずれを確かな場合に自動で直す（自動修正）。--save-fixes: 当てた修正（自動修正を含む）を書き出し、同じ取り込みを繰り返せるようにする',
  '  npm run cli -- reset-password <ログインID>',
  '  npm run cli -- plan-export --municipality <団体コード> --plan <ID> [--out <ファイル>]',
  '  npm run cli -- plan-import <ファイル> --municipality <団体コード>',
  '  npm run cli -- report --municipality <団体コード> --plan <ID> --fiscal-year <年度> --layout <名前> --format json|xlsx|csv|html [--encoding utf8|sjis] [--department <ID>] [--as-of YYYY-MM-DD] --out <ファイル>',
].join('\n');

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === 'import') await importCommand(rest);
  else if (command === 'report') await reportCommand(rest);
  else if (command === 'reset-password') await resetPasswordCommand(rest);
  else if (command === 'plan-export') await planExportCommand(rest);
  else if (command === 'plan-import') await planImportCommand(rest);
  else fail(USAGE);
} catch (e) {
  fail(e instanceof AppError ? e.message : `エラー: ${e instanceof Error ? e.message : String(e)}`);
}
