import type { FastifyInstance } from 'fastify';
import { loginInput } from '../../../domain/schemas.js';
import { AppError, parse } from '../../http/errors.js';
import type { AppContext } from '../../app.js';
import { CSRF_COOKIE, SESSION_COOKIE, issueCsrfToken } from './csrf.js';
import { login, logout } from './auth.service.js';

export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: ctx.config.cookieSecure };

  app.get('/api/session', async (req, reply) => {
    const csrfToken = issueCsrfToken(req, reply, ctx.config.cookieSecure);
    if (!req.actor) return { user: null, csrfToken };
    const municipality = req.actor.user.municipalityId
      ? await ctx.db.selectFrom('municipalities').select(['id', 'name', 'code', 'era2019']).where('id', '=', req.actor.user.municipalityId).executeTakeFirst()
      : null;
    return { user: req.actor.user, municipality: municipality ?? null, csrfToken };
  });

  app.post(
    '/api/auth/login',
    {
      config: {
        rateLimit: {
          max: ctx.config.loginRateLimit,
          timeWindow: '5 minutes',
          // Per address and login name: one person mistyping does not lock out a whole office behind one proxy.
          keyGenerator: (req) => {
            const body = req.body as { loginName?: unknown } | undefined;
            return `${req.ip}|${typeof body?.loginName === 'string' ? body.loginName.toLowerCase() : ''}`;
          },
          errorResponseBuilder: (_req, context) =>
            new AppError('RATE_LIMITED', `ログインの試行回数が上限を超えました。${Math.ceil(context.ttl / 60000)}分後にもう一度お試しください`),
        },
      },
    },
    async (req, reply) => {
      const input = parse(loginInput, req.body);
      const { token, user } = await login(ctx, input, req.id);
      const old = req.cookies[SESSION_COOKIE];
      if (old) {
        const unsigned = req.unsignCookie(old);
        if (unsigned.valid && unsigned.value) await logout(ctx, unsigned.value, null);
      }
      reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, signed: true, maxAge: ctx.config.sessionHours * 3600 });
      return { user };
    },
  );

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
