import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { commentInput } from '../../../domain/cycle.js';
import { fiscalYear, id } from '../../../domain/schemas.js';
import type { AppContext } from '../../context.js';
import { parse } from '../../http/errors.js';
import { mid, midAndId, requireActor } from '../../http/request.js';
import { addCouncilComment, answerCouncilComment, councilView, councilYears } from './council.service.js';

export const viewQuery = z.object({ planId: id, fiscalYear: z.coerce.number().pipe(fiscalYear) });
const commentBody = commentInput.extend({ fiscalYear });

export function councilRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/m/:mid/council/years', async (req) => {
    const actor = requireActor(req);
    return councilYears(ctx, actor, mid(req));
  });
  app.get('/api/m/:mid/council', async (req) => {
    const actor = requireActor(req);
    const q = parse(viewQuery, req.query);
    return { projects: await councilView(ctx, actor, mid(req), q.planId, q.fiscalYear) };
  });
  app.post('/api/m/:mid/projects/:id/council-comments', async (req, reply) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    const body = parse(commentBody, req.body);
    return reply.status(201).send(await addCouncilComment(ctx, actor, p.mid, p.id, body.fiscalYear, body.body));
  });
  app.post('/api/m/:mid/council-comments/:id/answers', async (req, reply) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return reply
      .status(201)
      .send(await answerCouncilComment(ctx, actor, p.mid, p.id, parse(commentInput, req.body).body));
  });
}
