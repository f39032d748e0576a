import type { FastifyInstance } from 'fastify';
import { planExportSchema } from '../../../domain/plan-export.js';
import { planCreateInput, planUpdateInput } from '../../../domain/schemas.js';
import type { AppContext } from '../../context.js';
import { parse } from '../../http/errors.js';
import { mid, midAndId, requireActor } from '../../http/request.js';
import { exportPlan, importPlan } from './plan-transfer.service.js';
import { createPlan, deletePlan, getPlan, listPlans, setPlanArchived, updatePlan } from './plans.service.js';

export function planRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/m/:mid/plans', async (req) => ({ plans: await listPlans(ctx, requireActor(req), mid(req)) }));
  app.post('/api/m/:mid/plans', async (req, reply) => {
    const actor = requireActor(req);
    return reply.status(201).send(await createPlan(ctx, actor, mid(req), parse(planCreateInput, req.body)));
  });
  app.post('/api/m/:mid/plans/import', { bodyLimit: 20 * 1024 * 1024 }, async (req, reply) => {
    const actor = requireActor(req);
    return reply.status(201).send(await importPlan(ctx, actor, mid(req), parse(planExportSchema, req.body)));
  });
  app.get('/api/m/:mid/plans/:id', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return getPlan(ctx, actor, p.mid, p.id);
  });
  app.patch('/api/m/:mid/plans/:id', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return updatePlan(ctx, actor, p.mid, p.id, parse(planUpdateInput, req.body));
  });
  app.delete('/api/m/:mid/plans/:id', async (req, reply) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    await deletePlan(ctx, actor, p.mid, p.id);
    return reply.status(204).send();
  });
  app.post('/api/m/:mid/plans/:id/archive', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return setPlanArchived(ctx, actor, p.mid, p.id, true);
  });
  app.post('/api/m/:mid/plans/:id/restore', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return setPlanArchived(ctx, actor, p.mid, p.id, false);
  });
  app.get('/api/m/:mid/plans/:id/export', async (req, reply) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    const file = await exportPlan(ctx, actor, p.mid, p.id);
    const name = encodeURIComponent(`${file.plan.title}.json`);
    return reply
      .header('content-disposition', `attachment; filename="plan-${p.id}.json"; filename*=UTF-8''${name}`)
      .send(file);
  });
}
