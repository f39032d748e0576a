import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  departmentInput,
  departmentUpdateInput,
  fiscalYear,
  reasonInput,
  reorganisationInput,
  reorganisationUpdateInput,
} from '../../../domain/schemas.js';
import type { AppContext } from '../../context.js';
import { parse } from '../../http/errors.js';
import { mid, midAndId, requireActor } from '../../http/request.js';
import {
  previewReorganisationUpdate,
  cancelReorganisation,
  createDepartment,
  deleteDepartment,
  listDepartments,
  listReorganisations,
  previewReorganisation,
  reorganise,
  updateDepartment,
  updateReorganisation,
} from './departments.service.js';

export function departmentRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/m/:mid/departments', async (req) => ({
    departments: await listDepartments(ctx, requireActor(req), mid(req)),
  }));
  app.post('/api/m/:mid/departments', async (req, reply) => {
    const actor = requireActor(req);
    const department = await createDepartment(ctx, actor, mid(req), parse(departmentInput, req.body));
    return reply.status(201).send({ department });
  });
  app.patch('/api/m/:mid/departments/:id', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return { department: await updateDepartment(ctx, actor, p.mid, p.id, parse(departmentUpdateInput, req.body)) };
  });
  app.delete('/api/m/:mid/departments/:id', async (req, reply) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    await deleteDepartment(ctx, actor, p.mid, p.id);
    return reply.status(204).send();
  });
  app.get('/api/m/:mid/departments/reorganisations', async (req) => ({
    reorganisations: await listReorganisations(ctx, requireActor(req), mid(req)),
  }));
  app.post('/api/m/:mid/departments/reorganisations/preview', async (req) => {
    const actor = requireActor(req);
    return previewReorganisation(ctx, actor, mid(req), parse(reorganisationInput, req.body));
  });
  app.post('/api/m/:mid/departments/reorganisations/:id/preview', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return previewReorganisationUpdate(
      ctx,
      actor,
      p.mid,
      p.id,
      parse(z.object({ effectiveYear: fiscalYear }), req.body).effectiveYear,
    );
  });
  app.patch('/api/m/:mid/departments/reorganisations/:id', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return {
      departments: await updateReorganisation(ctx, actor, p.mid, p.id, parse(reorganisationUpdateInput, req.body)),
    };
  });
  app.post('/api/m/:mid/departments/reorganisations/:id/cancel', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return { departments: await cancelReorganisation(ctx, actor, p.mid, p.id, parse(reasonInput, req.body).reason) };
  });
  app.post('/api/m/:mid/departments/reorganisations', async (req, reply) => {
    const actor = requireActor(req);
    const departments = await reorganise(ctx, actor, mid(req), parse(reorganisationInput, req.body));
    return reply.status(201).send({ departments });
  });
}
