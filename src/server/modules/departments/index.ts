// The departments module's public surface.
export { actingDepartments, loadDepartments } from './departments.service.js';
export { departmentRoutes } from './departments.routes.js';
