import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldName, formOf, hasFieldLabel } from '../../domain/field-labels.js';
import { planCreateInput, projectInput, reorganisationInput, userCreateInput } from '../../domain/schemas.js';
import { indicatorInput, recordSaveInput, roundInput } from '../../domain/cycle.js';
import { layoutInput } from '../../domain/report/layout.js';
import { validationProblems, type FieldProblem } from './errors.js';
import { badValues, keyPaths } from './schema-walk.test-support.js';

/**
 * Every request schema the routes read with: those exported by the domain modules (src/domain/*.ts and
 * the schema modules below it) and by the route and service files that declare their own.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const src = path.resolve(here, '../..');
const filesIn = (dir: string, keep: (name: string) => boolean) =>
  fs
    .readdirSync(path.join(src, dir))
    .filter((n) => n.endsWith('.ts') && !n.includes('.test') && keep(n))
    .map((n) => path.join(src, dir, n));
const files = [
  ...filesIn('domain', () => true),
  ...[
    'domain/import/schemas.ts',
    'domain/evaluation/schema.ts',
    'domain/report/layout.ts',
    'server/http/request.ts',
  ].map((f) => path.join(src, f)),
  ...fs
    .readdirSync(path.join(src, 'server/modules'))
    .flatMap((m) => filesIn(`server/modules/${m}`, (n) => n.endsWith('.routes.ts') || n.endsWith('.service.ts'))),
];
const modules: Record<string, Record<string, unknown>> = {};
for (const f of files) modules[f] = (await import(f)) as Record<string, unknown>;

const schemas = new Map<z.ZodType, string>();
for (const [file, mod] of Object.entries(modules))
  for (const [name, value] of Object.entries(mod))
    if (value instanceof z.ZodType && !schemas.has(value)) schemas.set(value, `${file.replace(/^.*\//, '')}#${name}`);

/** Words of the validator that must never reach a person. */
const VALIDATOR_WORDS = /number|string|expected|invalid|undefined|NaN|received|boolean|array|object/i;

/** What is wrong with a message, if anything: English, validator words, or no name of the field. */
function problemWith(p: FieldProblem, path: readonly PropertyKey[], schema: z.ZodType): string | null {
  const name = fieldName(path, formOf(schema));
  if (VALIDATOR_WORDS.test(p.message)) return 'validator wording';
  // The field's own name and quoted input (「bogus」) may hold Latin letters (ログインID); nothing else may.
  const rest = p.message
    .replaceAll(p.label, '')
    .replaceAll(name, '')
    .replace(/「[^」]*」/g, '');
  if (/[A-Za-z]/.test(rest)) return 'Latin letters';
  if (!p.message.includes(name) && !p.message.includes(p.label)) return `does not name the field (${name})`;
  if (/[A-Za-z]/.test(p.label.replace(/ID/g, ''))) return `label not Japanese (${p.label})`;
  return null;
}

function check(schema: z.ZodType, input: unknown): string[] {
  const out: string[] = [];
  const result = schema.safeParse(input ?? {});
  const paths = result.success ? [] : result.error.issues.map((i) => i.path);
  validationProblems(schema, input).forEach((p, i) => {
    const why = problemWith(p, paths[i] ?? [], schema);
    if (why) out.push(`${schemas.get(schema)} ${p.field}: 「${p.message}」 — ${why}`);
  });
  return out;
}

describe('validation messages', () => {
  it('finds the request schemas of the routes', () => {
    const names = [...schemas.values()];
    expect(names.length).toBeGreaterThan(40);
    for (const expected of [
      'projectInput',
      'recordSaveInput',
      'roundInput',
      'userCreateInput',
      'deptParams',
      'layoutInput',
    ])
      expect(names.some((n) => n.endsWith(`#${expected}`))).toBe(true);
  });

  it('names every field of every request schema in Japanese', () => {
    const missing: string[] = [];
    for (const [schema, name] of schemas)
      for (const path of keyPaths(schema))
        if (!hasFieldLabel(path.split('.'), formOf(schema))) missing.push(`${name}: ${path}`);
    expect(missing).toEqual([]);
  });

  it('says every refusal of every schema in plain Japanese that names its field', () => {
    const wrong: string[] = [];
    let seen = 0;
    for (const schema of schemas.keys())
      for (const input of [undefined, {}, 'abc', 5, [], ...badValues(schema)]) {
        seen += validationProblems(schema, input).length;
        wrong.push(...check(schema, input));
      }
    expect(seen).toBeGreaterThan(2000);
    expect([...new Set(wrong)]).toEqual([]);
  });

  it('says checks across fields in Japanese, naming the field', () => {
    const wrong = [
      check(projectInput, { nodeId: 1, number: '1', name: '講座', leadDepartmentId: 2, coDepartmentIds: [2, 2] }),
      check(projectInput, { nodeId: 1, number: '1', name: '講座', leadDepartmentId: 2, crossListNodeIds: [1, 1] }),
      check(projectInput, {
        nodeId: 1,
        number: '1',
        name: '講座',
        leadDepartmentId: 2,
        startYear: 2025,
        endYear: 2024,
      }),
      ...(['rename', 'merge', 'split'] as const).map((kind) =>
        check(reorganisationInput, { kind, effectiveYear: 2026, fromIds: [1, 2, 3], toNames: [] }),
      ),
      ...(['rename', 'merge', 'split'] as const).map((kind) =>
        check(reorganisationInput, { kind, effectiveYear: 2026, fromIds: [1], toNames: ['甲課', '乙課'] }),
      ),
      check(planCreateInput, {
        title: '計画',
        firstYear: 2026,
        lastYear: 2025,
        levels: [
          { name: '目標', numberingStyle: 'roman', numberingScope: 'plan' },
          { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
        ],
      }),
      check(layoutInput, {
        name: 'a',
        hierarchy: 'columns',
        rowUnit: 'project',
        grouping: 'tree',
        columns: [{ key: 'node', header: ['体系'], width: 10 }],
      }),
    ].flat();
    expect(wrong).toEqual([]);
  });

  it('says what the screens show for the usual mistakes', () => {
    const messages = (schema: z.ZodType, input: unknown) =>
      Object.fromEntries(validationProblems(schema, input).map((p) => [p.field, p.message]));
    expect(messages(projectInput, { nodeId: 3, number: '1', name: '', leadDepartmentId: 0 })).toEqual({
      name: '事業名を入力してください',
      leadDepartmentId: '主担当課を選んでください',
    });
    expect(messages(projectInput, { nodeId: 3, number: '1', name: 'あ'.repeat(201), leadDepartmentId: 2 })).toEqual({
      name: '事業名は200文字以内で入力してください',
    });
    expect(messages(projectInput, {})).toMatchObject({
      nodeId: '掲載先を選んでください',
      number: '事業番号を入力してください',
      name: '事業名を入力してください',
      leadDepartmentId: '主担当課を選んでください',
    });
    expect(messages(indicatorInput, { name: '', kind: 'bogus', direction: 'higher', baselineYear: '令和' })).toEqual({
      name: '指標名を入力してください',
      kind: '種類は選択肢の中から選んでください',
      baselineYear: '現状値の年度は年度（例: 2025）で入力してください',
    });
    expect(messages(recordSaveInput, { version: 1, remarks: 'あ'.repeat(4001) })).toEqual({
      remarks: '備考は4000文字以内で入力してください',
    });
    expect(
      messages(roundInput, { planId: 1, fiscalYear: 1900, phase: 'end', deadline: '4月30日', departmentIds: [] }),
    ).toEqual({
      fiscalYear: '年度は1950年度以降を指定してください',
      deadline: '回答期限は「2026-04-30」のように年-月-日で入力してください',
      departmentIds: '照会先の課を1つ以上選んでください',
    });
    expect(
      messages(roundInput, { planId: 1, fiscalYear: 2025, phase: 'end', deadline: '', departmentIds: [1] }),
    ).toEqual({
      deadline: '回答期限を入力してください',
    });
    expect(messages(userCreateInput, { loginName: 'A!', displayName: ' ', role: 'boss', password: 'short' })).toEqual({
      loginName: 'ログインIDは半角英数字と . _ @ - の3〜64文字で入力してください',
      displayName: '氏名を入力してください',
      role: '役割は選択肢の中から選んでください',
      password: expect.stringMatching(/^初期パスワードは\d+文字以上で入力してください$/),
    });
  });
});
