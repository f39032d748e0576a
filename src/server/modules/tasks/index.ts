// The tasks module's public surface.
export { taskRoutes } from './tasks.routes.js';
