// Whether dist/ holds a build of the sources as they are: dist/build-info.json records a hash of
// everything the build reads and the files it wrote. No dependencies: `npm start` asks this
// before it loads anything.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const dist = path.join(root, 'dist');
export const infoFile = path.join(dist, 'build-info.json');

/** What the build reads besides src/ (tests are left out: changing one needs no new build). */
const INPUTS = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'vite.config.ts',
  'scripts/build.mjs',
  'scripts/build-state.mjs',
];
const isTest = (file) => /\.test(-support)?\.[cm]?[jt]sx?$/.test(file);

function listFiles(dir) {
  return fs
    .readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .filter((f) => !isTest(f));
}

/** A hash of the sources the build reads; null when the sources are not here (a deployed build). */
export function sourceHash() {
  if (!fs.existsSync(path.join(root, 'src'))) return null;
  const files = [...listFiles('src'), ...INPUTS.filter((f) => fs.existsSync(path.join(root, f)))].sort();
  const hash = crypto.createHash('sha256');
  for (const f of files)
    hash
      .update(`${f}\0`)
      .update(fs.readFileSync(path.join(root, f)))
      .update('\0');
  return hash.digest('hex');
}

/** `{ current: true }`, or `{ current: false, reason }` saying why dist/ must be built again. */
export function buildState() {
  let info;
  try {
    info = JSON.parse(fs.readFileSync(infoFile, 'utf8'));
  } catch {
    return { current: false, reason: 'not built yet' };
  }
  const missing = info.files?.find((f) => !fs.existsSync(path.join(dist, f)));
  if (!info.files || missing) return { current: false, reason: `${missing ?? 'the file list'} is missing` };
  const hash = sourceHash();
  if (hash !== null && hash !== info.sources) return { current: false, reason: 'the sources changed' };
  return { current: true };
}

/** Builds dist/ (in a child process) unless it is current; exits the process when the build fails. */
export function ensureBuilt(log = (line) => console.log(line)) {
  const state = buildState();
  if (state.current) return;
  log(`アプリをビルドしています（${state.reason}）…`);
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    console.error('ビルドに失敗しました。');
    process.exit(r.status || 1);
  }
}
