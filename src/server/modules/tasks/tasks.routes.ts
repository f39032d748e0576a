import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { mid, midAndId, requireActor } from '../../http/request.js';
import { remindDepartments, tasksFor } from './tasks.service.js';

export function taskRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/m/:mid/tasks', async (req) => {
    const actor = requireActor(req);
    return { tasks: await tasksFor(ctx, actor, mid(req)) };
  });
  app.post('/api/m/:mid/rounds/:id/remind', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return remindDepartments(ctx, actor, p.mid, p.id);
  });
}
