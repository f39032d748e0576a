// The indicators module's public surface.
export { createIndicator, loadIndicators } from './indicators.service.js';
export { indicatorRoutes } from './indicators.routes.js';
