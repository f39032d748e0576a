import crypto from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import type { AppContext } from './context.js';
export type { AppContext } from './context.js';
import { sql } from 'kysely';
import { isDatabaseUnavailable, isStatementTimeout } from './db/db.js';
import { acrossMunicipalities, inMunicipality, inNoMunicipality } from './db/tenant.js';
import { canRead } from '../domain/policy.js';
import { midParams } from './http/request.js';
import { AppError } from './http/errors.js';
import { serveSpa } from './http/spa.js';
import { SESSION_COOKIE, csrfValid, findSessionUser, authRoutes } from './modules/auth/index.js';
import { municipalityRoutes } from './modules/municipalities/index.js';
import { userRoutes } from './modules/users/index.js';
import { departmentRoutes } from './modules/departments/index.js';
import { planRoutes, structureRoutes } from './modules/plans/index.js';
import { auditRoutes } from './modules/audit/index.js';
import { indicatorRoutes } from './modules/indicators/index.js';
import { evaluationRoutes } from './modules/evaluations/index.js';
import { roundRoutes, SheetCache } from './modules/rounds/index.js';
import { recordRoutes } from './modules/records/index.js';
import { councilRoutes } from './modules/council/index.js';
import { taskRoutes } from './modules/tasks/index.js';
import { importRoutes, ParsePool } from './modules/imports/index.js';
import { reportRoutes } from './modules/reports/index.js';
import { PROTECTED } from './db/migrations/007-trustworthy-record.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const PASSWORD_CHANGE_ROUTES = new Set([
  'GET /api/session',
  'POST /api/auth/password',
  'POST /api/auth/logout',
  'POST /api/auth/login',
]);

/** A Fastify server as configured: logging, the trusted proxies, the body limit, request ids. */
function createServer(ctx: AppContext & { logger?: boolean | object }): FastifyInstance {
  return Fastify({
    logger: ctx.logger ?? { level: ctx.config.logLevel },
    // A hop count trusts that many proxies nearest the server; the client is the address before them.
    trustProxy:
      typeof ctx.config.trustProxy === 'number'
        ? (
            (hops: number) => (_address: string, hop: number) =>
              hop < hops
          )(ctx.config.trustProxy)
        : ctx.config.trustProxy,
    bodyLimit: 5 * 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
  });
}

/** Security headers: a CSP with no outside host, HSTS where cookies are secure. */
async function securityHeaders(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    hsts: ctx.config.cookieSecure,
  });
}

/**
 * Every API request: the actor from the session cookie, the CSRF token on unsafe methods, and a
 * password someone else set changed before anything else is done.
 */
function authenticateRequests(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const raw = req.cookies[SESSION_COOKIE];
    if (raw) {
      const unsigned = req.unsignCookie(raw);
      const token = unsigned.valid ? unsigned.value : null;
      if (token) {
        // One statement (and, once a minute, the sliding expiry's own): no transaction around them, so that
        // on PostgreSQL the lookup every request makes is one round trip (db/one-trip.ts).
        const user = await acrossMunicipalities('session', () =>
          findSessionUser(ctx.db, token, ctx.config.sessionHours, ctx.config.sessionAbsoluteHours),
        );
        if (user) req.actor = { user, requestId: req.id, ip: req.ip, userAgent: req.headers['user-agent'] ?? '' };
      }
    }
    if (UNSAFE.has(req.method) && !csrfValid(req))
      throw new AppError('CSRF', '画面の有効期限が切れました。ページを再読み込みしてからもう一度操作してください');
    // A password someone else set (new account, reset) is changed before anything else is done.
    if (req.actor?.user.mustChangePassword && !PASSWORD_CHANGE_ROUTES.has(`${req.method} ${req.url.split('?')[0]}`))
      throw new AppError(
        'FORBIDDEN',
        '初めてのログインまたはパスワードの再設定のため、先にパスワードを変更してください',
        undefined,
        { passwordChangeRequired: true },
      );
  });
}

/**
 * The municipality a request's database work is confined to (PostgreSQL row-level security, see
 * db/tenant.ts), decided once the actor is known and the body parsed: the path's `:mid` when the
 * actor may read it, else the actor's own municipality, else none. A request whose actor may not
 * read its `:mid` still runs (its service answers 403), in no municipality: the database would show
 * it nothing had the service forgotten to ask. Cross-tenant paths widen it themselves, by name.
 */
function scopeRequests(app: FastifyInstance): void {
  // Callback style: the handler runs inside `done`, so inside the scope, with everything it awaits.
  app.addHook('preHandler', (req, _reply, done) => {
    const user = req.actor?.user;
    const path = midParams.safeParse(req.params);
    const municipalityId = path.success
      ? user && canRead(user, path.data.mid)
        ? path.data.mid
        : null
      : (user?.municipalityId ?? null);
    if (municipalityId === null) inNoMunicipality(done);
    else inMunicipality(municipalityId, done);
  });
}

/** An AppError as the API answers it: its status, code and Japanese message. */
function sendAppError(error: AppError, req: FastifyRequest, reply: FastifyReply) {
  const retryAfter = error.extra?.retryAfter;
  if (typeof retryAfter === 'number') reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfter))));
  return reply
    .status(error.status)
    .send({ ...error.extra, code: error.code, message: error.message, details: error.details, requestId: req.id });
}

/** Anything else thrown: the rows the database protects, Fastify's refusals, a database away, else a 500. */
function sendOtherError(error: unknown, req: FastifyRequest, reply: FastifyReply) {
  // Fastify hands the handler whatever was thrown; each field read below is checked before use.
  const e: { statusCode?: unknown; code?: unknown; message?: unknown } =
    typeof error === 'object' && error !== null ? error : {};
  // The database refused to destroy or change what must be kept (see migration 007): a bug
  // upstream, but the answer to the user is the plain rule.
  if (typeof e.message === 'string' && e.message.includes(PROTECTED)) {
    req.log.error({ err: error }, 'protected row');
    return reply.status(409).send({
      code: 'CONFLICT',
      message: '確定・公表された記録や回答の履歴は削除・変更できません',
      requestId: req.id,
    });
  }
  if (e.statusCode === 413)
    return reply.status(413).send({ code: 'VALIDATION', message: '送信されたデータが大きすぎます', requestId: req.id });
  if (e.statusCode === 400 || e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
    return reply.status(400).send({
      code: 'VALIDATION',
      message: '送信されたデータの形式が正しくありません（JSON で送信してください）',
      requestId: req.id,
    });
  if (e.statusCode === 415)
    return reply
      .status(415)
      .send({ code: 'VALIDATION', message: 'この形式のデータは受け付けられません', requestId: req.id });
  if (isStatementTimeout(error)) {
    req.log.warn({ err: error }, 'statement timeout');
    return reply.status(503).send({
      code: 'UNAVAILABLE',
      message:
        'データベースの処理に時間がかかりすぎたため中断しました。入力した内容は画面に残っています。少し待ってからもう一度お試しください',
      requestId: req.id,
    });
  }
  if (isDatabaseUnavailable(error)) {
    req.log.warn({ err: error }, 'database unavailable');
    return reply.status(503).header('retry-after', '5').send({
      code: 'UNAVAILABLE',
      message:
        'データベースに接続できないため、しばらく処理できません。入力した内容は画面に残っています。少し待ってからもう一度お試しください',
      requestId: req.id,
    });
  }
  req.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send({
    code: 'INTERNAL',
    message: 'システムエラーが発生しました。時間をおいてもう一度お試しください',
    requestId: req.id,
  });
}

/** Liveness: the process answers. Readiness: the database answers too (503 while it does not). */
function healthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/health/live', async () => ({ status: 'ok' }));
  const ready = async (_req: FastifyRequest, reply: FastifyReply) => {
    try {
      // A statement through the app's own path (on PostgreSQL: the role switch of every transaction).
      await sql`select 1`.execute(ctx.db);
      return { status: 'ok', database: 'ok' };
    } catch {
      return reply.status(503).header('retry-after', '5').send({ status: 'unavailable', database: 'unreachable' });
    }
  };
  app.get('/api/health', ready);
  app.get('/api/health/ready', ready);
}

/** Each module's routes, from its public surface. */
function moduleRoutes(app: FastifyInstance, context: AppContext): void {
  authRoutes(app, context);
  municipalityRoutes(app, context);
  userRoutes(app, context);
  departmentRoutes(app, context);
  planRoutes(app, context);
  structureRoutes(app, context);
  auditRoutes(app, context);
  indicatorRoutes(app, context);
  evaluationRoutes(app, context);
  roundRoutes(app, context);
  recordRoutes(app, context);
  councilRoutes(app, context);
  taskRoutes(app, context);
  importRoutes(app, context);
  reportRoutes(app, context);
}

export async function buildApp(
  ctx: AppContext & { sessionSecret: string; logger?: boolean | object },
): Promise<FastifyInstance> {
  const app = createServer(ctx);
  const context: AppContext = {
    db: ctx.db,
    dialect: ctx.dialect,
    config: ctx.config,
    sheetCache: ctx.sheetCache ?? new SheetCache(ctx.config.sheetBuilds),
    clock: ctx.clock,
    parsePool: new ParsePool(ctx.config.imports),
  };
  app.addHook('onClose', async () => context.parsePool?.close());
  await securityHeaders(app, ctx);
  await app.register(cookie, { secret: ctx.sessionSecret });
  authenticateRequests(app, ctx);
  scopeRequests(app);
  // Answers and downloads may hold personal data and unpublished answers: never kept by browsers or proxies.
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
  app.setErrorHandler((error, req, reply) =>
    error instanceof AppError ? sendAppError(error, req, reply) : sendOtherError(error, req, reply),
  );
  healthRoutes(app, ctx);
  moduleRoutes(app, context);
  app.all('/api/*', async () => {
    throw new AppError('NOT_FOUND', 'API が見つかりません');
  });
  await serveSpa(app, ctx.config.webRoot);
  return app;
}
