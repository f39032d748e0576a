// The plans module's public surface: a plan, its structure by year, and its revision counter.
export { assertPlanNotArchived, requirePlan } from './plans.service.js';
export { bumpMunicipalityPlans, bumpPlan, findProjectRow } from './plans.repository.js';
export { freezeYear, projectsInTreeOrder, rowInYear, treeOrder, yearStructure } from './plan-years.js';
export { writePlanFromExport } from './plan-transfer.service.js';
export { planRoutes } from './plans.routes.js';
export { structureRoutes } from './structure.routes.js';
