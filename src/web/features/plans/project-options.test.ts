import { describe, expect, it } from 'vitest';
import { unitOptions } from './project-options.js';
import type { Department } from '../../lib/types.js';

const dept = (id: number, name: string, over: Partial<Department> = {}): Department => ({
  id,
  parentId: null,
  name,
  kind: 'ka',
  activeFrom: null,
  activeTo: null,
  position: id,
  origin: null,
  successors: [],
  displayName: name,
  ...over,
});

describe('the departments a project may be given', () => {
  const departments = [
    dept(1, '市民部', { kind: 'bu' }),
    dept(2, '人権推進課', { parentId: 1 }),
    dept(3, '男女共同参画課', { parentId: 1, activeTo: 2023 }),
    dept(4, '学校教育課'),
  ];

  it('lists the 課 that exist now under their 部, not the 部 themselves', () => {
    expect(unitOptions(departments, [], 'reiwa1')).toEqual([
      { value: 2, label: '人権推進課', group: '市民部' },
      { value: 4, label: '学校教育課', group: undefined },
    ]);
  });

  it('keeps an ended 課 that is picked already, saying until when it existed', () => {
    expect(unitOptions(departments, [null, 3], 'reiwa1').map((u) => u.label)).toEqual([
      '人権推進課',
      '男女共同参画課（令和5年度まで）',
      '学校教育課',
    ]);
  });
});
