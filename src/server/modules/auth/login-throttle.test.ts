import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { Client, createHarness, PASSWORD, type Harness } from '../../testing/harness.js';

/**
 * Guessing a password: every spelling of a login ID (spaces, tabs, 全角, upper case) is one account
 * and one counter, and the counter lives in the database, so two app processes on one database
 * (here two app instances) share it.
 */
describe('failed logins', () => {
  let h: Harness;
  let second: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    h = await createHarness({ LOGIN_RATE_LIMIT: '5' });
    second = await buildApp({ ...h.ctx, sessionSecret: crypto.randomBytes(32).toString('hex'), logger: false });
    const m = await h.municipality();
    await h.as('department_editor', {
      municipalityId: m.id,
      departmentId: await h.department(m.id, '人権推進課'),
      loginName: 'target-user',
    });
  });
  afterAll(async () => {
    await second.close();
    await h.close();
  });

  it('counts every spelling of the ID against one account, across both processes, and then refuses even the right password', async () => {
    const one = h.client();
    const two = new Client(second);
    const variants = [
      ' target-user',
      'target-user\t',
      'ＴＡＲＧＥＴ－ＵＳＥＲ',
      '\u3000target-user\u3000',
      'Target-User',
    ];
    const codes: number[] = [];
    for (const [i, v] of variants.entries()) codes.push((await (i % 2 ? two : one).login(v, `wrong-${i}`)).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401]);
    const locked = await two.login('target-user', PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().message).toMatch(/ログインの失敗が続いたため、しばらくログインできません。\d+分後/);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(50);
    expect((await one.login('ｔａｒｇｅｔ－ｕｓｅｒ', PASSWORD)).statusCode).toBe(429);
    const rows = await h.db
      .selectFrom('login_failures')
      .select(['key', 'failures'])
      .where('key', '=', 'a:target-user')
      .execute();
    expect(rows).toEqual([{ key: 'a:target-user', failures: 5 }]);
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['action', 'actor_login'])
      .where('action', 'in', ['login_failed', 'lockout'])
      .orderBy('id')
      .execute();
    expect(audit.filter((a) => a.action === 'login_failed')).toHaveLength(5);
    expect(audit.every((a) => a.actor_login === 'target-user')).toBe(true);
    expect(audit.map((a) => a.action)).toContain('lockout');
  });

  it('lets the account in once the lock has passed and clears its count on success', async () => {
    await h.db
      .updateTable('login_failures')
      .set({ locked_until: new Date(Date.now() - 1000).toISOString() })
      .where('key', '=', 'a:target-user')
      .execute();
    const c = h.client();
    expect((await c.login('target-user', PASSWORD)).statusCode).toBe(200);
    expect(await h.db.selectFrom('login_failures').select('key').where('key', '=', 'a:target-user').execute()).toEqual(
      [],
    );
  });

  it('doubles the lock with each further failure', async () => {
    const c = h.client();
    for (let i = 0; i < 5; i++) await c.login('target-user', 'wrong');
    const first = await h.db
      .selectFrom('login_failures')
      .select('locked_until')
      .where('key', '=', 'a:target-user')
      .executeTakeFirstOrThrow();
    await h.db.updateTable('login_failures').set({ locked_until: null }).where('key', '=', 'a:target-user').execute();
    await c.login('target-user', 'wrong');
    const second = await h.db
      .selectFrom('login_failures')
      .select('locked_until')
      .where('key', '=', 'a:target-user')
      .executeTakeFirstOrThrow();
    const span = (v: string | null) => Date.parse(v!) - Date.now();
    expect(span(first.locked_until)).toBeGreaterThan(50_000);
    expect(span(second.locked_until)).toBeGreaterThan(110_000);
  });

  it('locks an address that fails ten times as often as an account may, whatever IDs it tries', async () => {
    // This test's address starts with a clean count (the tests above failed from it too).
    await h.db.deleteFrom('login_failures').execute();
    const c = h.client();
    const codes: number[] = [];
    for (let i = 0; i < 51; i++) codes.push((await c.login(`nobody-${i}`, 'wrong')).statusCode);
    expect(codes.slice(0, 50).every((s) => s === 401)).toBe(true);
    expect(codes[50]).toBe(429);
  });
});
