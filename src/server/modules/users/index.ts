// The users module's public surface.
export { userRoutes } from './users.routes.js';
