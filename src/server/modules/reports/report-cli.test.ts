import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';

const SEEDS = path.resolve(import.meta.dirname, '../../../../../shared/seeds');
const seedFile = (prefix: string) =>
  path.join(
    SEEDS,
    fs.readdirSync(SEEDS).find((f) => f.startsWith(prefix))!,
  );

// The command line runs on its own SQLite file; once is enough, so only in the SQLite project.
describe.runIf(process.env.TEST_DB !== 'postgres')('the report command line', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shinchoku-cli-'));
  const env = { ...process.env, DATA_DIR: dir, DATABASE_URL: '' };
  const cli = (...args: string[]) =>
    execFileSync(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', ...args], { encoding: 'utf8', env });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('imports seed 004 and writes its report as json {rows, tallies} and as xlsx, with the same code as the screens', async () => {
    const imported = JSON.parse(
      cli(
        'import',
        seedFile('004'),
        '--mapping',
        'department-sheets',
        '--municipality',
        '132039',
        '--municipality-name',
        '武蔵野市',
        '--fiscal-year',
        '2019',
        '--evaluation',
        'manual-a-d',
        '--json',
      )
        .trim()
        .split('\n')
        .pop()!,
    );
    expect(imported).toMatchObject({ projects: 40, records: 41 });
    const out = path.join(dir, 'r.json');
    cli(
      'report',
      '--municipality',
      '132039',
      '--plan',
      String(imported.planId),
      '--fiscal-year',
      'R1',
      '--layout',
      'department-sheets',
      '--format',
      'json',
      '--out',
      out,
    );
    const json = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(json.tallies.total.counts).toEqual([
      { code: 'A', label: '順調または目標達成', count: 28 },
      { code: 'B', label: '概ね順調', count: 12 },
      { code: 'C', label: '検討が必要', count: 0 },
      { code: 'D', label: '極めて不十分・実施せず', count: 1 },
    ]);
    expect(json.tallies.byNode.map((n: { node: string }) => n.node)).toEqual([
      'Ⅱ 生活と仕事が両立でき、個性と能力を発揮できるまち',
      'Ⅲ 人権を尊重し、あらゆる暴力を許さないまち',
    ]);
    expect(json.rows[0]).toMatchObject({
      '年度（西暦）': 2019,
      '年度（和暦）': '令和元年度',
      シート: expect.any(String),
      事業名: expect.any(String),
      評価: expect.stringMatching(/^[A-D]$/),
    });

    const xlsx = path.join(dir, 'r.xlsx');
    cli(
      'report',
      '--municipality',
      '132039',
      '--plan',
      String(imported.planId),
      '--fiscal-year',
      '2019',
      '--layout',
      'department-sheets',
      '--format',
      'xlsx',
      '--out',
      xlsx,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    expect(wb.worksheets.map((w) => w.name)).toContain('高齢者支援課');
    expect(wb.getWorksheet('データ')!.rowCount).toBe(json.rows.length + 1);
  });

  it('writes the plan’s structure file and reads it back as a new plan that writes the same file', () => {
    const first = path.join(dir, 'plan.json');
    cli('plan-export', '--municipality', '132039', '--plan', '1', '--out', first);
    const file = JSON.parse(fs.readFileSync(first, 'utf8'));
    expect(file.projects).toHaveLength(40);
    expect(file.plan.evaluation).toEqual([expect.objectContaining({ config: expect.any(Object) })]);
    // The file carries the grades of seed 004's 41 answers, so the round trip below compares them too.
    type Entry = { slot: string; subject: string; fiscalYear: number; code: string };
    const entries: Entry[] = file.entries;
    expect(entries).toHaveLength(41);
    expect(new Set(entries.map((e) => `${e.slot} ${e.subject} ${e.fiscalYear}`))).toEqual(
      new Set(['self record 2019']),
    );
    const byCode = Object.fromEntries(['A', 'B', 'C', 'D'].map((c) => [c, entries.filter((e) => e.code === c).length]));
    expect(byCode).toEqual({ A: 28, B: 12, C: 0, D: 1 });
    const made = JSON.parse(cli('plan-import', first, '--municipality', '132039').trim());
    expect(made).toMatchObject({ planId: 2, projects: 40 });
    const again = JSON.parse(cli('plan-export', '--municipality', '132039', '--plan', String(made.planId)));
    expect(again).toEqual(file);
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, JSON.stringify({ ...file, indicators: [{ name: '指標', direction: 'higher' }] }));
    expect(() => cli('plan-import', broken, '--municipality', '132039')).toThrow(/実績を報告する課を指定してください/);
  });

  it('refuses a bad layout or year with a Japanese message', () => {
    expect(() =>
      cli('report', '--municipality', '132039', '--plan', '1', '--fiscal-year', 'そのうち', '--layout', 'x'),
    ).toThrow(/年度として読めません/);
    expect(() =>
      cli(
        'report',
        '--municipality',
        '132039',
        '--plan',
        '1',
        '--fiscal-year',
        '2019',
        '--layout',
        'x',
        '--format',
        'pdf',
      ),
    ).toThrow(/--format/);
  });
});
