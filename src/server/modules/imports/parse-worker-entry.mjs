// Worker threads start as plain Node: load the TypeScript worker through tsx.
import { tsImport } from 'tsx/esm/api';

await tsImport('./parse-worker.ts', import.meta.url);
