import type { FastifyInstance } from 'fastify';
import { municipalityInput, municipalityUpdateInput } from '../../../domain/schemas.js';
import type { AppContext } from '../../context.js';
import { parse } from '../../http/errors.js';
import { mid, requireActor } from '../../http/request.js';
import {
  createMunicipality,
  getMunicipality,
  listMunicipalities,
  updateMunicipality,
} from './municipalities.service.js';

export function municipalityRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/municipalities', async (req) => ({ municipalities: await listMunicipalities(ctx, requireActor(req)) }));
  app.post('/api/municipalities', async (req, reply) => {
    const actor = requireActor(req);
    const created = await createMunicipality(ctx, actor, parse(municipalityInput, req.body));
    return reply.status(201).send({ municipality: created });
  });
  app.get('/api/m/:mid', async (req) => ({ municipality: await getMunicipality(ctx.db, requireActor(req), mid(req)) }));
  app.patch('/api/m/:mid', async (req) => {
    const actor = requireActor(req);
    return { municipality: await updateMunicipality(ctx, actor, mid(req), parse(municipalityUpdateInput, req.body)) };
  });
}
