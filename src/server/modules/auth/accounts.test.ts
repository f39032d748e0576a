import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, PASSWORD, type Client, type Harness } from '../../testing/harness.js';
import { cycleFixture, openRound, sheet } from '../../testing/cycle-fixtures.js';

const GOOD = 'sora-no-iro-wa-aoi-7';

describe('passwords and accounts', () => {
  let h: Harness;
  let mid: number;
  let dept: number;
  let coord: Client;
  let admin: Client;
  beforeAll(async () => {
    h = await createHarness();
    mid = (await h.municipality()).id;
    dept = await h.department(mid, '人権推進課');
    coord = await h.as('coordinator', { municipalityId: mid, loginName: 'coord-main' });
    admin = await h.as('system_admin', { loginName: 'root-admin' });
  });
  afterAll(() => h.close());

  it('changes one’s own password with the current one; other sessions end, this one goes on', async () => {
    const me = await h.as('department_editor', { municipalityId: mid, departmentId: dept, loginName: 'self-service' });
    const elsewhere = h.client();
    expect((await elsewhere.login('self-service', PASSWORD)).statusCode).toBe(200);
    const wrong = await me.post('/api/auth/password', { currentPassword: 'not-it', newPassword: GOOD });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().details[0]).toMatchObject({
      field: 'currentPassword',
      label: '今のパスワード',
      message: '今のパスワードが正しくありません',
    });
    const weak = await me.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'self-service-123' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().details[0]).toMatchObject({
      field: 'newPassword',
      message: 'ログインIDや氏名を含めないでください',
    });
    const ok = await me.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: GOOD });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await me.get('/api/session')).json().user.loginName).toBe('self-service');
    expect((await elsewhere.get(`/api/m/${mid}/plans`)).statusCode).toBe(401);
    expect((await h.client().login('self-service', PASSWORD)).statusCode).toBe(401);
    expect((await h.client().login('self-service', GOOD)).statusCode).toBe(200);
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['action', 'actor_login'])
      .where('actor_login', '=', 'self-service')
      .where('action', 'like', 'password%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['password_change_failed', 'password_change']);
  });

  it('makes a new account change the password it was given before anything else', async () => {
    const res = await coord.post('/api/users', {
      loginName: 'New.Comer',
      displayName: '新規 担当',
      role: 'department_editor',
      departmentId: dept,
      password: 'given-by-coord-1',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().user.loginName).toBe('new.comer');
    const c = h.client();
    const login = await c.login('ｎｅｗ．ｃｏｍｅｒ', 'given-by-coord-1');
    expect(login.statusCode).toBe(200);
    expect(login.json().user.mustChangePassword).toBe(true);
    const blocked = await c.get(`/api/m/${mid}/plans`);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json()).toMatchObject({ passwordChangeRequired: true });
    expect((await c.get('/api/session')).statusCode).toBe(200);
    expect(
      (await c.post('/api/auth/password', { currentPassword: 'given-by-coord-1', newPassword: GOOD })).statusCode,
    ).toBe(200);
    expect((await c.get(`/api/m/${mid}/plans`)).statusCode).toBe(200);
    expect((await c.get('/api/session')).json().user.mustChangePassword).toBe(false);
  });

  it('lets coordinators manage department and council accounts only; peers and administrators are the administrator’s', async () => {
    const peer = await coord.post('/api/users', {
      loginName: 'peer-coord',
      displayName: '同僚',
      role: 'coordinator',
      password: 'aozora-takai-77x',
    });
    expect(peer.statusCode).toBe(403);
    const made = await admin.post('/api/users', {
      loginName: 'peer-coord',
      displayName: '同僚',
      role: 'coordinator',
      municipalityId: mid,
      password: 'aozora-takai-77x',
    });
    expect(made.statusCode, made.body).toBe(201);
    const peerId = made.json().user.id;
    expect((await coord.patch(`/api/users/${peerId}`, { password: 'taken-over-pw-99' })).statusCode).toBe(403);
    expect((await coord.patch(`/api/users/${peerId}`, { displayName: '乗っ取り' })).statusCode).toBe(403);
    const council = await coord.post('/api/users', {
      loginName: 'council-1',
      displayName: '委員 一',
      role: 'council_member',
      password: 'iin-no-kari-pw-3',
    });
    expect(council.statusCode).toBe(201);
    const promote = await coord.patch(`/api/users/${council.json().user.id}`, { role: 'coordinator' });
    expect(promote.statusCode).toBe(403);
    const me = (await coord.get('/api/session')).json().user.id;
    expect((await coord.patch(`/api/users/${me}`, { password: 'my-new-pw-here-1' })).statusCode).toBe(403);
    // A reset by the coordinator is changed by its user at the next login.
    const reset = await coord.patch(`/api/users/${council.json().user.id}`, { password: 'reset-by-coord-22' });
    expect(reset.statusCode).toBe(200);
    const c = h.client();
    expect((await c.login('council-1', 'reset-by-coord-22')).json().user.mustChangePassword).toBe(true);
    // A reset password also follows the rule.
    const weak = await coord.patch(`/api/users/${council.json().user.id}`, { password: 'aaaaaaaaaaaaaa' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().details[0].field).toBe('password');
  });
});

describe('the audit trail', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  it('keeps who did it as they were named then, with the address and the browser', async () => {
    const f = await cycleFixture(h);
    const round = await openRound(f, 2025);
    const item = (await sheet(f.editorA, f, round, f.deptA)).items[0]!;
    await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      planText: '予定',
    });
    const editorId = (await f.editorA.get('/api/session')).json().user.id;
    const before = (await f.coord.get(`/api/m/${f.mid}/audit?action=save`)).json().entries[0];
    expect(before).toMatchObject({
      action: 'save',
      actorName: expect.stringContaining('テスト'),
      ip: '127.0.0.1',
      userAgent: expect.any(String),
    });
    // Renaming the account later changes neither the audit row nor the record's history.
    expect((await f.coord.patch(`/api/users/${editorId}`, { displayName: '改名 後' })).statusCode).toBe(200);
    const after = (await f.coord.get(`/api/m/${f.mid}/audit?action=save`)).json().entries[0];
    expect(after.actorName).toBe(before.actorName);
    const history = (await f.coord.get(`/api/m/${f.mid}/records/${item.record.id}/history`)).json().entries[0];
    expect(history.userName).toBe(before.actorName);
  });

  it('pages, filters and exports for the coordinator’s municipality; the whole trail is the administrator’s', async () => {
    const m = await h.municipality('監査市');
    const coord = await h.as('coordinator', { municipalityId: m.id, loginName: 'audit-coord' });
    for (let i = 0; i < 5; i++) await coord.post(`/api/m/${m.id}/departments`, { name: `課${i}`, kind: 'ka' });
    const first = (await coord.get(`/api/m/${m.id}/audit?action=create&limit=2`)).json();
    expect(first.entries).toHaveLength(2);
    expect(first.next).toBe(first.entries[1].id);
    const second = (await coord.get(`/api/m/${m.id}/audit?action=create&limit=2&before=${first.next}`)).json();
    expect(second.entries.every((e: { id: number }) => e.id < first.next)).toBe(true);
    const csv = await coord.get(`/api/m/${m.id}/audit?action=create&format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toContain('ログインID');
    expect((await coord.get(`/api/m/${m.id}/audit?action=export`)).json().entries[0]).toMatchObject({
      action: 'export',
      entity: 'audit_log',
      actorLogin: 'audit-coord',
    });
    expect((await coord.get('/api/audit')).statusCode).toBe(403);
    const editor = await h.as('department_editor', {
      municipalityId: m.id,
      departmentId: await h.department(m.id, '監査課'),
    });
    expect((await editor.get(`/api/m/${m.id}/audit`)).statusCode).toBe(403);
    const other = await h.municipality('他市');
    expect((await coord.get(`/api/m/${other.id}/audit`)).statusCode).toBe(403);
    // The administrator reads everything, including failures of IDs that belong to no one.
    await h.client().login('no-such-person', 'whatever');
    const admin = await h.as('system_admin');
    const orphan = (await admin.get('/api/audit?municipality=none&action=login_failed')).json().entries[0];
    expect(orphan).toMatchObject({ municipalityId: null, actorLogin: 'no-such-person', ip: '127.0.0.1' });
    expect((await admin.get(`/api/audit?municipality=${m.id}&action=create`)).json().entries).toHaveLength(5);
  });
});
