// `npm run build`: the server bundled by esbuild into dist/server (one file per entry, packages left
// to node_modules), and the SPA built once by Vite into dist/web with each asset precompressed
// (.br and .gz beside it). dist/build-info.json records what was built from which sources.
import { builtinModules } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { dist, infoFile, root, sourceHash } from './build-state.mjs';

const webDir = path.join(dist, 'web');
const serverDir = path.join(dist, 'server');

/** The server's entries: the app, the command line, and the import worker the app starts from beside itself. */
const SERVER_ENTRIES = {
  main: 'src/server/main.ts',
  cli: 'src/server/cli.ts',
  'parse-worker': 'src/server/modules/imports/parse-worker.ts',
};

async function devTool(name) {
  try {
    return await import(name);
  } catch {
    console.error(
      `${name} が見つかりません。ビルドには開発用のパッケージが必要です（npm install を --omit=dev なしで実行してください）。`,
    );
    process.exit(1);
  }
}

async function buildWeb() {
  const vite = await devTool('vite');
  await vite.build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|map|xml|ico|wasm)$/;
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Writes name.br and name.gz beside every compressible asset that gets smaller. */
async function precompress(dir) {
  const files = fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && COMPRESSIBLE.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
  await Promise.all(
    files.map(async (file) => {
      const raw = fs.readFileSync(file);
      const [br, gz] = await Promise.all([
        brotli(raw, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
          },
        }),
        gzip(raw, { level: zlib.constants.Z_BEST_COMPRESSION }),
      ]);
      if (br.length < raw.length) fs.writeFileSync(`${file}.br`, br);
      if (gz.length < raw.length) fs.writeFileSync(`${file}.gz`, gz);
    }),
  );
}

const packageOf = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const isBuiltin = (specifier) => specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]);

/** The packages the bundle loads at run time must be dependencies: an install without dev dependencies runs it. */
function checkRuntimePackages(metafile) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const runtime = new Set(Object.keys(pkg.dependencies ?? {}));
  const loaded = new Set(
    Object.values(metafile.outputs)
      .flatMap((o) => o.imports)
      .filter((i) => i.external && !isBuiltin(i.path))
      .map((i) => packageOf(i.path)),
  );
  const missing = [...loaded].filter((p) => !runtime.has(p));
  if (missing.length) {
    console.error(`The built server loads packages that are not in "dependencies": ${missing.join(', ')}`);
    process.exit(1);
  }
  return [...loaded].sort();
}

async function buildServer() {
  const esbuild = await devTool('esbuild');
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: SERVER_ENTRIES,
    outdir: serverDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    packages: 'external',
    // The server may render the SPA's React components (react-dom/server).
    jsx: 'automatic',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  return checkRuntimePackages(result.metafile);
}

function writtenFiles() {
  return fs
    .readdirSync(dist, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name !== 'build-info.json')
    .map((e) => path.relative(dist, path.join(e.parentPath, e.name)))
    .sort();
}

export async function build() {
  const started = Date.now();
  const sources = sourceHash();
  fs.rmSync(infoFile, { force: true });
  fs.rmSync(serverDir, { recursive: true, force: true });
  await buildWeb();
  await precompress(webDir);
  const packages = await buildServer();
  fs.writeFileSync(
    infoFile,
    `${JSON.stringify({ sources, builtAt: new Date().toISOString(), packages, files: writtenFiles() }, null, 2)}\n`,
  );
  console.log(`Built dist/server and dist/web in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

process.chdir(root);
await build();
