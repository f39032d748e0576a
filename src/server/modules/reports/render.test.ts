import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportResponse } from '../../../domain/api-types.js';
import { mapTable } from '../../../domain/import/mapping.js';
import {
  fixed000,
  fixed001,
  fixed002,
  fixed004,
  type FixedSeed,
} from '../../../domain/import/seed-fixes.test-support.js';
import { bodyCells, headerCells, paperBodyCells } from '../../../web/report-view/markup.test-support.js';
import { ReportView } from '../../../web/report-view/ReportView.js';
import { createHarness, type Harness, inItsMunicipality } from '../../testing/harness.js';
import type { Actor } from '../auth/index.js';
import { commitImport as commitImportService } from '../imports/index.js';

const commitImport = inItsMunicipality(commitImportService);

/**
 * The seed reports drawn twice from one document: by the SPA's component from the JSON the screen
 * reads, and by the server as the print view. Every header and every cell must be the same markup
 * (the print view's pages add only what they continue from the page before).
 */

const admin: Actor = {
  user: {
    id: 0,
    loginName: 'admin',
    displayName: '管理者',
    role: 'system_admin',
    municipalityId: null,
    departmentId: null,
    departmentIds: [],
    mustChangePassword: false,
  },
  requestId: 'render',
};

const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
/** A cell's text as markup: escaped, each line break a <br/>. */
const markupOf = (text: string) => text.split('\n').map(escape).join('<br/>');

const SEEDS: { seed: () => FixedSeed; layout: string; year: number; scale?: string }[] = [
  { seed: fixed000, layout: 'indicator-achievement', year: 2021, scale: 'achievement-5' },
  { seed: fixed001, layout: 'multi-year-values', year: 2020 },
  { seed: fixed002, layout: 'narrative-status', year: 2019 },
  { seed: fixed004, layout: 'department-sheets', year: 2019, scale: 'manual-a-d' },
];

describe('the screen and the print view of the seed reports', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  for (const { seed, layout, year, scale } of SEEDS)
    it(`${layout}: the same header and cells, line breaks and hidden labels included`, async () => {
      const { id: municipalityId } = await h.municipality(`描画${layout}`);
      const f = seed();
      const rows = mapTable(f.table, f.mapping).filter((r) => !f.excluded.includes(r.line));
      const { planId } = await commitImport(h.ctx, admin, municipalityId, f.mapping, rows, {
        newPlan: { title: `${layout}のプラン`, firstYear: 2014, lastYear: 2026, evaluationPreset: scale },
        fiscalYear: year,
        createDepartments: true,
      });
      const coordinator = await h.as('coordinator', { municipalityId });
      const query = `/api/m/${municipalityId}/report?planId=${planId}&fiscalYear=${year}&layout=${layout}`;

      const { document } = (await coordinator.get(query)).json<ReportResponse>();
      const screen = renderToStaticMarkup(createElement(ReportView, { doc: document }));
      const printed = await coordinator.get(`${query}&format=html`);
      expect(printed.statusCode).toBe(200);

      expect(headerCells(printed.body)).toEqual(headerCells(screen));
      // the print view's pages continue headings and merged cells 「（続き）」: the rest is the screen's
      expect(paperBodyCells(printed.body)).toEqual(bodyCells(screen));
      // Each cell holds the document's text, its line breaks as <br/>: the first rows', and every multi-line cell's.
      const printedCells = paperBodyCells(printed.body).flat();
      const cells = document.sheets.flatMap((sheet) =>
        sheet.rows.flatMap((r) =>
          r.type === 'data' ? r.cells.filter((c, i) => c.span !== 0 && document.columns[i]!.field !== 'grade') : [],
        ),
      );
      const multiline = cells.filter((c) => c.text.includes('\n'));
      for (const cell of [...cells.slice(0, 20), ...multiline]) expect(printedCells).toContain(markupOf(cell.text));
      if (layout === 'multi-year-values') expect(multiline.length).toBeGreaterThan(0);
      if (layout === 'indicator-achievement')
        expect(headerCells(printed.body).at(-1)).toBe('<span class="visually-hidden">通し番号</span>');
    });
});
