// The audit writer's old address. reports and imports still import it from here while they are being
// reshaped; everything else imports ./index.js. Remove once those two modules use the index.
export { audit, type AuditEvent as AuditEntry, type RequestOrigin } from './audit.service.js';
