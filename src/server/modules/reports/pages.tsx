import type { SnapshotEntry } from '../../../domain/api-types.js';
import { eraDateLabel, eraYearLabel, type Era2019 } from '../../../domain/fiscal-year.js';
import { HtmlPage, PrintedReport, staticHtml } from '../../../web/report-view/ReportPage.js';
import type { PublicMunicipality, PublicSnapshot } from './public.service.js';

/**
 * The public pages, rendered on the server from the screen's own components: the list of published
 * versions, a published report (or the notice of its withdrawal), and their error page. Static
 * markup only: no scripts, no inline styles, the stylesheet /public/report.css.
 */

/** 令和8年12月5日: the day a moment (a publication, a withdrawal) fell on in Japan. */
const japanDate = (iso: string) =>
  iso ? eraDateLabel(new Date(Date.parse(iso) + 9 * 3600_000).toISOString().slice(0, 10)) : '';

function SnapshotItem({ code, era, s }: { code: string; era: Era2019; s: SnapshotEntry }) {
  return (
    <li>
      <a href={`/public/${code}/reports/${s.id}`}>{s.title}</a>（{eraYearLabel(s.fiscalYear, era)}・
      {eraDateLabel(s.asOf)}時点・公表 {japanDate(s.publishedAt)}）
      {s.withdrawnAt ? (
        <span className="withdrawn-mark">（{japanDate(s.withdrawnAt)}に取り下げ）</span>
      ) : (
        s.supersededBy && <span className="superseded">（新しい版があります）</span>
      )}
      {s.includesUnapproved && !s.withdrawnAt && <span className="preliminary">（速報・未確定を含む）</span>}
    </li>
  );
}

/** /public/<団体コード>: every published version, the superseded, preliminary and withdrawn ones marked. */
export function publicListPage(m: PublicMunicipality): string {
  const title = `${m.name} 公表された進捗報告`;
  return staticHtml(
    <HtmlPage title={title}>
      <h1>{title}</h1>
      {m.snapshots.length ? (
        <ul className="snapshots">
          {m.snapshots.map((s) => (
            <SnapshotItem key={s.id} code={m.code} era={m.era2019} s={s} />
          ))}
        </ul>
      ) : (
        <p>公表された報告はまだありません。</p>
      )}
    </HtmlPage>,
  );
}

function HistoryItem({ code, h, current }: { code: string; h: SnapshotEntry; current: boolean }) {
  const when = `${eraDateLabel(h.asOf)}時点（公表 ${japanDate(h.publishedAt)}）`;
  const state = h.withdrawnAt ? `（${japanDate(h.withdrawnAt)}に取り下げ）` : h.supersededBy ? '' : '（最新）';
  return current ? (
    <li>
      <strong>この版</strong>：{when}
      {state}
    </li>
  ) : (
    <li>
      <a href={`/public/${code}/reports/${h.id}`}>{when}</a>
      {state}
    </li>
  );
}

/** Above a public report: the way back to the list, whether a newer version replaced it, its history. */
function PublicNav({ s }: { s: PublicSnapshot }) {
  const code = s.municipality.code;
  return (
    <nav className="report-nav" aria-label="公開ページ">
      <p>
        <a href={`/public/${code}`}>{s.municipality.name} 公表された進捗報告の一覧へ</a>
      </p>
      {s.entry.supersededBy && (
        <p className="superseded">
          <strong>この版は新しい版に置き換えられています。</strong>{' '}
          <a href={`/public/${code}/reports/${s.entry.supersededBy}`}>新しい版を見る</a>
        </p>
      )}
      <details>
        <summary>この報告の公表履歴</summary>
        <ul>
          {s.history.map((h) => (
            <HistoryItem key={h.id} code={code} h={h} current={h.id === s.entry.id} />
          ))}
        </ul>
      </details>
    </nav>
  );
}

/** /public/<団体コード>/reports/<id>: the published document, or for a withdrawn one when and why it was withdrawn. */
export function publicReportPage(s: PublicSnapshot): string {
  if (!s.document || s.entry.withdrawnAt) {
    const notice = `この報告は${japanDate(s.entry.withdrawnAt ?? '')}に取り下げられました（${s.entry.withdrawReason}）`;
    return staticHtml(
      <HtmlPage title={`${s.entry.title}（取り下げ）`}>
        <PublicNav s={s} />
        <h1>{s.entry.title}</h1>
        <p className="withdrawn" role="note">
          {notice}
        </p>
      </HtmlPage>,
    );
  }
  const subtitle = `${s.municipality.name}・${s.document.planTitle}・公表 ${japanDate(s.entry.publishedAt)}`;
  return staticHtml(
    <HtmlPage title={s.document.title}>
      <PublicNav s={s} />
      <PrintedReport doc={s.document} subtitle={subtitle} screen />
    </HtmlPage>,
  );
}

/** A public page that could not be shown: the message as the page's heading. */
export function publicErrorPage(message: string): string {
  return staticHtml(
    <HtmlPage title={message}>
      <h1>{message}</h1>
    </HtmlPage>,
  );
}
