import type { z } from 'zod';
import { BUILTIN_MAPPINGS, builtinMapping } from '../../../domain/import/builtin-mappings.js';
import type { ImportPreview } from '../../../domain/api-types.js';
import { summarise, type ImportMapping } from '../../../domain/import/mapping.js';
import { flagPlanValues, matchNodes, targetFields } from './commit.service.js';
import { sourceIdentity } from './batches.service.js';
import type { mappingSchema, previewInput, commitInput } from '../../../domain/import/schemas.js';
import type { AppContext } from '../../context.js';
import { readJson } from '../../db/json.js';
import { AppError, notFound } from '../../http/errors.js';
import { audit } from '../audit/index.js';
import { type Actor, assertCanEditPlans } from '../auth/index.js';
import { commitImport, type CommitResult } from './commit.service.js';
import * as repo from './imports.repository.js';
import type { ParseJob, ParseResult } from './parse-jobs.js';
import { runInProcess } from './parse-pool.js';

export interface MappingEntry {
  name: string;
  label: string;
  builtin: boolean;
  definition: ImportMapping;
}

export async function listMappings(ctx: AppContext, actor: Actor, municipalityId: number): Promise<MappingEntry[]> {
  assertCanEditPlans(actor, municipalityId);
  const saved = await repo.listSavedMappings(ctx.db, municipalityId);
  return [
    ...BUILTIN_MAPPINGS.map((m) => ({ name: m.name, label: m.label, builtin: true, definition: m })),
    ...saved.map((s) => {
      const definition = readJson.importMapping(s.definition);
      return { name: s.name, label: definition.label, builtin: false, definition };
    }),
  ];
}

export async function saveMapping(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  mapping: z.output<typeof mappingSchema>,
): Promise<MappingEntry> {
  assertCanEditPlans(actor, municipalityId);
  if (builtinMapping(mapping.name))
    throw new AppError('CONFLICT', `「${mapping.name}」は組み込みの取り込み設定の名前です。別の名前にしてください`);
  return ctx.db.transaction().execute(async (tx) => {
    const definition = JSON.stringify(mapping);
    const existing = await repo.findSavedMapping(tx, municipalityId, mapping.name);
    if (existing) await repo.updateSavedMapping(tx, existing.id, definition);
    else await repo.insertSavedMapping(tx, municipalityId, mapping.name, definition);
    await audit(tx, actor, {
      municipalityId,
      action: existing ? 'update' : 'create',
      entity: 'import_mapping',
      entityId: mapping.name,
      detail: mapping,
    });
    return { name: mapping.name, label: mapping.label, builtin: false, definition: mapping };
  });
}

async function resolveMapping(
  ctx: AppContext,
  municipalityId: number,
  spec: string | z.output<typeof mappingSchema>,
): Promise<ImportMapping> {
  if (typeof spec !== 'string') return spec;
  const builtin = builtinMapping(spec);
  if (builtin) return builtin;
  const saved = await repo.findSavedMapping(ctx.db, municipalityId, spec);
  if (!saved) throw notFound(`取り込み設定「${spec}」`);
  return readJson.importMapping(saved.definition);
}

/** Parse work runs in the worker pool when the app has one, else here (the command line). */
function parse<J extends ParseJob>(ctx: AppContext, job: J): Promise<ParseResult<J>> {
  return ctx.parsePool ? ctx.parsePool.run(job) : runInProcess(job);
}

export type Preview = ImportPreview;

/** The file read through its mapping with the user's fixes (excluded lines left out), checked against the target plan. */
async function build(ctx: AppContext, municipalityId: number, input: z.output<typeof previewInput>) {
  const mapping = await resolveMapping(ctx, municipalityId, input.mapping);
  const known = await repo.departmentNames(ctx.db, municipalityId);
  const built = await parse(ctx, {
    op: 'build',
    source: input.source,
    fixes: input.fixes,
    autoRepair: input.autoRepair,
    mapping,
    known,
    municipalityCode: await repo.municipalityCode(ctx.db, municipalityId),
  });
  flagPlanValues(built.rows, await targetFields(ctx.db, municipalityId, input.planId));
  return { mapping, ...built };
}

export async function previewImport(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  input: z.output<typeof previewInput>,
): Promise<Preview> {
  assertCanEditPlans(actor, municipalityId);
  const { mapping, sheets, encoding, table, rows, repairs, suspects, names, meta } = await build(
    ctx,
    municipalityId,
    input,
  );
  return {
    mapping,
    sheets,
    encoding,
    source: table.map((cells, i) => ({ line: i + 1, cells })).filter((r) => r.cells.some((c) => c.trim() !== '')),
    rows,
    summary: summarise(rows, mapping),
    repairs,
    suspects,
    names,
    meta,
    ...(input.planId !== null ? { nodeMatches: await matchNodes(ctx.db, municipalityId, input.planId, rows) } : {}),
  };
}

export async function commitPreviewed(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  input: z.output<typeof commitInput>,
  opts: { dryRun?: boolean } = {},
): Promise<CommitResult> {
  assertCanEditPlans(actor, municipalityId);
  const { mapping, rows, names, meta } = await build(ctx, municipalityId, input);
  const flagged = rows.filter((r) => r.flags.length > 0);
  if (flagged.length && !opts.dryRun)
    throw new AppError(
      'VALIDATION',
      `読み取れない行が${flagged.length}行あります（${flagged
        .slice(0, 5)
        .map((r) => `${r.line}行目`)
        .join('、')}${flagged.length > 5 ? ' ほか' : ''}）。修正するか、取り込みから除外してください`,
    );
  const unregistered = names.filter((n) => n.kind === 'new');
  if (unregistered.length > 0 && !input.createDepartments)
    throw new AppError(
      'VALIDATION',
      `登録されていない担当課があります: ${unregistered
        .map((n) => `${n.written}（${n.lines.map((l) => `${l}行目`).join('・')}）`)
        .join('、')}。「担当課を作成する」を選ぶか、既存の課に読み替えてください`,
    );
  if (input.planId === null && input.newPlan === null)
    throw new AppError('VALIDATION', '取り込み先の計画を選ぶか、新しい計画の名称と期間を入力してください');
  return commitImport(ctx, actor, municipalityId, mapping, rows, {
    planId: input.planId ?? undefined,
    newPlan: input.newPlan ?? undefined,
    fiscalYear: input.fiscalYear,
    baselineYear: meta.columnYears.baseline ?? null,
    createDepartments: input.createDepartments,
    source: sourceIdentity(input.source),
    fixes: input.fixes,
    dryRun: opts.dryRun,
  });
}

/** The source as a plain table, for choosing the header row and the columns of a new mapping. */
export async function readSource(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  source: z.output<typeof previewInput>['source'],
) {
  assertCanEditPlans(actor, municipalityId);
  const { table, sheets, encoding } = await parse(ctx, { op: 'source', source });
  return {
    sheets,
    encoding,
    rows: table.slice(0, 200).map((cells, i) => ({ line: i + 1, cells })),
    total: table.length,
  };
}
