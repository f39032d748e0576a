import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { SCALE_PRESETS } from '../../../domain/evaluation.js';
import { scaleInput } from '../../../domain/evaluation-schema.js';
import { eraDateLabel, eraYearLabel } from '../../../domain/fiscal-year.js';
import { escapeHtml, REPORT_CSS, renderReportHtml } from '../../../domain/report/html.js';
import { layoutInput } from '../../../domain/report/layout.js';
import { fiscalYear, id, reasonInput } from '../../../domain/schemas.js';
import type { AppContext } from '../../context.js';
import { AppError, parse } from '../../http/errors.js';
import { mid, midAndId, requireActor } from '../../http/request.js';
import { audit } from '../audit/audit.js';
import {
  deleteLayout,
  formatReport,
  getScale,
  indicatorSeries,
  listLayouts,
  listSnapshots,
  publicMunicipality,
  publicSnapshot,
  publishInput,
  publishPreview,
  publishPreviewQuery,
  publishReport,
  withdrawSnapshot,
  REPORT_FORMATS,
  renderReport,
  reportFileName,
  reportQuery,
  reportSummary,
  saveLayout,
  saveScale,
} from './reports.service.js';

const STYLESHEET = '/public/report.css';

/** 令和8年12月5日: the day a moment (a publication, a withdrawal) fell on in Japan. */
const japanDate = (iso: string) =>
  iso ? eraDateLabel(new Date(Date.parse(iso) + 9 * 3600_000).toISOString().slice(0, 10)) : '';
// Query strings carry numbers as text.
const yearParam = z.preprocess((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v), fiscalYear);
const formatQuery = reportQuery.extend({
  fiscalYear: yearParam,
  format: z.enum(REPORT_FORMATS).default('json'),
  encoding: z.enum(['utf8', 'sjis']).default('utf8'),
});
const summaryQuery = z.object({
  planId: id,
  fiscalYear: yearParam,
  depth: z.coerce.number().int().min(0).max(5).default(0),
});
const planParams = z.object({ mid: id, planId: id });

/** The public pages answer in HTML, errors too: a visitor never sees JSON. */
async function publicPage(reply: FastifyReply, render: () => Promise<string>) {
  try {
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(await render());
  } catch (e) {
    const status = e instanceof AppError ? e.status : 500;
    const message =
      e instanceof AppError ? e.message : 'ページを表示できませんでした。時間をおいてもう一度お試しください';
    if (!(e instanceof AppError)) reply.log.error({ err: e }, 'public page');
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>${escapeHtml(message)}</title><link rel="stylesheet" href="${STYLESHEET}"></head><body><main><h1>${escapeHtml(message)}</h1></main></body></html>`,
      );
  }
}

function send(
  reply: FastifyReply,
  file: { body: Buffer | string; contentType: string },
  name: string,
  inline: boolean,
) {
  return reply
    .type(file.contentType)
    .header(
      'content-disposition',
      `${inline ? 'inline' : 'attachment'}; filename="report"; filename*=UTF-8''${encodeURIComponent(name)}`,
    )
    .header('cache-control', 'no-store')
    .send(file.body);
}

export function reportRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/m/:mid/report-layouts', async (req) => ({
    layouts: await listLayouts(ctx, requireActor(req), mid(req)),
  }));
  app.post('/api/m/:mid/report-layouts', async (req, reply) => {
    const actor = requireActor(req);
    return reply.status(201).send({ layout: await saveLayout(ctx, actor, mid(req), parse(layoutInput, req.body)) });
  });
  app.delete('/api/m/:mid/report-layouts/:name', async (req, reply) => {
    const actor = requireActor(req);
    const p = parse(z.object({ mid: id, name: z.string().min(1).max(60) }), req.params);
    await deleteLayout(ctx, actor, p.mid, p.name);
    return reply.status(204).send();
  });

  app.get('/api/m/:mid/plans/:planId/scale', async (req) => {
    const actor = requireActor(req);
    const p = parse(planParams, req.params);
    return { scale: await getScale(ctx, actor, p.mid, p.planId), presets: SCALE_PRESETS };
  });
  app.put('/api/m/:mid/plans/:planId/scale', async (req) => {
    const actor = requireActor(req);
    const p = parse(planParams, req.params);
    return { scale: await saveScale(ctx, actor, p.mid, p.planId, parse(scaleInput, req.body)) };
  });

  app.get('/api/m/:mid/report', async (req, reply) => {
    const actor = requireActor(req);
    const q = parse(formatQuery, req.query);
    const doc = await renderReport(ctx, actor, mid(req), q);
    if (q.format === 'json') return reply.header('cache-control', 'no-store').send({ document: doc });
    const file = await formatReport(doc, q.format, { encoding: q.encoding, stylesheetHref: STYLESHEET });
    if (q.format === 'xlsx' || q.format === 'csv')
      await audit(ctx.db, actor, {
        municipalityId: mid(req),
        action: 'export',
        entity: 'report',
        detail: {
          planId: q.planId,
          fiscalYear: q.fiscalYear,
          layout: q.layout,
          format: q.format,
          departmentId: q.departmentId ?? null,
        },
      });
    return send(reply, file, reportFileName(doc, file.extension), q.format === 'html');
  });
  app.get('/api/m/:mid/report-summary', async (req) => {
    const actor = requireActor(req);
    const q = parse(summaryQuery, req.query);
    return { summary: await reportSummary(ctx, actor, mid(req), q.planId, q.fiscalYear, q.depth) };
  });
  app.get('/api/m/:mid/indicators/:id/series', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return { series: await indicatorSeries(ctx, actor, p.mid, p.id) };
  });

  app.get('/api/m/:mid/report-snapshots', async (req) => ({
    snapshots: await listSnapshots(ctx, requireActor(req), mid(req)),
  }));
  app.get('/api/m/:mid/report-snapshots/preview', async (req) => {
    const actor = requireActor(req);
    const q = parse(publishPreviewQuery, req.query);
    return { preview: await publishPreview(ctx, actor, mid(req), q.planId, q.fiscalYear) };
  });
  app.post('/api/m/:mid/report-snapshots', async (req, reply) => {
    const actor = requireActor(req);
    return reply
      .status(201)
      .send({ snapshot: await publishReport(ctx, actor, mid(req), parse(publishInput, req.body)) });
  });
  app.post('/api/m/:mid/report-snapshots/:id/withdraw', async (req) => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return { snapshot: await withdrawSnapshot(ctx, actor, p.mid, p.id, parse(reasonInput, req.body).reason) };
  });

  // The public pages: no login, published snapshots only, plain HTML under the same CSP.
  app.get('/public/report.css', async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(REPORT_CSS),
  );
  app.get('/public/:code', async (req, reply) =>
    publicPage(reply, async () => {
      const { code } = parse(
        z.object({ code: z.string().regex(/^\d{6}$/, '自治体コードは6桁の数字です') }),
        req.params,
      );
      const m = await publicMunicipality(ctx, code);
      const items = m.snapshots
        .map(
          (s) =>
            `<li><a href="/public/${m.code}/reports/${s.id}">${escapeHtml(s.title)}</a>（${escapeHtml(eraYearLabel(s.fiscalYear, m.era2019))}・${escapeHtml(eraDateLabel(s.asOf))}時点・公表 ${escapeHtml(japanDate(s.publishedAt))}）${
              s.withdrawnAt
                ? `<span class="withdrawn-mark">（${escapeHtml(japanDate(s.withdrawnAt))}に取り下げ）</span>`
                : s.supersededBy
                  ? `<span class="superseded">（新しい版があります）</span>`
                  : ''
            }${s.includesUnapproved && !s.withdrawnAt ? '<span class="preliminary">（速報・未確定を含む）</span>' : ''}</li>`,
        )
        .join('');
      const html = `<!doctype html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(m.name)} 公表された進捗報告</title><link rel="stylesheet" href="${STYLESHEET}"></head><body><main><h1>${escapeHtml(
        m.name,
      )} 公表された進捗報告</h1>${items ? `<ul class="snapshots">${items}</ul>` : '<p>公表された報告はまだありません。</p>'}</main></body></html>`;
      return html;
    }),
  );
  app.get('/public/:code/reports/:id', async (req, reply) =>
    publicPage(reply, async () => {
      const p = parse(z.object({ code: z.string().regex(/^\d{6}$/), id }), req.params);
      const s = await publicSnapshot(ctx, p.code, p.id);
      const history = s.history
        .map(
          (h) =>
            `<li>${h.id === s.entry.id ? '<strong>この版</strong>：' : `<a href="/public/${s.municipality.code}/reports/${h.id}">`}${escapeHtml(eraDateLabel(h.asOf))}時点（公表 ${escapeHtml(japanDate(h.publishedAt))}）${h.id === s.entry.id ? '' : '</a>'}${
              h.withdrawnAt ? `（${escapeHtml(japanDate(h.withdrawnAt))}に取り下げ）` : h.supersededBy ? '' : '（最新）'
            }</li>`,
        )
        .join('');
      const nav = `<p><a href="/public/${s.municipality.code}">${escapeHtml(s.municipality.name)} 公表された進捗報告の一覧へ</a></p>${
        s.entry.supersededBy
          ? `<p class="superseded"><strong>この版は新しい版に置き換えられています。</strong> <a href="/public/${s.municipality.code}/reports/${s.entry.supersededBy}">新しい版を見る</a></p>`
          : ''
      }<details><summary>この報告の公表履歴</summary><ul>${history}</ul></details>`;
      if (!s.document || s.entry.withdrawnAt) {
        const notice = `この報告は${japanDate(s.entry.withdrawnAt ?? '')}に取り下げられました（${s.entry.withdrawReason}）`;
        return `<!doctype html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(s.entry.title)}（取り下げ）</title><link rel="stylesheet" href="${STYLESHEET}"></head><body><main><nav class="report-nav" aria-label="公開ページ">${nav}</nav><h1>${escapeHtml(s.entry.title)}</h1><p class="withdrawn" role="note">${escapeHtml(notice)}</p></main></body></html>`;
      }
      return renderReportHtml(s.document, {
        stylesheetHref: STYLESHEET,
        navHtml: nav,
        subtitle: `${s.municipality.name}・${s.document.planTitle}・公表 ${japanDate(s.entry.publishedAt)}`,
      });
    }),
  );
}
