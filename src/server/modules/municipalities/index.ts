// The municipalities module's public surface.
export { findMunicipality, municipalityEra } from './municipalities.service.js';
export { municipalityRoutes } from './municipalities.routes.js';
