import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { createHarness, type Harness } from '../../testing/harness.js';
import { cycleFixture, openRound, sheet, type CycleFixture, selfGrade } from '../../testing/cycle-fixtures.js';

const FULL = { planText: '講座を開催する', resultText: '講座を開催した', remarks: '', nextYearPlan: '' };

/** Answers and approves every record of both departments for a year. */
async function approveYear(f: CycleFixture, fiscalYear: number): Promise<number> {
  const round = await openRound(f, fiscalYear);
  for (const [c, d] of [
    [f.editorA, f.deptA],
    [f.editorB, f.deptB],
  ] as const) {
    for (const item of (await sheet(c, f, round, d)).items) {
      const actuals = item.indicators.map((i) => ({ indicatorId: i.id, text: '10' }));
      await c.put(`/api/m/${f.mid}/records/${item.record.id}`, {
        version: item.record.version,
        ...FULL,
        entries: selfGrade(item, 'A'),
        actuals,
      });
    }
    await c.post(`/api/m/${f.mid}/rounds/${round}/departments/${d}/submit`);
    await f.coord.post(`/api/m/${f.mid}/rounds/${round}/departments/${d}/approve`);
  }
  await f.coord.post(`/api/m/${f.mid}/rounds/${round}/close`);
  return round;
}

describe('the council and what needs each user', () => {
  let h: Harness;
  let f: CycleFixture;
  let smtp: SMTPServer;
  const received: { to: string[]; body: string }[] = [];
  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let body = '';
        stream.on('data', (c: Buffer) => (body += c.toString('utf8')));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), body });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as { port: number }).port;
    h = await createHarness({
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(port),
      SMTP_FROM: 'shinchoku@example.lg.jp',
      APP_URL: 'https://shinchoku.example.lg.jp',
    });
    f = await cycleFixture(h);
  });
  afterAll(async () => {
    await h.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('lets council members read approved answers, comment per project, and the department answer; the thread stays across years', async () => {
    await approveYear(f, 2022);
    const view = await f.council.get(`/api/m/${f.mid}/council?planId=${f.planId}&fiscalYear=2022`);
    expect(view.statusCode).toBe(200);
    const projects = view.json().projects;
    expect(projects.map((p: { project: { number: string } }) => p.project.number)).toEqual(['1', '2']);
    expect(projects[1].records.map((r: { departmentName: string }) => r.departmentName)).toEqual([
      '人権推進課',
      '学校教育課',
    ]);

    const comment = await f.council.post(`/api/m/${f.mid}/projects/${f.p2}/council-comments`, {
      fiscalYear: 2022,
      body: '参加者の男女比も示してください',
    });
    expect(comment.statusCode).toBe(201);
    expect(
      (await f.editorA.post(`/api/m/${f.mid}/projects/${f.p2}/council-comments`, { fiscalYear: 2022, body: 'x' }))
        .statusCode,
    ).toBe(403);

    const tasks = (await f.editorB.get(`/api/m/${f.mid}/tasks`)).json().tasks;
    expect(tasks.map((t: { kind: string }) => t.kind)).toContain('council_answer');

    const answer = await f.editorB.post(`/api/m/${f.mid}/council-comments/${comment.json().id}/answers`, {
      body: '次年度から男女別に集計します',
    });
    expect(answer.statusCode).toBe(201);
    const stranger = await h.as('department_editor', { municipalityId: f.mid, departmentId: f.deptC });
    expect(
      (await stranger.post(`/api/m/${f.mid}/council-comments/${comment.json().id}/answers`, { body: 'x' })).statusCode,
    ).toBe(403);
    expect(
      (await f.editorB.get(`/api/m/${f.mid}/tasks`)).json().tasks.map((t: { kind: string }) => t.kind),
    ).not.toContain('council_answer');

    await approveYear(f, 2023);
    const next = (await f.council.get(`/api/m/${f.mid}/council?planId=${f.planId}&fiscalYear=2023`)).json().projects;
    const thread = next.find((p: { project: { id: number } }) => p.project.id === f.p2).comments;
    expect(thread).toHaveLength(1);
    expect(thread[0]).toMatchObject({ fiscalYear: 2022, body: '参加者の男女比も示してください' });
    expect(thread[0].answers[0]).toMatchObject({ departmentName: '学校教育課', body: '次年度から男女別に集計します' });
  });

  it('refuses a council comment on a project with no approved answer that year', async () => {
    const res = await f.council.post(`/api/m/${f.mid}/projects/${f.p1}/council-comments`, {
      fiscalYear: 2029,
      body: '意見',
    });
    expect(res.statusCode).toBe(409);
  });

  it('lists open sheets, returned answers and answers awaiting review for the right people', async () => {
    const round = await openRound(f, 2024);
    const a = (await f.editorA.get(`/api/m/${f.mid}/tasks`)).json().tasks;
    expect(a[0]).toMatchObject({
      kind: 'sheet',
      detail: '未提出 2件',
      link: `/m/${f.mid}/rounds/${round}/departments/${f.deptA}`,
      deadline: '2025-04-30',
    });
    const item = (await sheet(f.editorA, f, round, f.deptA)).items[0]!;
    await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      ...FULL,
      entries: selfGrade(item, 'A'),
      actuals: item.indicators.map((i) => ({ indicatorId: i.id, text: '3' })),
    });
    await f.editorA.post(`/api/m/${f.mid}/records/${item.record.id}/submit`);
    const coordTasks = (await f.coord.get(`/api/m/${f.mid}/tasks`)).json().tasks;
    expect(coordTasks.find((t: { kind: string }) => t.kind === 'review')).toMatchObject({
      count: 1,
      link: `/m/${f.mid}/rounds/${round}/review?status=submitted`,
    });
    await f.coord.post(`/api/m/${f.mid}/records/${item.record.id}/return`, { message: '確認してください' });
    const after = (await f.editorA.get(`/api/m/${f.mid}/tasks`)).json().tasks;
    expect(after.find((t: { kind: string }) => t.kind === 'returned')).toMatchObject({ count: 1 });
    const council = (await f.council.get(`/api/m/${f.mid}/tasks`)).json().tasks;
    expect(council.map((t: { kind: string }) => t.kind)).toEqual(['council_review', 'council_review']);
  });

  it('e-mails a reminder to the editors of departments that have not answered', async () => {
    const round = (await f.coord.get(`/api/m/${f.mid}/rounds?planId=${f.planId}`)).json().rounds[0].id as number;
    await f.coord.post('/api/users', {
      loginName: 'mail.editor.a',
      displayName: '人権 花子',
      role: 'department_editor',
      departmentId: f.deptA,
      email: 'jinken@example.lg.jp',
      password: 'long-enough-pw',
    });
    const res = await f.coord.post(`/api/m/${f.mid}/rounds/${round}/remind`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ sent: 1, failed: [], departmentsWithoutAddress: ['学校教育課'] });
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual(['jinken@example.lg.jp']);
    const [headers, encoded] = received[0]!.body.split('\r\n\r\n');
    expect(headers).toContain('Content-Transfer-Encoding: base64');
    const text = Buffer.from(encoded!.replace(/\s+/g, ''), 'base64').toString('utf8');
    expect(text).toContain('人権推進課 人権 花子 様');
    expect(text).toContain('未提出の回答が2件');
    expect(text).toContain(`https://shinchoku.example.lg.jp/m/${f.mid}/rounds/${round}/departments/${f.deptA}`);
    expect((await f.editorA.post(`/api/m/${f.mid}/rounds/${round}/remind`)).statusCode).toBe(403);
  });
});

describe('reminders without SMTP', () => {
  it('say in words that mail is not set up, and the board says so before anyone tries', async () => {
    const h = await createHarness();
    const f = await cycleFixture(h);
    const round = await openRound(f, 2024);
    const board = (await f.coord.get(`/api/m/${f.mid}/rounds/${round}/board`)).json();
    expect(board.mailConfigured).toBe(false);
    const res = await f.coord.post(`/api/m/${f.mid}/rounds/${round}/remind`);
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('メールの送信が設定されていない');
    expect(res.json().message).not.toMatch(/SMTP/);
    await h.close();
  });
});

describe('the council page of a year', () => {
  let h: Harness;
  let f: CycleFixture;
  beforeAll(async () => {
    h = await createHarness();
    f = await cycleFixture(h);
  });
  afterAll(() => h.close());

  it('lists the projects in the order the plan prints them, also once the year is fixed', async () => {
    // A 施策 added first in the tree after the fixture's one, a project under it made last.
    const early = (await f.coord.post(`/api/m/${f.mid}/plans/${f.planId}/nodes`, { title: '先頭の施策' })).json().node
      .id;
    await f.coord.post(`/api/m/${f.mid}/nodes/${early}/move`, { parentId: null, index: 0 });
    await f.coord.post(`/api/m/${f.mid}/plans/${f.planId}/projects`, {
      nodeId: early,
      number: '0',
      name: '最初に載る事業',
      leadDepartmentId: f.deptA,
    });
    await approveYear(f, 2024);
    const names = (await f.council.get(`/api/m/${f.mid}/council?planId=${f.planId}&fiscalYear=2024`))
      .json()
      .projects.map((p: { project: { name: string } }) => p.project.name);
    expect(names).toEqual(['最初に載る事業', '啓発講座', '研修会']);
  });

  it('names each project’s 基本目標 and shows its indicators with their targets beside the actuals', async () => {
    const projects = (await f.council.get(`/api/m/${f.mid}/council?planId=${f.planId}&fiscalYear=2024`)).json()
      .projects;
    expect(projects.map((p: { project: { top: { title: string } } }) => p.project.top.title)).toEqual([
      '先頭の施策',
      '意識づくり',
      '意識づくり',
    ]);
    const kouza = projects[1];
    expect(kouza.indicators.map((i: { name: string }) => i.name)).toEqual(['講座開催回数']);
    expect(kouza.indicators[0].targets).toEqual(
      expect.arrayContaining([expect.objectContaining({ fiscalYear: 2024, text: '4回' })]),
    );
    expect(kouza.records[0].record.actuals[0]).toMatchObject({ text: '10回', value: 10 });
  });

  it('offers the years a round asked, newest first, with the projects approved (a department: its own)', async () => {
    await openRound(f, 2025);
    const years = (await f.council.get(`/api/m/${f.mid}/council/years`)).json().years;
    expect(years).toEqual([
      { planId: f.planId, fiscalYear: 2025, approvedProjects: 0 },
      { planId: f.planId, fiscalYear: 2024, approvedProjects: 3 },
    ]);
    // 学校教育課 answers 研修会 only.
    const mine = (await f.editorB.get(`/api/m/${f.mid}/council/years`)).json().years;
    expect(mine[1]).toEqual({ planId: f.planId, fiscalYear: 2024, approvedProjects: 1 });
    const other = await h.municipality('別の市');
    expect((await f.council.get(`/api/m/${other.id}/council/years`)).statusCode).toBe(403);
  });
});
