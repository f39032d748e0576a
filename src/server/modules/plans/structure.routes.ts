import type { FastifyInstance } from 'fastify';
import {
  nodeInput,
  nodeMoveInput,
  nodeUpdateInput,
  numberingPreviewInput,
  projectInput,
} from '../../../domain/schemas.js';
import type { AppContext } from '../../context.js';
import { parse } from '../../http/errors.js';
import { midAndId, requireActor } from '../../http/request.js';
import {
  createNode,
  createProject,
  deleteNode,
  deleteProject,
  moveNode,
  previewNumbering,
  restoreNode,
  restoreProject,
  updateNode,
  updateProject,
} from './structure.service.js';

export function structureRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post('/api/m/:mid/plans/:id/nodes', async (req, reply) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return reply.status(201).send({ node: await createNode(ctx, actor, p.mid, p.id, parse(nodeInput, req.body)) });
  });
  app.patch('/api/m/:mid/nodes/:id', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return { node: await updateNode(ctx, actor, p.mid, p.id, parse(nodeUpdateInput, req.body)) };
  });
  app.post('/api/m/:mid/nodes/:id/move', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return { node: await moveNode(ctx, actor, p.mid, p.id, parse(nodeMoveInput, req.body)) };
  });
  /** What a node change would renumber in the plan's current year: asked before making it. */
  app.post('/api/m/:mid/plans/:id/numbering-preview', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return previewNumbering(ctx, actor, p.mid, p.id, parse(numberingPreviewInput, req.body));
  });
  // 200 {archived: true} when the node was archived instead (answers or fixed numbers hang on it), 204 when deleted.
  app.delete('/api/m/:mid/nodes/:id', async (req, reply) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    const r = await deleteNode(ctx, actor, p.mid, p.id);
    return r.archived ? r : reply.status(204).send();
  });
  app.post('/api/m/:mid/nodes/:id/restore', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return { node: await restoreNode(ctx, actor, p.mid, p.id) };
  });
  app.post('/api/m/:mid/plans/:id/projects', async (req, reply) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return reply
      .status(201)
      .send({ project: await createProject(ctx, actor, p.mid, p.id, parse(projectInput, req.body)) });
  });
  app.put('/api/m/:mid/projects/:id', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return { project: await updateProject(ctx, actor, p.mid, p.id, parse(projectInput, req.body)) };
  });
  // 200 {archived: true, project} when the project was archived instead (it has answers), 204 when deleted.
  app.delete('/api/m/:mid/projects/:id', async (req, reply) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    const r = await deleteProject(ctx, actor, p.mid, p.id);
    return r.archived ? r : reply.status(204).send();
  });
  app.post('/api/m/:mid/projects/:id/restore', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return { project: await restoreProject(ctx, actor, p.mid, p.id) };
  });
}
