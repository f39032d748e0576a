// The sample module's public surface: サンプル市's plan and a year of answers, loaded at first start.
export {
  loadSampleCycle,
  loadSampleData,
  SAMPLE_CODE,
  SAMPLE_USERS,
  type SampleMunicipality,
} from './sample.service.js';
export { samplePlan } from './sample-plan.js';
