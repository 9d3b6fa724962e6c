// Prints the node_modules folders that the named packages need (their dependencies and optional
// dependencies, resolved as Node resolves them), one per line, relative to the working directory.
import fs from 'node:fs';
import path from 'node:path';

const base = process.cwd();
const seen = new Set();
const queue = process.argv.slice(2).map((name) => [name, base]);

function resolvePackage(name, from) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) return null; // an optional dependency for another platform
  }
}

while (queue.length > 0) {
  const [name, from] = queue.pop();
  const folder = resolvePackage(name, from);
  if (folder === null || seen.has(folder)) continue;
  seen.add(folder);
  const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
  for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) queue.push([dep, folder]);
}
console.log([...seen].map((folder) => path.relative(base, folder)).join('\n'));
