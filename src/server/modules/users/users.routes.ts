import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { id, userCreateInput, userUpdateInput } from '../../../domain/schemas.js';
import type { AppContext } from '../../context.js';
import { parse } from '../../http/errors.js';
import { requireActor } from '../../http/request.js';
import { createUser, listUsers, updateUser } from './users.service.js';

export const listQuery = z.object({ municipalityId: z.union([id, z.literal('none')]).optional() });

export function userRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/users', async (req) => {
    const actor = requireActor(req);
    const q = parse(listQuery, req.query);
    const municipalityId = q.municipalityId === 'none' ? null : (q.municipalityId ?? actor.user.municipalityId);
    return { users: await listUsers(ctx, actor, municipalityId) };
  });
  app.post('/api/users', async (req, reply) => {
    const user = await createUser(ctx, requireActor(req), parse(userCreateInput, req.body));
    return reply.status(201).send({ user });
  });
  app.patch('/api/users/:id', async (req) => {
    const { id: userId } = parse(z.object({ id }), req.params);
    return { user: await updateUser(ctx, requireActor(req), userId, parse(userUpdateInput, req.body)) };
  });
}
