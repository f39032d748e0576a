// npm run bench -- <name>: runs bench/<name>.ts and writes bench/results/<name>.json.
import fs from 'node:fs';
import path from 'node:path';

const name = process.argv[2];
const available = fs
  .readdirSync(path.join(import.meta.dirname, '.'))
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'lib.ts'].includes(f))
  .map((f) => f.replace(/\.ts$/, ''));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join('|')}>`);
  process.exit(2);
}
const mod = (await import(`./${name}.ts`)) as { run: () => Promise<Record<string, unknown>> };
const result = await mod.run();
fs.mkdirSync(path.join(import.meta.dirname, 'results'), { recursive: true });
const out = path.join(import.meta.dirname, 'results', `${name}.json`);
fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
console.log(`written to ${path.relative(process.cwd(), out)}`);
process.exit(0);
