import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'shinchoku_sid';
export const CSRF_COOKIE = 'shinchoku_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** The session token from the signed session cookie, if there is a valid one. */
export function sessionToken(req: FastifyRequest): string | null {
  const raw = req.cookies[SESSION_COOKIE];
  if (!raw) return null;
  const unsigned = req.unsignCookie(raw);
  return unsigned.valid && unsigned.value ? unsigned.value : null;
}

/**
 * The CSRF token of a session: the server's signature over the session's digest. It belongs to that
 * session (another session's token does not pass) and is new at every login, since every login
 * makes a new session. Another site can neither read it nor compute it.
 */
function sessionBoundToken(req: FastifyRequest, token: string): string {
  const digest = crypto.createHash('sha256').update(`csrf:${token}`).digest('base64url');
  const signed = req.server.signCookie(digest);
  return signed.slice(signed.lastIndexOf('.') + 1);
}

/**
 * The token the browser must repeat in `X-CSRF-Token`: bound to the session when signed in; before
 * signing in (the login form), a signed double-submit token in a SameSite=Strict cookie.
 */
export function issueCsrfToken(req: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  const token = sessionToken(req);
  if (token && req.actor) return sessionBoundToken(req, token);
  const existing = req.cookies[CSRF_COOKIE];
  if (existing && req.unsignCookie(existing).valid) return existing;
  const value = crypto.randomBytes(24).toString('base64url');
  const signed = reply.signCookie(value);
  reply.setCookie(CSRF_COOKIE, signed, { path: '/', sameSite: 'strict', httpOnly: false, secure });
  return signed;
}

const same = (a: string, b: string) => a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function csrfValid(req: FastifyRequest): boolean {
  const header = req.headers[CSRF_HEADER];
  if (typeof header !== 'string') return false;
  const token = sessionToken(req);
  if (token && req.actor) return same(header, sessionBoundToken(req, token));
  const cookie = req.cookies[CSRF_COOKIE];
  if (!cookie || !same(header, cookie)) return false;
  return req.unsignCookie(cookie).valid;
}
