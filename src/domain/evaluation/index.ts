/**
 * Evaluation slots and scales (docs/evaluation.md): the pure rules, free of schemas, for the server
 * and the SPA alike. The schemas are in ./schema.ts, the presets and the carry-over of one-scale
 * plans (which parse through them) in ./presets.ts and ./legacy.ts.
 */
export * from './terms.js';
export * from './codes.js';
export * from './targets.js';
export * from './rules.js';
export * from './rollup.js';
export * from './slots.js';
export * from './resolve.js';
export * from './tally.js';
export * from './checks.js';
export * from './engine.js';
export type * from './schema.js';
export * from './facts.js';
