import type { FastifyInstance } from 'fastify';
import { commentInput, messageInput, recordSaveInput } from '../../../domain/cycle.js';
import type { AppContext } from '../../context.js';
import { parse } from '../../http/errors.js';
import { midAndId, requireActor } from '../../http/request.js';
import {
  addComment,
  approveRecords,
  recordHistory,
  returnRecords,
  saveRecord,
  submitRecord,
} from './records.service.js';

export function recordRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.put('/api/m/:mid/records/:id', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return { record: await saveRecord(ctx, actor, p.mid, p.id, parse(recordSaveInput, req.body)) };
  });
  app.post('/api/m/:mid/records/:id/submit', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return { record: await submitRecord(ctx, actor, p.mid, p.id) };
  });
  app.post('/api/m/:mid/records/:id/return', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return {
      records: await returnRecords(ctx, actor, p.mid, { recordId: p.id }, parse(messageInput, req.body).message),
    };
  });
  app.post('/api/m/:mid/records/:id/approve', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return { records: await approveRecords(ctx, actor, p.mid, { recordId: p.id }) };
  });
  app.post('/api/m/:mid/records/:id/comments', async (req, reply) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return reply
      .status(201)
      .send({ comment: await addComment(ctx, actor, p.mid, p.id, parse(commentInput, req.body).body) });
  });
  app.get('/api/m/:mid/records/:id/history', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return recordHistory(ctx, actor, p.mid, p.id);
  });
}
