import { describe, expect, it } from 'vitest';
import { departmentDisplayName, isActiveIn } from './department.js';

describe('department history', () => {
  it('prints the reorganisation note the way reports do', () => {
    expect(departmentDisplayName('住宅政策課', { kind: 'rename', effectiveYear: 2016, fromNames: ['住宅課'] })).toBe(
      '住宅政策課（平成28年度より住宅課から組織変更）',
    );
    expect(
      departmentDisplayName('市民協働課', { kind: 'merge', effectiveYear: 2022, fromNames: ['市民課', '協働課'] }),
    ).toBe('市民協働課（令和4年度より市民課・協働課を統合）');
    expect(departmentDisplayName('保育課', null)).toBe('保育課');
  });
  it('knows in which years a unit existed', () => {
    expect(isActiveIn({ activeFrom: 2016, activeTo: null }, 2015)).toBe(false);
    expect(isActiveIn({ activeFrom: 2016, activeTo: null }, 2016)).toBe(true);
    expect(isActiveIn({ activeFrom: null, activeTo: 2021 }, 2022)).toBe(false);
  });
});
