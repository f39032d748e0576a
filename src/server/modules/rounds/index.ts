// The rounds module's public surface.
export { closeRound, openRound, requireRound } from './rounds.service.js';
export { departmentSheet } from './sheet.service.js';
export { SheetCache } from './sheet-cache.js';
export { roundRoutes } from './rounds.routes.js';
