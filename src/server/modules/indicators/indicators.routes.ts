import type { FastifyInstance } from 'fastify';
import { indicatorInput } from '../../../domain/cycle.js';
import type { AppContext } from '../../context.js';
import { parse } from '../../http/errors.js';
import { midAndId, requireActor } from '../../http/request.js';
import { createIndicator, deleteIndicator, listIndicators, updateIndicator } from './indicators.service.js';

export function indicatorRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/m/:mid/projects/:id/indicators', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return { indicators: await listIndicators(ctx, actor, p.mid, p.id) };
  });
  app.post('/api/m/:mid/projects/:id/indicators', async (req, reply) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return reply
      .status(201)
      .send({ indicator: await createIndicator(ctx, actor, p.mid, p.id, parse(indicatorInput, req.body)) });
  });
  app.put('/api/m/:mid/indicators/:id', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return { indicator: await updateIndicator(ctx, actor, p.mid, p.id, parse(indicatorInput, req.body)) };
  });
  app.delete('/api/m/:mid/indicators/:id', async (req, reply) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    await deleteIndicator(ctx, actor, p.mid, p.id);
    return reply.status(204).send();
  });
}
