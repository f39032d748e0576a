import type { z } from 'zod';
import type { LayoutEntry } from '../../../domain/api-types.js';
import { BUILTIN_LAYOUTS, builtinLayout, type layoutInput, type ReportLayout } from '../../../domain/report/layout.js';
import type { AppContext } from '../../context.js';
import type { DbOrTx } from '../../db/types.js';
import { AppError, notFound } from '../../http/errors.js';
import { audit } from '../audit/index.js';
import { type Actor, assertCanEditPlans, assertCanRead } from '../auth/index.js';
import {
  deleteLayoutRow,
  findSavedLayout,
  insertLayout,
  listSavedLayouts,
  savedLayoutId,
  updateLayout,
} from './reports.repository.js';

/** Report layouts: the four built-ins and those a municipality saved. */

export async function listLayouts(ctx: AppContext, actor: Actor, municipalityId: number): Promise<LayoutEntry[]> {
  assertCanRead(actor, municipalityId);
  const saved = await listSavedLayouts(ctx.db, municipalityId);
  return [
    ...BUILTIN_LAYOUTS.map((l) => ({ name: l.name, label: l.label, builtin: true, definition: l })),
    ...saved.map((s) => ({ name: s.name, label: s.definition.label, builtin: false, definition: s.definition })),
  ];
}

/** A layout by name: the municipality's own, else a built-in one. */
export async function resolveLayout(db: DbOrTx, municipalityId: number, name: string): Promise<ReportLayout> {
  const saved = await findSavedLayout(db, municipalityId, name);
  if (saved) return saved;
  const builtin = builtinLayout(name);
  if (!builtin)
    throw new AppError(
      'VALIDATION',
      `レイアウト「${name}」がありません。使えるもの: ${BUILTIN_LAYOUTS.map((l) => l.name).join('、')} と保存したレイアウト`,
    );
  return builtin;
}

export async function saveLayout(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  input: z.output<typeof layoutInput>,
): Promise<LayoutEntry> {
  assertCanEditPlans(actor, municipalityId);
  if (builtinLayout(input.name))
    throw new AppError('CONFLICT', `「${input.name}」は組み込みのレイアウトの名前です。別の名前にしてください`);
  return ctx.db.transaction().execute(async (tx) => {
    const existing = await savedLayoutId(tx, municipalityId, input.name);
    if (existing !== undefined) await updateLayout(tx, existing, input);
    else await insertLayout(tx, municipalityId, input);
    await audit(tx, actor, {
      municipalityId,
      action: existing !== undefined ? 'update' : 'create',
      entity: 'report_layout',
      entityId: input.name,
      detail: input,
    });
    return { name: input.name, label: input.label, builtin: false, definition: input };
  });
}

export async function deleteLayout(ctx: AppContext, actor: Actor, municipalityId: number, name: string): Promise<void> {
  assertCanEditPlans(actor, municipalityId);
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await deleteLayoutRow(tx, municipalityId, name))) throw notFound('レイアウト');
    await audit(tx, actor, { municipalityId, action: 'delete', entity: 'report_layout', entityId: name });
  });
}
