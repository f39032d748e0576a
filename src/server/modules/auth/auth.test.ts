import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, PASSWORD, type Harness } from '../../testing/harness.js';

describe('sign-in and request protection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ LOGIN_RATE_LIMIT: '5' });
  });
  afterAll(() => h.close());

  it('answers the health check once ready', async () => {
    const res = await h.client().get('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'ok' });
    expect((await h.client().get('/api/health/live')).json()).toEqual({ status: 'ok' });
  });

  it('sends security headers with a CSP that allows only this host', async () => {
    const res = await h.client().get('/api/health');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/https?:/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('logs in, shows the session user, and logs out for good', async () => {
    const m = await h.municipality();
    const c = await h.as('coordinator', { municipalityId: m.id, loginName: 'coord-login' });
    const session = await c.get('/api/session');
    expect(session.json().user).toMatchObject({ loginName: 'coord-login', role: 'coordinator', municipalityId: m.id });
    expect(session.json().user.passwordHash).toBeUndefined();
    const cookie = c.sessionCookie();
    expect((await c.post('/api/auth/logout')).statusCode).toBe(200);
    expect((await c.get('/api/session')).json().user).toBeNull();
    // The old cookie is dead on the server, not only forgotten by the browser.
    const replay = await h.app.inject({
      method: 'GET',
      url: `/api/m/${m.id}/plans`,
      headers: { cookie: `shinchoku_sid=${cookie}` },
    });
    expect(replay.statusCode).toBe(401);
  });

  it('stores sessions in the database and passwords as Argon2id hashes', async () => {
    const m = await h.municipality();
    await h.as('coordinator', { municipalityId: m.id, loginName: 'hash-check' });
    const user = await h.db
      .selectFrom('users')
      .select(['id', 'password_hash'])
      .where('login_name', '=', 'hash-check')
      .executeTakeFirstOrThrow();
    expect(user.password_hash.startsWith('$argon2id$')).toBe(true);
    const sessions = await h.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
    expect(sessions).toHaveLength(1);
  });

  it('refuses a wrong password with a Japanese message and no hint which part was wrong', async () => {
    const m = await h.municipality();
    await h.as('department_viewer', {
      municipalityId: m.id,
      departmentId: await h.department(m.id, '総務課'),
      loginName: 'viewer-x',
    });
    const wrong = await h.client().login('viewer-x', 'not-the-password');
    const unknown = await h.client().login('nobody-here', 'not-the-password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().message).toBe(unknown.json().message);
    expect(wrong.json().message).toContain('パスワード');
  });

  it('limits login attempts per address and login name', async () => {
    const c = h.client();
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await c.login('limited-user', `wrong-${i}`)).statusCode);
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(codes.slice(5)).toEqual([429, 429]);
    const res = await c.login('limited-user', PASSWORD);
    expect(res.statusCode).toBe(429);
    expect(res.json().message).toContain('ログインの失敗が続いたため');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses a state-changing request without the CSRF token', async () => {
    const m = await h.municipality();
    const c = await h.as('coordinator', { municipalityId: m.id });
    const res = await c.post(`/api/m/${m.id}/departments`, { name: '企画課', kind: 'ka' }, { csrf: false });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('CSRF');
    const forged = await h.app.inject({
      method: 'POST',
      url: `/api/m/${m.id}/departments`,
      headers: { cookie: `shinchoku_csrf=forged.value`, 'x-csrf-token': 'forged.value' },
      payload: { name: '企画課', kind: 'ka' },
    });
    expect(forged.statusCode).toBe(403);
    const count = await h.db.selectFrom('departments').select('id').where('municipality_id', '=', m.id).execute();
    expect(count).toHaveLength(0);
  });

  it('asks to log in before any municipal data', async () => {
    const m = await h.municipality();
    const res = await h.client().get(`/api/m/${m.id}/plans`);
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toBe('ログインしてください');
  });

  it('answers unknown API paths with 404 in Japanese', async () => {
    const res = await h.client().get('/api/no-such-thing');
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toContain('見つかりません');
  });

  it('ends the sessions of a deactivated user', async () => {
    const m = await h.municipality();
    const admin = await h.as('system_admin');
    const c = await h.as('council_member', { municipalityId: m.id, loginName: 'council-off' });
    const user = await h.db
      .selectFrom('users')
      .select('id')
      .where('login_name', '=', 'council-off')
      .executeTakeFirstOrThrow();
    expect((await admin.patch(`/api/users/${user.id}`, { active: false })).statusCode).toBe(200);
    expect((await c.get(`/api/m/${m.id}/plans`)).statusCode).toBe(401);
    expect((await h.client().login('council-off', PASSWORD)).statusCode).toBe(401);
  });
});

describe('failures inside the server', () => {
  it('answer 500 with a Japanese message and no internals', async () => {
    const h = await createHarness();
    const m = await h.municipality();
    const c = await h.as('coordinator', { municipalityId: m.id });
    await h.db.schema.dropTable('plan_levels').execute();
    const res = await c.post(`/api/m/${m.id}/plans`, {
      title: '計画',
      firstYear: 2021,
      lastYear: 2025,
      levels: [
        { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
        { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
      ],
    });
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body.code).toBe('INTERNAL');
    expect(body.message).toContain('システムエラー');
    expect(body.requestId).toBeTruthy();
    expect(res.body).not.toMatch(/plan_levels|at .*\.ts|stack|sqlite|relation/i);
    // The plan row written before the failure was rolled back with it.
    expect(await h.db.selectFrom('plans').select('id').execute()).toHaveLength(0);
    await h.close();
  });
});
