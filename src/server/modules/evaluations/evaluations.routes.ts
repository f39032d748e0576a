import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { fiscalYearParam, id } from '../../../domain/schemas.js';
import type { AppContext } from '../../context.js';
import { parse } from '../../http/errors.js';
import { midAndId, requireActor } from '../../http/request.js';
import {
  deleteVersion,
  entryHistory,
  entryInput,
  getSettings,
  nodeEvaluations,
  saveEntry,
  saveVersion,
  versionInput,
} from './evaluations.service.js';

export const planYear = z.object({
  mid: id,
  id,
  year: fiscalYearParam,
});
export const planVersion = z.object({ mid: id, id, versionId: id });

export function evaluationRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/m/:mid/plans/:id/evaluation', async (req) => {
    const p = midAndId(req);
    return getSettings(ctx, requireActor(req), p.mid, p.id);
  });
  app.put('/api/m/:mid/plans/:id/evaluation', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return saveVersion(ctx, actor, p.mid, p.id, parse(versionInput, req.body));
  });
  app.delete('/api/m/:mid/plans/:id/evaluation/versions/:versionId', async (req) => {
    const actor = requireActor(req);
    const p = parse(planVersion, req.params);
    return deleteVersion(ctx, actor, p.mid, p.id, p.versionId);
  });
  app.get('/api/m/:mid/plans/:id/years/:year/node-evaluations', async (req) => {
    const actor = requireActor(req);
    const p = parse(planYear, req.params);
    return nodeEvaluations(ctx, actor, p.mid, p.id, p.year);
  });
  app.post('/api/m/:mid/plans/:id/years/:year/evaluations', async (req) => {
    const actor = requireActor(req);
    const p = parse(planYear, req.params);
    return saveEntry(ctx, actor, p.mid, p.id, p.year, parse(entryInput, req.body));
  });
  app.get('/api/m/:mid/evaluations/:id/history', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return { history: await entryHistory(ctx, actor, p.mid, p.id) };
  });
}
