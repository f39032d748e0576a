// Workers start plain Node: load the TypeScript load generator through tsx.
import { tsImport } from 'tsx/esm/api';

await tsImport('./load-worker.ts', import.meta.url);
