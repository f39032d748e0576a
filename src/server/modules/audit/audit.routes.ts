import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { parse } from '../../http/errors.js';
import { mid, requireActor } from '../../http/request.js';
import { assertCanEditPlans } from '../auth/actor.js';

const query = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

export function auditRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/m/:mid/audit', async (req) => {
    const actor = requireActor(req);
    const municipalityId = mid(req);
    assertCanEditPlans(actor, municipalityId);
    const { limit } = parse(query, req.query);
    const rows = await ctx.db
      .selectFrom('audit_log as a')
      .leftJoin('users as u', 'u.id', 'a.user_id')
      .select(['a.id', 'a.action', 'a.entity', 'a.entity_id', 'a.detail', 'a.created_at', 'u.display_name'])
      .where('a.municipality_id', '=', municipalityId)
      .orderBy('a.id', 'desc')
      .limit(limit)
      .execute();
    return {
      entries: rows.map((r) => ({ id: r.id, action: r.action, entity: r.entity, entityId: r.entity_id, userName: r.display_name, at: r.created_at, detail: JSON.parse(r.detail) as unknown })),
    };
  });
}
