import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { ReportDocument } from '../../domain/report/build.js';
import { REPORT_CSS } from './report-css.js';
import { PaperView, STYLESHEET } from './PaperView.js';
import { ReportView } from './ReportView.js';

/**
 * The report as a page of its own, rendered to static markup on the server: the print view (on
 * the layout's paper, header rows on every page, page numbers) and the shell of the public pages. No scripts
 * and no inline styles: the stylesheet is /public/report.css, or, in a file the command line
 * writes, the same CSS inside the file.
 */

export { STYLESHEET } from './PaperView.js';

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

/**
 * The document as a page shows it: a one-sheet report is headed by its sheet's title, a
 * several-sheet one by its own. With `screen`, the screen table for reading and the paper version
 * for printing, each shown in its medium (the public pages); without, the paper version alone (the
 * print view, which shows on screen the pages it prints).
 */
export function PrintedReport({
  doc,
  subtitle,
  screen = false,
}: {
  doc: ReportDocument;
  subtitle?: string;
  screen?: boolean;
}) {
  const many = doc.sheets.length > 1;
  return (
    <>
      {screen && (
        <div className="report-screen">
          {many && <h1>{doc.title}</h1>}
          {subtitle && <p>{subtitle}</p>}
          <ReportView doc={doc} sheetHeading={many ? 'h2' : 'h1'} />
        </div>
      )}
      <PaperView doc={doc} lead={{ title: many ? doc.title : undefined, subtitle }} sheetHeading={many ? 'h2' : 'h1'} />
    </>
  );
}

/** The print view: the paper version on the layout's paper, header rows on every page, page numbers. */
export function printPage(doc: ReportDocument, style?: PageStyle): string {
  return staticHtml(
    <HtmlPage title={doc.title} style={style}>
      <PrintedReport doc={doc} />
    </HtmlPage>,
  );
}
