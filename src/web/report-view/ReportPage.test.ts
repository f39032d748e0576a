import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { presetConfig } from '../../domain/evaluation/presets.js';
import { buildReport, type ReportDocument } from '../../domain/report/build.js';
import { BUILTIN_LAYOUTS, builtinLayout } from '../../domain/report/layout.js';
import { dataset, withEvaluation } from '../../domain/report/sample-dataset.test-support.js';
import { bodyCells, headerCells, paperBodyCells } from './markup.test-support.js';
import { printPage } from './ReportPage.js';
import { ReportView } from './ReportView.js';

const screen = (doc: ReportDocument) => renderToStaticMarkup(createElement(ReportView, { doc }));

/** The sample plan with two lines of text in one answer and a grade changed by hand. */
function withLineBreaks() {
  const ds = dataset();
  ds.records = ds.records.map((r) => (r.id === 1 ? { ...r, resultText: '講座を3回開いた\n動画も配信した' } : r));
  return withEvaluation(ds, presetConfig('achievement-5')!);
}

describe('the print view', () => {
  it('renders HTML without scripts or inline styles, with grades spelled out for screen readers', () => {
    const doc = buildReport(dataset(), builtinLayout('department-sheets')!);
    const html = printPage(doc, { href: '/public/report.css' });
    expect(html).not.toMatch(/<script|style=/);
    expect(html).toContain('<span class="visually-hidden">A（順調または目標達成）</span>');
    expect(html).toMatch(/rowspan="2"/i);
    const standalone = printPage(doc, { inline: true });
    expect(standalone).toContain('@page { size: A4 landscape');
  });

  it('prints every cell and header as the screen does, in every built-in layout', () => {
    for (const layout of BUILTIN_LAYOUTS) {
      const doc = buildReport(withLineBreaks(), layout);
      const printed = printPage(doc, { href: '/public/report.css' });
      expect(headerCells(printed), layout.name).toEqual(headerCells(screen(doc)));
      expect(paperBodyCells(printed), layout.name).toEqual(bodyCells(screen(doc)));
      expect(bodyCells(printed).length, layout.name).toBeGreaterThan(3);
    }
  });

  it('keeps line breaks and names a column printed without a header, on screen and in print', () => {
    const multiline = buildReport(withLineBreaks(), builtinLayout('narrative-status')!);
    for (const html of [screen(multiline), printPage(multiline)])
      expect(html).toContain('<td class="c-resultText">講座を3回開いた<br/>動画も配信した</td>');
    // indicator-achievement numbers its rows in a last column whose header is blank.
    const numbered = buildReport(withLineBreaks(), builtinLayout('indicator-achievement')!);
    for (const html of [screen(numbered), printPage(numbered)]) {
      expect(headerCells(html).at(-1)).toBe('<span class="visually-hidden">通し番号</span>');
      expect(html).toContain('<td class="c-rowNumber align-center">1</td>');
    }
  });
});
