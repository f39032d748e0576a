import { describe, expect, it } from 'vitest';
import { boardView, readBoardFilters, rowAction, writeBoardFilters } from './board-view.js';
import type { BoardRow } from '../../lib/types.js';

const row = (departmentId: number, name: string, counts: Partial<BoardRow['counts']>, reopened = false): BoardRow => {
  const c = { not_started: 0, draft: 0, submitted: 0, returned: 0, approved: 0, ...counts };
  return { departmentId, name, reopened, counts: c, total: Object.values(c).reduce((a, b) => a + b, 0) };
};

const rows = [
  row(1, '人権推進課', { approved: 3 }),
  row(2, '学校教育課', { draft: 2 }),
  row(3, '子育て支援課', { submitted: 1, approved: 1 }),
  row(4, '総務課', { returned: 1 }),
];

describe('the status board', () => {
  it('says what a row needs: review first, then answers not given near the deadline', () => {
    expect(rowAction(rows[2]!, 30, true)).toEqual({ rank: 2, labels: ['確認待ち 1件'] });
    expect(rowAction(rows[1]!, 30, true)).toEqual({ rank: 0, labels: [] });
    expect(rowAction(rows[1]!, 3, true)).toEqual({ rank: 1, labels: ['未提出 2件（締切まで3日）'] });
    expect(rowAction(rows[3]!, -2, true)).toEqual({ rank: 1, labels: ['差戻し中 1件（期限超過）'] });
    // A closed round asks nothing more of the departments, unless one is reopened.
    expect(rowAction(rows[1]!, -2, false).rank).toBe(0);
    expect(rowAction(row(2, '学校教育課', { draft: 2 }, true), 0, false).labels).toEqual(['未提出 2件（本日締切）']);
  });

  it('puts the rows needing action first, and filters by 課 and status', () => {
    const names = (f: Parameters<typeof boardView>[1], days = 3) =>
      boardView(rows, f, days, true).map((r) => r.row.name);
    expect(names({ q: '', status: '', sort: 'action' })).toEqual([
      '子育て支援課',
      '学校教育課',
      '総務課',
      '人権推進課',
    ]);
    expect(names({ q: '', status: '', sort: 'action' }, 30)).toEqual([
      '子育て支援課',
      '人権推進課',
      '学校教育課',
      '総務課',
    ]);
    expect(names({ q: '', status: 'action', sort: 'org' })).toEqual(['学校教育課', '子育て支援課', '総務課']);
    expect(names({ q: '', status: 'submitted', sort: 'org' })).toEqual(['子育て支援課']);
    expect(names({ q: '教育', status: '', sort: 'org' })).toEqual(['学校教育課']);
    expect(names({ q: '', status: '', sort: 'pending' })).toEqual([
      '学校教育課',
      '総務課',
      '人権推進課',
      '子育て支援課',
    ]);
  });

  it('keeps its filters in the address', () => {
    const f = readBoardFilters(new URLSearchParams('q=課&status=submitted&sort=name'));
    expect(f).toEqual({ q: '課', status: 'submitted', sort: 'name' });
    expect(writeBoardFilters(f).toString()).toBe('q=%E8%AA%B2&status=submitted&sort=name');
    expect(readBoardFilters(new URLSearchParams('status=nonsense&sort=x'))).toEqual({
      q: '',
      status: '',
      sort: 'action',
    });
  });
});
