// The imports module's public surface: its routes, the parse pool the app starts, and what the
// command line and the tests use to import a file (a file as a table, the commit of mapped rows).
export { importRoutes } from './imports.routes.js';
export { commitImport, type CommitResult, type CommitTarget } from './commit.service.js';
export { tableFromFile } from './sources.js';
export { ParsePool, type ParsePoolOptions } from './parse-pool.js';
export { readForImport } from './parse-jobs.js';
export { departmentNames } from './imports.repository.js';
