import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ReportDocument } from '../../domain/report/build.js';
import { ReportView } from './ReportView.js';

const tally = { counts: [], graded: 0, notGraded: 0, ungraded: 1 };
const doc = (notice?: string): ReportDocument => ({
  layout: 'narrative-status',
  title: 'テスト市プランの実施状況について',
  documentNumber: '',
  asOf: '2026-03-31',
  asOfLabel: '令和8年3月31日時点',
  notice,
  municipality: 'テスト市',
  planId: 1,
  planTitle: 'テスト市プラン',
  fiscalYear: 2025,
  fiscalYearLabel: '令和7年度',
  columns: [{ key: 'resultText', field: 'resultText', header: ['実施状況'], width: 40 }],
  headerRows: 1,
  levelNames: ['基本目標'],
  legend: null,
  sheets: [
    {
      name: '報告',
      title: 'テスト市プランの実施状況について',
      departmentId: null,
      rows: [
        { type: 'data', cells: [{ text: '確定した実績' }], rowNumber: 1, projectId: 1, departmentId: 1, path: [] },
      ],
    },
  ],
  tallies: { unit: 'record', total: tally, byNode: [], codes: [] },
  gradedBy: '各課の自己評価',
});

describe('the report on screen', () => {
  it('says what the report leaves out above its table', () => {
    const html = renderToStaticMarkup(
      createElement(ReportView, { doc: doc('確定していない回答1件は掲載していません') }),
    );
    const notice = html.indexOf('<p class="report-notice" role="note">確定していない回答1件は掲載していません</p>');
    expect(notice).toBeGreaterThan(-1);
    expect(notice).toBeLessThan(html.indexOf('<table'));
  });
  it('shows no notice box when there is nothing to say', () => {
    expect(renderToStaticMarkup(createElement(ReportView, { doc: doc('') }))).not.toContain('report-notice');
    expect(renderToStaticMarkup(createElement(ReportView, { doc: doc() }))).not.toContain('report-notice');
  });
});
