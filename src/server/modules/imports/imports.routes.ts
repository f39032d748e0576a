import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { commitInput, mappingSchema, previewInput, sourceSchema } from '../../../domain/import/schemas.js';
import type { AppContext } from '../../context.js';
import { parse } from '../../http/errors.js';
import { mid, requireActor } from '../../http/request.js';
import { commitPreviewed, listMappings, previewImport, readSource, saveMapping } from './imports.service.js';
import { departmentWorkbook, uploadDepartmentWorkbook } from './department-workbook.service.js';
import { listImportBatches, undoImportBatch } from './batches.service.js';
import type { ImportBatchList, ImportReplacePreview, ImportUndoResult } from '../../../domain/api-types.js';
import { id } from '../../../domain/schemas.js';

export const deptParams = z.object({ mid: id, id, departmentId: id });
const planParams = z.object({ mid: id, id });
export const uploadBody = z.object({
  base64: z.string().min(1, 'ファイルが空です'),
  apply: z.boolean().default(false),
});

// Files come base64-encoded in JSON: 20 MB of file is about 27 MB of body.
const IMPORT_BODY_LIMIT = 28 * 1024 * 1024;

export function importRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/m/:mid/import-mappings', async (req) => ({
    mappings: await listMappings(ctx, requireActor(req), mid(req)),
  }));
  app.post('/api/m/:mid/import-mappings', async (req, reply) => {
    const actor = requireActor(req);
    return reply.status(201).send({ mapping: await saveMapping(ctx, actor, mid(req), parse(mappingSchema, req.body)) });
  });
  app.get('/api/m/:mid/rounds/:id/departments/:departmentId/workbook', async (req, reply) => {
    const actor = requireActor(req);
    const p = parse(deptParams, req.params);
    const file = await departmentWorkbook(ctx, actor, p.mid, p.id, p.departmentId);
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header(
        'content-disposition',
        `attachment; filename="answers.xlsx"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      )
      .send(file.buffer);
  });
  app.post(
    '/api/m/:mid/rounds/:id/departments/:departmentId/workbook',
    { bodyLimit: IMPORT_BODY_LIMIT },
    async (req) => {
      const actor = requireActor(req);
      const p = parse(deptParams, req.params);
      const body = parse(uploadBody, req.body);
      return uploadDepartmentWorkbook(
        ctx,
        actor,
        p.mid,
        p.id,
        p.departmentId,
        Buffer.from(body.base64, 'base64'),
        body.apply,
      );
    },
  );
  app.post('/api/m/:mid/imports/source', { bodyLimit: IMPORT_BODY_LIMIT }, async (req) => {
    const actor = requireActor(req);
    return readSource(ctx, actor, mid(req), parse(z.object({ source: sourceSchema }), req.body).source);
  });
  app.post('/api/m/:mid/imports/preview', { bodyLimit: IMPORT_BODY_LIMIT }, async (req) => {
    const actor = requireActor(req);
    return previewImport(ctx, actor, mid(req), parse(previewInput, req.body));
  });
  app.post('/api/m/:mid/imports/commit', { bodyLimit: IMPORT_BODY_LIMIT }, async (req) => {
    const actor = requireActor(req);
    return commitPreviewed(ctx, actor, mid(req), parse(commitInput, req.body));
  });
  app.post('/api/m/:mid/imports/replace-preview', { bodyLimit: IMPORT_BODY_LIMIT }, async (req) => {
    const actor = requireActor(req);
    const r = await commitPreviewed(ctx, actor, mid(req), parse(commitInput, req.body), { dryRun: true });
    const answer: ImportReplacePreview = {
      created: r.created,
      updated: r.updated,
      removals: r.removals,
      nodeMatches: r.nodeMatches,
    };
    return answer;
  });
  app.get('/api/m/:mid/plans/:id/import-batches', async (req) => {
    const actor = requireActor(req);
    const p = parse(planParams, req.params);
    const answer: ImportBatchList = { batches: await listImportBatches(ctx, actor, p.mid, p.id) };
    return answer;
  });
  app.post('/api/m/:mid/import-batches/:id/undo', async (req) => {
    const actor = requireActor(req);
    const p = parse(planParams, req.params);
    const answer: ImportUndoResult = await undoImportBatch(ctx, actor, p.mid, p.id);
    return answer;
  });
}
