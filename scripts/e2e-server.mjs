// Starts the built app (as `npm start` does: built first when dist/ is not current) for the browser
// tests on a fresh SQLite file with no sample data: every test creates its own municipality,
// accounts and plan through the API.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt, root } from './build-state.mjs';

ensureBuilt((line) => console.error(line));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shinchoku-e2e-'));
const child = spawn(process.execPath, [path.join(root, 'dist/server/main.js')], {
  stdio: 'inherit',
  env: {
    ...process.env,
    PORT: process.env.E2E_PORT ?? '3210',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    SAMPLE_DATA: 'off',
    INITIAL_ADMIN_PASSWORD: 'e2e-system-owner-pw-77',
    LOGIN_RATE_LIMIT: '1000',
    LOG_LEVEL: 'warn',
  },
});
const stop = () => {
  child.kill('SIGTERM');
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
child.on('exit', (code) => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(code ?? 0);
});
