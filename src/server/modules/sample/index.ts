// The sample module's public surface: サンプル市's plan and a year of answers, loaded at first start.
export { loadSampleData } from './sample-data.js';
export { loadSampleCycle } from './sample-cycle.js';
export { samplePlan } from './sample-plan.js';
