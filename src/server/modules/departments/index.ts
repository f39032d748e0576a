// The departments module's public surface.
export {
  actingDepartments,
  actingDepartmentsBy,
  actingDepartmentsRead,
  applyDueReorganisations,
  applyReorganisationsDueBy,
  loadDepartments,
} from './departments.service.js';
export { findDepartmentRow, listDepartmentRows } from './departments.repository.js';
export { departmentRoutes } from './departments.routes.js';
