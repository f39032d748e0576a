// Every type assertion in the server (`x as T`, `<T>x`; `as const` is not one) says why: a `//` or
// `/* */` comment on its line or the line before. A cast that a type guard, a zod parse or a better
// type can replace should be replaced; one that must stay is explained. Test files are left out.
// Usage: node scripts/check-casts.mjs [dir …]   (default src/server); prints the count, fails naming
// file:line of each unexplained cast.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dirs = process.argv.length > 2 ? process.argv.slice(2) : ['src/server'];

function sourceFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
      out.push(p);
  }
  return out;
}

const isCast = (node) =>
  (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) &&
  !(ts.isTypeReferenceNode(node.type) && node.type.typeName.getText() === 'const');

/** The lines (0-based) a comment touches, from the leading trivia of every token. */
function commentLines(sf) {
  const text = sf.getFullText();
  const lines = new Set();
  const seen = new Set();
  const mark = (ranges) => {
    for (const r of ranges ?? []) {
      if (seen.has(r.pos)) continue;
      seen.add(r.pos);
      const first = sf.getLineAndCharacterOfPosition(r.pos).line;
      const last = sf.getLineAndCharacterOfPosition(r.end).line;
      for (let l = first; l <= last; l++) lines.add(l);
    }
  };
  const visit = (node) => {
    mark(ts.getLeadingCommentRanges(text, node.getFullStart()));
    mark(ts.getTrailingCommentRanges(text, node.getEnd()));
    for (const child of node.getChildren(sf)) visit(child);
  };
  visit(sf);
  return lines;
}

let total = 0;
const unexplained = [];
for (const dir of dirs)
  for (const file of sourceFiles(path.resolve(root, dir))) {
    const text = fs.readFileSync(file, 'utf8');
    const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
    let comments = null;
    const visit = (node) => {
      // `x as unknown as T` is one cast: counted at the outer assertion.
      if (isCast(node) && !isCast(node.parent)) {
        total++;
        comments ??= commentLines(sf);
        const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
        const at = sf.getLineAndCharacterOfPosition(node.type.getStart(sf)).line;
        const explained = [start - 1, start, at - 1, at].some((l) => comments.has(l));
        if (!explained) unexplained.push(`${path.relative(root, file)}:${at + 1}: ${node.getText(sf).split('\n')[0]}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }

console.log(`casts in ${dirs.join(', ')}: ${total}, unexplained: ${unexplained.length}`);
if (unexplained.length) {
  console.log('Each type assertion needs a comment on its line or the line before saying why it must stay');
  console.log('(or replace it with a type guard, a zod parse or a better type):');
  for (const u of unexplained) console.log(`  ${u}`);
  process.exit(1);
}
