import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'shinchoku_sid';
export const CSRF_COOKIE = 'shinchoku_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Signed double-submit token: the browser holds it in a SameSite=Strict cookie signed with the
 * server secret and repeats it in a header on every state-changing request. Another site can
 * neither read the cookie nor forge a signed one.
 */
export function issueCsrfToken(req: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  const existing = req.cookies[CSRF_COOKIE];
  if (existing && req.unsignCookie(existing).valid) return existing;
  const value = crypto.randomBytes(24).toString('base64url');
  const signed = reply.signCookie(value);
  reply.setCookie(CSRF_COOKIE, signed, { path: '/', sameSite: 'strict', httpOnly: false, secure });
  return signed;
}

export function csrfValid(req: FastifyRequest): boolean {
  const cookie = req.cookies[CSRF_COOKIE];
  const header = req.headers[CSRF_HEADER];
  if (!cookie || typeof header !== 'string' || header.length !== cookie.length) return false;
  if (!crypto.timingSafeEqual(Buffer.from(header), Buffer.from(cookie))) return false;
  return req.unsignCookie(cookie).valid;
}
