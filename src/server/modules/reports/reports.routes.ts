import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type {
  IndicatorSeriesResponse,
  LayoutListResponse,
  LayoutResponse,
  PublishPreviewResponse,
  ReportResponse,
  ReportSummaryResponse,
  SnapshotListResponse,
  SnapshotResponse,
} from '../../../domain/api-types.js';
import { layoutInput } from '../../../domain/report/layout.js';
import { fiscalYearParam, id, reasonInput } from '../../../domain/schemas.js';
import { forForm } from '../../../domain/field-labels.js';
import { REPORT_CSS } from '../../../web/report-view/report-css.js';
import { STYLESHEET } from '../../../web/report-view/ReportPage.js';
import type { AppContext } from '../../context.js';
import { AppError, parse } from '../../http/errors.js';
import { mid, midAndId, requireActor } from '../../http/request.js';
import { deleteLayout, listLayouts, saveLayout } from './layouts.service.js';
import { publicErrorPage, publicListPage, publicReportPage } from './pages.js';
import { publicMunicipality, publicSnapshot } from './public.service.js';
import {
  listSnapshots,
  publishInput,
  publishPreview,
  publishPreviewQuery,
  publishReport,
  withdrawSnapshot,
} from './publishing.service.js';
import { exportReport, indicatorSeries, REPORT_FORMATS, reportQuery, reportSummary } from './reports.service.js';

// Query strings carry numbers as text.
export const yearParam = fiscalYearParam;
export const formatQuery = reportQuery.extend({
  fiscalYear: yearParam,
  format: z.enum(REPORT_FORMATS).default('json'),
  encoding: z.enum(['utf8', 'sjis']).default('utf8'),
});
export const summaryQuery = z.object({
  planId: id,
  fiscalYear: yearParam,
  depth: z.coerce.number().int().min(0).max(5).default(0),
});
export const layoutParams = z.object({ mid: id, name: z.string().min(1).max(60) });
export const codeParams = forForm(
  'publicPage',
  z.object({ code: z.string().regex(/^\d{6}$/, '自治体コードは6桁の数字です') }),
);
export const snapshotParams = forForm('publicPage', z.object({ code: z.string().regex(/^\d{6}$/), id }));

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
    return reply.status(status).type('text/html; charset=utf-8').send(publicErrorPage(message));
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

function layoutRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/m/:mid/report-layouts', async (req): Promise<LayoutListResponse> => ({
    layouts: await listLayouts(ctx, requireActor(req), mid(req)),
  }));
  app.post('/api/m/:mid/report-layouts', async (req, reply) => {
    const actor = requireActor(req);
    const answer: LayoutResponse = { layout: await saveLayout(ctx, actor, mid(req), parse(layoutInput, req.body)) };
    return reply.status(201).send(answer);
  });
  app.delete('/api/m/:mid/report-layouts/:name', async (req, reply) => {
    const actor = requireActor(req);
    const p = parse(layoutParams, req.params);
    await deleteLayout(ctx, actor, p.mid, p.name);
    return reply.status(204).send();
  });
}

function reportOutputRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/m/:mid/report', async (req, reply) => {
    const actor = requireActor(req);
    const q = parse(formatQuery, req.query);
    const out = await exportReport(ctx, actor, mid(req), q, { stylesheetHref: STYLESHEET });
    if (out.format === 'json') {
      const answer: ReportResponse = { document: out.document };
      return reply.header('cache-control', 'no-store').send(answer);
    }
    return send(reply, out.file, out.fileName, out.format === 'html');
  });
  app.get('/api/m/:mid/report-summary', async (req): Promise<ReportSummaryResponse> => {
    const actor = requireActor(req);
    const q = parse(summaryQuery, req.query);
    return { summary: await reportSummary(ctx, actor, mid(req), q.planId, q.fiscalYear, q.depth) };
  });
  app.get('/api/m/:mid/indicators/:id/series', async (req): Promise<IndicatorSeriesResponse> => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return { series: await indicatorSeries(ctx, actor, p.mid, p.id) };
  });
}

function publishingRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/m/:mid/report-snapshots', async (req): Promise<SnapshotListResponse> => ({
    snapshots: await listSnapshots(ctx, requireActor(req), mid(req)),
  }));
  app.get('/api/m/:mid/report-snapshots/preview', async (req): Promise<PublishPreviewResponse> => {
    const actor = requireActor(req);
    const q = parse(publishPreviewQuery, req.query);
    return { preview: await publishPreview(ctx, actor, mid(req), q.planId, q.fiscalYear) };
  });
  app.post('/api/m/:mid/report-snapshots', async (req, reply) => {
    const actor = requireActor(req);
    const answer: SnapshotResponse = {
      snapshot: await publishReport(ctx, actor, mid(req), parse(publishInput, req.body)),
    };
    return reply.status(201).send(answer);
  });
  app.post('/api/m/:mid/report-snapshots/:id/withdraw', async (req): Promise<SnapshotResponse> => {
    const actor = requireActor(req);
    const p = midAndId(req);
    return { snapshot: await withdrawSnapshot(ctx, actor, p.mid, p.id, parse(reasonInput, req.body).reason) };
  });
}

/** The public pages: no login, published snapshots only, plain HTML under the same CSP. */
function publicRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/public/report.css', async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(REPORT_CSS),
  );
  app.get('/public/:code', async (req, reply) =>
    publicPage(reply, async () => publicListPage(await publicMunicipality(ctx, parse(codeParams, req.params).code))),
  );
  app.get('/public/:code/reports/:id', async (req, reply) =>
    publicPage(reply, async () => {
      const p = parse(snapshotParams, req.params);
      return publicReportPage(await publicSnapshot(ctx, p.code, p.id));
    }),
  );
}

export function reportRoutes(app: FastifyInstance, ctx: AppContext): void {
  layoutRoutes(app, ctx);
  reportOutputRoutes(app, ctx);
  publishingRoutes(app, ctx);
  publicRoutes(app, ctx);
}
