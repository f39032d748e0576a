/** Evaluation slots and scales: see docs/evaluation.md. */
export * from './scale.js';
export * from './targets.js';
export * from './rules.js';
export * from './rollup.js';
export * from './slots.js';
export * from './resolve.js';
export * from './tally.js';
export * from './checks.js';
export * from './presets.js';
export * from './legacy.js';
export * from './engine.js';
