// The indicators module's public surface.
export { createIndicator, loadIndicators, loadPlanIndicators } from './indicators.service.js';
export { indicatorRoutes } from './indicators.routes.js';
