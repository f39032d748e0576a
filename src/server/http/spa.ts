import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

/** Vite's content-hashed files: a new build has new names, so a browser may keep these for a year. */
const HASHED = '/assets/';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves the built SPA from `webRoot` (dist/web) when it is there. The build writes a brotli and a
 * gzip copy beside each asset; the one the browser accepts is sent with its Content-Encoding.
 * Hashed assets are cached for good; index.html and anything else unhashed is revalidated.
 */
export async function serveSpa(app: FastifyInstance, webRoot: string): Promise<void> {
  const indexFile = path.join(webRoot, 'index.html');
  if (!fs.existsSync(indexFile)) return;
  await app.register(fastifyStatic, {
    root: webRoot,
    wildcard: false,
    index: false,
    preCompressed: true,
    // The compressed copies are sent in place of their asset, never under their own names.
    globIgnore: ['**/*.br', '**/*.gz'],
    cacheControl: false,
    setHeaders: (reply) =>
      void reply.header('cache-control', reply.request.url.startsWith(HASHED) ? IMMUTABLE : 'no-cache'),
  });
  const index = fs.readFileSync(indexFile);
  // The SPA owns every other path; its router shows its own "not found" page.
  app.setNotFoundHandler((req, reply) => {
    if (req.method !== 'GET')
      return reply.status(404).send({ code: 'NOT_FOUND', message: 'ページが見つかりません', requestId: req.id });
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(index);
  });
}
