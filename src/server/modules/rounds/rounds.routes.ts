import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { bulkReviewInput, messageInput, roundInput, undoReviewInput } from '../../../domain/cycle.js';
import { id } from '../../../domain/schemas.js';
import type { AppContext } from '../../context.js';
import { parse } from '../../http/errors.js';
import { mid, midAndId, requireActor } from '../../http/request.js';
import {
  approveRecords,
  bulkReview,
  returnRecords,
  reviewTable,
  submitDepartment,
  undoReview,
} from '../records/index.js';
import {
  addMissingRecords,
  closeRound,
  listRounds,
  openRound,
  reopenForDepartment,
  roundBoard,
} from './rounds.service.js';
import { departmentSheetJson } from './sheet.service.js';

export const deptParams = z.object({ mid: id, id, departmentId: id });
export const listQuery = z.object({ planId: id.optional() });

export function roundRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/m/:mid/rounds', async (req) => {
    const actor = requireActor(req);
    return { rounds: await listRounds(ctx, actor, mid(req), parse(listQuery, req.query).planId) };
  });
  app.post('/api/m/:mid/rounds', async (req, reply) => {
    const actor = requireActor(req);
    return reply.status(201).send({ round: await openRound(ctx, actor, mid(req), parse(roundInput, req.body)) });
  });
  app.post('/api/m/:mid/rounds/:id/close', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return { round: await closeRound(ctx, actor, p.mid, p.id) };
  });
  app.get('/api/m/:mid/rounds/:id/review', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return reviewTable(ctx, actor, p.mid, p.id);
  });
  app.post('/api/m/:mid/rounds/:id/review', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return bulkReview(ctx, actor, p.mid, p.id, parse(bulkReviewInput, req.body));
  });
  app.post('/api/m/:mid/rounds/:id/review/undo', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return { records: await undoReview(ctx, actor, p.mid, p.id, parse(undoReviewInput, req.body)) };
  });
  app.get('/api/m/:mid/rounds/:id/board', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return roundBoard(ctx, actor, p.mid, p.id);
  });
  app.post('/api/m/:mid/rounds/:id/missing-records', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return addMissingRecords(ctx, actor, p.mid, p.id);
  });
  app.get('/api/m/:mid/rounds/:id/departments/:departmentId/sheet', async (req, reply) => {
    const actor = requireActor(req);
    const p = parse(deptParams, req.params);
    return reply
      .type('application/json; charset=utf-8')
      .send(await departmentSheetJson(ctx, actor, p.mid, p.id, p.departmentId));
  });
  app.post('/api/m/:mid/rounds/:id/departments/:departmentId/reopen', async (req) => {
    const actor = requireActor(req);
    const p = parse(deptParams, req.params);
    return { round: await reopenForDepartment(ctx, actor, p.mid, p.id, p.departmentId) };
  });
  app.post('/api/m/:mid/rounds/:id/departments/:departmentId/submit', async (req) => {
    const actor = requireActor(req);
    const p = parse(deptParams, req.params);
    return { records: await submitDepartment(ctx, actor, p.mid, p.id, p.departmentId) };
  });
  app.post('/api/m/:mid/rounds/:id/departments/:departmentId/return', async (req) => {
    const actor = requireActor(req);
    const p = parse(deptParams, req.params);
    return {
      records: await returnRecords(
        ctx,
        actor,
        p.mid,
        { roundId: p.id, departmentId: p.departmentId },
        parse(messageInput, req.body).message,
      ),
    };
  });
  app.post('/api/m/:mid/rounds/:id/departments/:departmentId/approve', async (req) => {
    const actor = requireActor(req);
    const p = parse(deptParams, req.params);
    return { records: await approveRecords(ctx, actor, p.mid, { roundId: p.id, departmentId: p.departmentId }) };
  });
}
