// `npm start`: serves the built app from dist/, building it once first when it is missing or was
// built from other sources (a fresh clone, a pull). A deployed build without src/ is served as it is.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt, root } from './build-state.mjs';

ensureBuilt();
await import(pathToFileURL(path.join(root, 'dist/server/main.js')).href);
