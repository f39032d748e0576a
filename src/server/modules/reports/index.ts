// The reports module's public surface: its routes, a report for a reader and its files (the command
// line), and publishing (the sample data publishes last year's report).
export { reportRoutes } from './reports.routes.js';
export {
  formatReport,
  renderReport,
  REPORT_FORMATS,
  reportQuery,
  type ReportFormat,
  type ReportQuery,
} from './reports.service.js';
export { publishReport } from './publishing.service.js';
