import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { indicatorInput, outcomeActualInput, outcomeIndicatorInput } from '../../../domain/cycle.js';
import { fiscalYearParam, id } from '../../../domain/schemas.js';
import type { AppContext } from '../../context.js';
import { parse } from '../../http/errors.js';
import { midAndId, requireActor } from '../../http/request.js';
import { createIndicator, deleteIndicator, listIndicators, updateIndicator } from './indicators.service.js';
import { createOutcomeIndicator, listOutcomeIndicators, outcomeYear, saveOutcomeActual } from './outcomes.service.js';

const yearParams = z.object({ mid: id, id, year: fiscalYearParam });
const outcomeQuery = z.object({ departmentId: id.optional() });

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
  app.delete('/api/m/:mid/indicators/:id', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return deleteIndicator(ctx, actor, p.mid, p.id);
  });
  outcomeRoutes(app, ctx);
}

/** Indicators of nodes and of the plan (成果指標), and their yearly actuals. */
function outcomeRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/m/:mid/plans/:id/outcome-indicators', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return { indicators: await listOutcomeIndicators(ctx, actor, p.mid, p.id) };
  });
  app.post('/api/m/:mid/plans/:id/outcome-indicators', async (req, reply) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    const input = parse(outcomeIndicatorInput, req.body);
    return reply.status(201).send({ indicator: await createOutcomeIndicator(ctx, actor, p.mid, p.id, input) });
  });
  app.get('/api/m/:mid/plans/:id/years/:year/outcome-indicators', async (req) => {
    const actor = requireActor(req);
    const p = parse(yearParams, req.params);
    const q = parse(outcomeQuery, req.query);
    return outcomeYear(ctx, actor, p.mid, p.id, p.year, q.departmentId ?? null);
  });
  app.put('/api/m/:mid/indicators/:id/actuals/:year', async (req) => {
    const actor = requireActor(req);
    const p = parse(yearParams, req.params);
    return { actual: await saveOutcomeActual(ctx, actor, p.mid, p.id, p.year, parse(outcomeActualInput, req.body)) };
  });
}
