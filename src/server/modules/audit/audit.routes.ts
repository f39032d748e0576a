import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.js';
import { parse } from '../../http/errors.js';
import { mid, requireActor } from '../../http/request.js';
import { audit } from './audit.js';
import { auditQuery, exportAudit, listAudit, type AuditQuery } from './audit.service.js';
import type { Actor } from '../auth/actor.js';

async function answer(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number | null,
  q: AuditQuery,
  reply: FastifyReply,
) {
  if (q.format === 'json') return listAudit(ctx, actor, municipalityId, q);
  const body = await exportAudit(ctx, actor, municipalityId, q);
  // Exporting the trail is itself an event.
  await audit(ctx.db, actor, {
    municipalityId,
    action: 'export',
    entity: 'audit_log',
    detail: { filters: { ...q, format: undefined } },
  });
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="audit.csv"`)
    .send(body);
}

export function auditRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/m/:mid/audit', async (req, reply) =>
    answer(ctx, requireActor(req), mid(req), parse(auditQuery, req.query), reply),
  );
  app.get('/api/audit', async (req, reply) =>
    answer(ctx, requireActor(req), null, parse(auditQuery, req.query), reply),
  );
}
