// `npm test`: the whole suite. Unit and API tests on SQLite always; the same API suite on
// PostgreSQL and the browser tests in Chromium when this machine has them. CI sets
// REQUIRE_POSTGRES=1 and REQUIRE_BROWSER=1 so that a missing one fails instead of skipping.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shinchoku-test-'));
const require = (name) => process.env[`REQUIRE_${name}`] === '1';
const skipped = [];
const failures = [];
let startedCluster = null;

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function pgBinaries() {
  try {
    return fs.readdirSync('/usr/lib/postgresql').some((v) => fs.existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));
  } catch {
    return false;
  }
}

// PostgreSQL: a given server, or a throw-away cluster when the server binaries are installed.
let pgUrl = process.env.TEST_DATABASE_URL;
if (!pgUrl && pgBinaries()) {
  // Its own folder directly under the temp dir: the postgres user must be able to reach it.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shinchoku-pg-'));
  const port = String(56000 + Math.floor(Math.random() * 2000));
  try {
    pgUrl = execFileSync('bash', ['scripts/pg-throwaway.sh', 'start', dir, port], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
    startedCluster = dir;
    console.log(`PostgreSQL: started a throw-away cluster at ${pgUrl}`);
  } catch (e) {
    console.log(`PostgreSQL: could not start a throw-away cluster (${e.message.split('\n')[0]})`);
  }
}
const stopCluster = () => {
  if (startedCluster) execFileSync('bash', ['scripts/pg-throwaway.sh', 'stop', startedCluster]);
  startedCluster = null;
};
process.on('exit', stopCluster);

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveBrowser = fs.existsSync(chromium);

const projects = ['--project', 'unit', '--project', 'api-sqlite'];
if (pgUrl) projects.push('--project', 'api-postgres');
else if (require('POSTGRES'))
  failures.push(
    'PostgreSQL suite required (REQUIRE_POSTGRES=1) but no server: set TEST_DATABASE_URL or install postgresql',
  );
else skipped.push('api-postgres (no PostgreSQL: set TEST_DATABASE_URL or install the postgresql package)');

const typecheck = run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
if (typecheck !== 0) failures.push('typecheck failed');
if (run('npx', ['eslint', '.', '--max-warnings=0']) !== 0) failures.push('lint failed');
if (run(process.execPath, ['scripts/check-casts.mjs']) !== 0)
  failures.push('a type assertion in src/server says nothing about why (scripts/check-casts.mjs)');
if (run('npx', ['prettier', '--check', '--log-level', 'warn', '.']) !== 0)
  failures.push('formatting differs from Prettier (npm run format)');

const vitestJson = path.join(outDir, 'vitest.json');
const vitest = run(
  'npx',
  ['vitest', 'run', ...projects, '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`],
  pgUrl ? { TEST_DATABASE_URL: pgUrl } : {},
);
if (vitest !== 0) failures.push('vitest reported failures');

let e2eCounts = { passed: 0, failed: 0, skipped: 0 };
if (haveBrowser) {
  if (run(process.execPath, ['scripts/build.mjs']) !== 0) failures.push('build failed');
  const pwJson = path.join(outDir, 'playwright.json');
  const pw = run('npx', ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson, CHROMIUM_PATH: chromium });
  if (pw !== 0) failures.push('browser tests reported failures');
  try {
    const s = JSON.parse(fs.readFileSync(pwJson, 'utf8')).stats;
    e2eCounts = { passed: s.expected + s.flaky, failed: s.unexpected, skipped: s.skipped };
  } catch {
    failures.push('browser tests wrote no results');
  }
} else if (require('BROWSER'))
  failures.push(
    `browser suite required (REQUIRE_BROWSER=1) but ${chromium} is missing: apt-get install chromium fonts-noto-cjk`,
  );
else skipped.push(`browser tests (no Chromium at ${chromium}: apt-get install chromium fonts-noto-cjk)`);

let unit = { passed: 0, failed: 0, skipped: 0 };
try {
  const v = JSON.parse(fs.readFileSync(vitestJson, 'utf8'));
  unit = { passed: v.numPassedTests, failed: v.numFailedTests, skipped: v.numPendingTests + v.numTodoTests };
} catch {
  failures.push('vitest wrote no results');
}
stopCluster();

console.log('\n== Shinchoku test summary ==');
console.log(
  `unit + API (${projects.filter((p) => p !== '--project').join(', ')}): ${unit.passed} passed, ${unit.failed} failed, ${unit.skipped} skipped`,
);
console.log(
  `browser (Chromium): ${haveBrowser ? `${e2eCounts.passed} passed, ${e2eCounts.failed} failed, ${e2eCounts.skipped} skipped` : 'not run'}`,
);
for (const s of skipped) console.log(`SKIPPED SUITE: ${s}`);
for (const f of failures) console.log(`FAILED: ${f}`);
const total = {
  passed: unit.passed + e2eCounts.passed,
  failed: unit.failed + e2eCounts.failed,
  skipped: unit.skipped + e2eCounts.skipped,
};
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(failures.length || total.failed ? 1 : 0);
