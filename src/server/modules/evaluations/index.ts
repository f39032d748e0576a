// The evaluations module's public surface: a plan year's evaluations as the engine computes them,
// the configuration in force in a year, and the department entries saved with the answers.
export {
  configOfYear,
  evaluatePlanYear,
  planYearRead,
  loadPlanYearFacts,
  loadVersions,
  loadYearFacts,
  readConfig,
  indicatorDef,
  type PlanYearFacts,
} from './year-facts.js';
export { valueDto } from './evaluations.service.js';
export {
  answerChecks,
  answerEntries,
  answerValues,
  departmentSlots,
  evaluateAnswer,
  missingRequired,
  saveAnswerEntries,
  type AnswerRef,
} from './answers.js';
export { fixedYears } from './evaluations.repository.js';
export { importDoneFlags, importGrades, type ImportedDone, type ImportedGrade } from './imported.js';
export { evaluationRoutes } from './evaluations.routes.js';
export { writeEntry, EMPTY_ENTRY, type EntryValue } from './entries.js';
