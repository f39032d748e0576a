// The audit module's public surface: writing an audit row (inside the caller's transaction) and who acted.
export { audit, type AuditEvent, type RequestOrigin } from './audit.service.js';
export { auditRoutes } from './audit.routes.js';
