import { describe, expect, it } from 'vitest';
import { municipalityInput, planCreateInput, projectInput } from './schemas.js';
import { planExportSchema } from './plan-export.js';

describe('request schemas', () => {
  it('rejects a municipality code with a wrong check digit, in Japanese', () => {
    const r = municipalityInput.safeParse({ name: '東京都', code: '130002' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['code']);
    expect(r.error?.issues[0]?.message).toContain('検査数字');
  });
  it('trims full-width spaces and refuses blank names', () => {
    expect(municipalityInput.safeParse({ name: '\u3000', code: '130001' }).success).toBe(false);
    expect(municipalityInput.parse({ name: ' 東京都\u3000', code: '130001' }).name).toBe('東京都');
  });
  it('keeps plans between two and six levels with an ordered period', () => {
    const level = { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' };
    expect(planCreateInput.safeParse({ title: 'x', firstYear: 2021, lastYear: 2030, levels: [level] }).success).toBe(
      false,
    );
    expect(
      planCreateInput.safeParse({ title: 'x', firstYear: 2021, lastYear: 2030, levels: Array(7).fill(level) }).success,
    ).toBe(false);
    const backwards = planCreateInput.safeParse({
      title: 'x',
      firstYear: 2030,
      lastYear: 2021,
      levels: [level, level],
    });
    expect(backwards.error?.issues[0]?.path).toEqual(['lastYear']);
  });
  it('refuses the lead department again among the co-departments', () => {
    const r = projectInput.safeParse({ nodeId: 1, number: '1', name: 'x', leadDepartmentId: 3, coDepartmentIds: [3] });
    expect(r.error?.issues[0]?.path).toEqual(['coDepartmentIds']);
  });
  it('refuses a plan file whose node refers to a parent that is not there', () => {
    const r = planExportSchema.safeParse({
      format: 'shinchoku.plan-structure',
      version: 1,
      plan: { title: 'x', slogan: '', firstYear: 2021, lastYear: 2022, subPlans: [] },
      levels: [
        { name: 'a', numberingStyle: 'arabic', numberingScope: 'plan' },
        { name: 'b', numberingStyle: 'arabic', numberingScope: 'plan' },
      ],
      nodes: [
        { key: '1', parentKey: '9', title: 't', description: '', numberOverride: null, priority: false, subPlans: [] },
      ],
      projects: [],
    });
    expect(r.success).toBe(false);
  });
});
