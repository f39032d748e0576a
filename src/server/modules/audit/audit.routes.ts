import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.js';
import { parse } from '../../http/errors.js';
import { mid, requireActor } from '../../http/request.js';
import { auditQuery, exportAudit, listAudit, type AuditQuery } from './audit.service.js';
import type { Actor } from '../auth/index.js';

/** The trail as JSON for the page, or as a CSV download (the service audits the export). */
async function answer(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number | null,
  q: AuditQuery,
  reply: FastifyReply,
) {
  if (q.format === 'json') return listAudit(ctx, actor, municipalityId, q);
  const body = await exportAudit(ctx, actor, municipalityId, q);
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
