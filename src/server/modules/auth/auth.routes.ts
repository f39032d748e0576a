import type { FastifyInstance } from 'fastify';
import { loginInput, passwordChangeInput } from '../../../domain/schemas.js';
import { parse } from '../../http/errors.js';
import type { AppContext } from '../../context.js';
import { requireActor } from '../../http/request.js';
import { CSRF_COOKIE, SESSION_COOKIE, issueCsrfToken, sessionToken } from './csrf.js';
import { changeOwnPassword, login, logout, sessionMunicipality } from './auth.service.js';

export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: ctx.config.cookieSecure };

  app.get('/api/session', async (req, reply) => {
    const csrfToken = issueCsrfToken(req, reply, ctx.config.cookieSecure);
    if (!req.actor) return { user: null, csrfToken };
    return { user: req.actor.user, municipality: await sessionMunicipality(ctx, req.actor), csrfToken };
  });

  // Failed logins are counted in the database per account and per address (login-throttle.ts).
  app.post('/api/auth/login', async (req, reply) => {
    const input = parse(loginInput, req.body);
    const { token, user } = await login(
      ctx,
      input,
      { requestId: req.id, ip: req.ip, userAgent: req.headers['user-agent'] ?? '' },
      sessionToken(req),
    );
    // The cookie lasts no longer than the session can (its absolute lifetime); the server ends it earlier when idle.
    reply.setCookie(SESSION_COOKIE, token, {
      ...cookieOptions,
      signed: true,
      maxAge: Math.floor(ctx.config.sessionAbsoluteHours * 3600),
    });
    return { user };
  });

  app.post('/api/auth/password', async (req) => {
    const actor = requireActor(req);
    await changeOwnPassword(ctx, actor, sessionToken(req) ?? '', parse(passwordChangeInput, req.body));
    return { ok: true };
  });

  app.post('/api/auth/logout', async (req, reply) => {
    const raw = req.cookies[SESSION_COOKIE];
    if (raw) {
      const unsigned = req.unsignCookie(raw);
      if (unsigned.valid && unsigned.value) await logout(ctx, unsigned.value, req.actor);
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
    return { ok: true };
  });
}
