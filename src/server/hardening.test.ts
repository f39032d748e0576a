import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { createHarness, PASSWORD, uniqueCode, type Harness } from './testing/harness.js';

describe('small hardening', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ SESSION_HOURS: '1.1' });
  });
  afterAll(() => h.close());

  it('logs in with a fractional SESSION_HOURS, and the cookie lasts no longer than the session can', async () => {
    const m = await h.municipality();
    await h.as('coordinator', { municipalityId: m.id, loginName: 'fraction-user' });
    const c = h.client();
    const res = await c.login('fraction-user', PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((k) => k.name === 'shinchoku_sid')!;
    expect(cookie.maxAge).toBe(24 * 3600);
  });

  it('binds the CSRF token to the session and renews it at login', async () => {
    const m = await h.municipality();
    const a = await h.as('coordinator', { municipalityId: m.id, loginName: 'csrf-a' });
    const b = await h.as('coordinator', { municipalityId: m.id, loginName: 'csrf-b' });
    expect(a.csrf).not.toBe(b.csrf);
    const stolen = b.csrf;
    b.csrf = a.csrf;
    expect((await b.post(`/api/m/${m.id}/departments`, { name: '企画課', kind: 'ka' })).statusCode).toBe(403);
    b.csrf = stolen;
    expect((await b.post(`/api/m/${m.id}/departments`, { name: '企画課', kind: 'ka' })).statusCode).toBe(201);
    const before = a.csrf;
    await a.login('csrf-a', PASSWORD);
    expect(a.csrf).not.toBe(before);
  });

  it('marks API answers not to be stored', async () => {
    const res = await h.client().get('/api/session');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('refuses a line break in a single-line field, naming the field', async () => {
    const m = await h.municipality();
    const c = await h.as('coordinator', { municipalityId: m.id });
    const res = await c.post(`/api/m/${m.id}/departments`, { name: '企画課\r\nBcc: x@example.com', kind: 'ka' });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0]).toMatchObject({ field: 'name', message: '名称は改行を入れずに入力してください' });
  });

  it('stores a 全国地方公共団体コード half-width and trimmed, so a full-width copy is the same municipality', async () => {
    const admin = await h.as('system_admin');
    const code = uniqueCode();
    const wide = ` ${code.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0))}\u3000`;
    const first = await admin.post('/api/municipalities', { name: '全角市', code: wide });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().municipality.code).toBe(code);
    const again = await admin.post('/api/municipalities', { name: '半角市', code });
    expect(again.statusCode).toBe(409);
  });
});

describe('configuration', () => {
  it('says in Japanese what is wrong with a setting', () => {
    expect(() => loadConfig({ SESSION_HOURS: 'abc' })).toThrow(/SESSION_HOURS は時間数/);
    expect(() => loadConfig({ TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY は false/);
    expect(() => loadConfig({ INITIAL_ADMIN_PASSWORD: 'admin-admin-admin' })).toThrow(/INITIAL_ADMIN_PASSWORD/);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.0.0.2' }).trustProxy).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(() => loadConfig({ SHEET_BUILDS: '0' })).toThrow(/SHEET_BUILDS は1以上/);
  });

  it('builds half as many sheets at once as the PostgreSQL pool has connections, unless told', () => {
    const pg = { DATABASE_URL: 'postgres://app@127.0.0.1/shinchoku' };
    expect(loadConfig(pg).sheetBuilds).toBe(5);
    expect(loadConfig({ ...pg, DATABASE_POOL_SIZE: '1' }).sheetBuilds).toBe(1);
    expect(loadConfig({ ...pg, DATABASE_POOL_SIZE: '20', SHEET_BUILDS: '3' }).sheetBuilds).toBe(3);
    // SQLite's one connection has no pool to keep free.
    expect(loadConfig({}).sheetBuilds).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('behind a reverse proxy (TRUST_PROXY=1)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ TRUST_PROXY: '1', LOGIN_RATE_LIMIT: '1' });
  });
  afterAll(() => h.close());

  it('reads the client address the proxy appended, not what the client wrote before it', async () => {
    const c = h.client();
    await c.get('/api/session');
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        // The client forges the left part differently each time; the proxy appends the address it saw.
        headers: { ...c.httpHeaders(), 'x-forwarded-for': `203.0.113.${i}, 198.51.100.7` },
        payload: { loginName: `guess-${i}`, password: 'wrong' },
      });
      codes.push(res.statusCode);
    }
    // Ten failures from one address (ten times LOGIN_RATE_LIMIT), whatever the forged part: the eleventh is refused.
    expect(codes).toEqual([...Array(10).fill(401), 429]);
    const rows = await h.db.selectFrom('audit_log').select('ip').where('action', '=', 'login_failed').execute();
    expect(new Set(rows.map((r) => r.ip))).toEqual(new Set(['198.51.100.7']));
  });
});

describe('the database’s own checks', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  it('refuses a value outside a column’s list, whatever the code above it does', async () => {
    const m = await h.municipality();
    const write = (role: string) =>
      h.db
        .insertInto('users')
        .values({
          login_name: `x-${role}`,
          display_name: 'x',
          role: role as 'coordinator',
          municipality_id: m.id,
          department_id: null,
          password_hash: 'x',
          active: 1,
          created_at: '',
          updated_at: '',
        })
        .execute();
    await expect(write('superuser')).rejects.toThrow(/check/i);
    await write('coordinator');
    await expect(
      h.db
        .updateTable('users')
        .set({ role: 'root' as 'coordinator' })
        .where('login_name', '=', 'x-coordinator')
        .execute(),
    ).rejects.toThrow(/check/i);
  });
});
