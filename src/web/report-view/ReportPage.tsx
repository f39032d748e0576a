import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { ReportDocument } from '../../domain/report/build.js';
import { REPORT_CSS } from './report-css.js';
import { ReportView } from './ReportView.js';

/**
 * The report as a page of its own, rendered to static markup on the server: the print view (A4
 * landscape, header row on every page, page numbers) and the shell of the public pages. No scripts
 * and no inline styles: the stylesheet is /public/report.css, or, in a file the command line
 * writes, the same CSS inside the file.
 */

export const STYLESHEET = '/public/report.css';

/** Where the page's CSS comes from: the served stylesheet, or written into a stand-alone file. */
export type PageStyle = { href: string } | { inline: true };

export function HtmlPage({
  title,
  style = { href: STYLESHEET },
  children,
}: {
  title: string;
  style?: PageStyle;
  children: ReactNode;
}) {
  return (
    <html lang="ja">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        {'href' in style ? <link rel="stylesheet" href={style.href} /> : <style>{REPORT_CSS}</style>}
      </head>
      <body>
        <main>{children}</main>
      </body>
    </html>
  );
}

/** A page as the server answers it. */
export const staticHtml = (page: ReactNode): string => `<!doctype html>\n${renderToStaticMarkup(page)}`;

/** The document as printed: a one-sheet report is headed by its sheet's title, a several-sheet one by its own. */
export function PrintedReport({ doc, subtitle }: { doc: ReportDocument; subtitle?: string }) {
  const many = doc.sheets.length > 1;
  return (
    <>
      {many && <h1>{doc.title}</h1>}
      {subtitle && <p>{subtitle}</p>}
      <ReportView doc={doc} sheetHeading={many ? 'h2' : 'h1'} />
    </>
  );
}

/** The print view (A4 landscape, header row on every page, page numbers). */
export function printPage(doc: ReportDocument, style?: PageStyle): string {
  return staticHtml(
    <HtmlPage title={doc.title} style={style}>
      <PrintedReport doc={doc} />
    </HtmlPage>,
  );
}
