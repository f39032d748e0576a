// The plans module's public surface: a plan, its structure by year, and its revision counter, and the
// writes of a plan's structure that an import reuses (the plans module is the one place that writes
// plans, their levels, nodes and projects).
export { assertPlanNotArchived, insertPlan, requirePlan } from './plans.service.js';
export {
  bumpAnsweringDepartments,
  bumpDepartments,
  bumpProject,
  bumpMunicipalityPlans,
  bumpPlan,
  findNodeRow,
  findProjectRow,
  fixedYears,
  insertNodeRow,
  insertProjectDepartments,
  insertProjectRows,
  listLevelRows,
  planSpan,
  setPosition,
  updateProjectRow,
  type ProjectDepartmentValues,
  type ProjectValues,
} from './plans.repository.js';
export {
  currentYearOf,
  freezeYear,
  numberingNode,
  projectsInTreeOrder,
  rowInYear,
  treeOrder,
  yearStructure,
} from './plan-years.js';
export { exportPlan, importPlan, writePlanFromExport } from './plan-transfer.service.js';
export { planRoutes } from './plans.routes.js';
export { planFieldsIn, planFieldsOf, readPlanFields, recordFieldsOf, checkedValues } from './plan-fields.service.js';
export { structureRoutes } from './structure.routes.js';
