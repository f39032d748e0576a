// The council module's public surface.
export { councilRoutes } from './council.routes.js';
