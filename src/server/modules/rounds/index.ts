// The rounds module's public surface.
export { closeRound, departmentSheet, openRound, requireRound } from './rounds.service.js';
export { SheetCache } from './sheet-cache.js';
export { roundRoutes } from './rounds.routes.js';
