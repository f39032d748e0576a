import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, parse } from './errors.js';
import type { Actor } from '../modules/auth/index.js';
import { id } from '../../domain/schemas.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('UNAUTHENTICATED', 'ログインしてください');
  return req.actor;
}

export const midParams = z.object({ mid: id });
export const midIdParams = z.object({ mid: id, id });

/** /api/m/:mid/... — the municipality in the path. */
export function mid(req: FastifyRequest): number {
  return parse(midParams, req.params).mid;
}

export function midAndId(req: FastifyRequest): { mid: number; id: number } {
  return parse(midIdParams, req.params);
}
