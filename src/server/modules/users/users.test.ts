import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../testing/harness.js';

describe('user administration', () => {
  let h: Harness;
  let mid: number;
  let dept: number;
  beforeAll(async () => {
    h = await createHarness();
    mid = (await h.municipality()).id;
    dept = await h.department(mid, '企画課');
  });
  afterAll(() => h.close());

  it('lets a system administrator create a coordinator who can then log in', async () => {
    const admin = await h.as('system_admin');
    const res = await admin.post('/api/users', {
      loginName: 'kikaku.coord',
      displayName: '企画 一郎',
      role: 'coordinator',
      municipalityId: mid,
      password: 'a-long-password',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().user).toEqual({
      id: expect.any(Number),
      loginName: 'kikaku.coord',
      displayName: '企画 一郎',
      email: '',
      role: 'coordinator',
      municipalityId: mid,
      departmentId: null,
      active: true,
      mustChangePassword: true,
    });
    expect((await h.client().login('kikaku.coord', 'a-long-password')).statusCode).toBe(200);
  });

  it('lets a coordinator add department users to their own municipality only', async () => {
    const coord = await h.as('coordinator', { municipalityId: mid });
    const ok = await coord.post('/api/users', {
      loginName: 'kikaku.editor',
      displayName: '入力 花子',
      role: 'department_editor',
      departmentId: dept,
      password: 'a-long-password',
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().user.municipalityId).toBe(mid);
    const admin = await coord.post('/api/users', {
      loginName: 'wannabe',
      displayName: 'x',
      role: 'system_admin',
      password: 'a-long-password',
    });
    expect(admin.statusCode).toBe(403);
  });

  it('requires a department for department roles and names the field', async () => {
    const coord = await h.as('coordinator', { municipalityId: mid });
    const res = await coord.post('/api/users', {
      loginName: 'no.dept',
      displayName: 'x',
      role: 'department_viewer',
      password: 'a-long-password',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('所属課');
  });

  it('rejects short passwords and duplicate login names', async () => {
    const coord = await h.as('coordinator', { municipalityId: mid });
    const short = await coord.post('/api/users', {
      loginName: 'short.pw',
      displayName: 'x',
      role: 'council_member',
      password: 'short',
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().message).toContain('パスワード');
    await coord.post('/api/users', {
      loginName: 'twice',
      displayName: 'x',
      role: 'council_member',
      password: 'a-long-password',
    });
    const dup = await coord.post('/api/users', {
      loginName: 'TWICE',
      displayName: 'y',
      role: 'council_member',
      password: 'a-long-password',
    });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().details[0]).toMatchObject({
      field: 'loginName',
      message: 'このログインIDは使用できません。別のIDにしてください',
    });
  });

  it('does not let a user remove their own role', async () => {
    const coord = await h.as('coordinator', { municipalityId: mid, loginName: 'self-coord' });
    const me = (await coord.get('/api/session')).json().user;
    const res = await coord.patch(`/api/users/${me.id}`, { active: false });
    expect(res.statusCode).toBe(403);
  });

  it('keeps department users away from user administration', async () => {
    const editor = await h.as('department_editor', { municipalityId: mid, departmentId: dept });
    expect((await editor.get('/api/users')).statusCode).toBe(403);
    expect(
      (
        await editor.post('/api/users', {
          loginName: 'x.y.z',
          displayName: 'x',
          role: 'council_member',
          password: 'a-long-password',
        })
      ).statusCode,
    ).toBe(403);
  });
});
