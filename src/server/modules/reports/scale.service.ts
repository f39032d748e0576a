import type { z } from 'zod';
import type { EvaluationScale } from '../../../domain/evaluation.js';
import type { scaleInput } from '../../../domain/evaluation-schema.js';
import type { GradeOption } from '../../../domain/grades.js';
import type { AppContext } from '../../context.js';
import { notFound } from '../../http/errors.js';
import { audit } from '../audit/index.js';
import { type Actor, assertCanEditPlans, assertCanRead } from '../auth/index.js';
import { assertPlanNotArchived } from '../plans/index.js';
import { bumpPlan } from '../plans/index.js';
import { findPlan, findStoredScale, updatePlanScale } from './reports.repository.js';

/** A plan's evaluation scale: how its grades are reached, and the legend departments grade from. */

export async function getScale(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  planId: number,
): Promise<EvaluationScale> {
  assertCanRead(actor, municipalityId);
  const plan = await findPlan(ctx.db, municipalityId, planId);
  if (!plan) throw notFound('計画');
  return plan.scale;
}

/** Saves a plan's scale; its legend becomes the grades departments choose from on their sheets. */
export async function saveScale(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  planId: number,
  input: z.output<typeof scaleInput>,
): Promise<EvaluationScale> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const plan = await findStoredScale(tx, municipalityId, planId);
    if (!plan) throw notFound('計画');
    await assertPlanNotArchived(tx, planId);
    const scale = input;
    const options: GradeOption[] = scale.grades.map((g) => ({ code: g.code, label: g.label }));
    await updatePlanScale(tx, planId, scale, options);
    await bumpPlan(tx, planId);
    await audit(tx, actor, {
      municipalityId,
      action: 'update',
      entity: 'evaluation_scale',
      entityId: planId,
      detail: { before: plan.evaluation_scale ? JSON.parse(plan.evaluation_scale) : null, after: scale },
    });
    return scale;
  });
}
