// Which Node versions mlspec runs on, checked before anything else is loaded: this file uses
// only syntax and APIs that every Node since 12 has, so that an old Node gets one clear sentence
// instead of a syntax error or a missing API deep inside a dependency.
import { readFileSync } from 'node:fs';

/** The lowest [major, minor, patch] allowed by package.json's `engines.node` (">=20.19"). */
export function minimumNodeVersion() {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const match = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(String(pkg.engines && pkg.engines.node).trim());
  if (!match) throw new Error(`package.json's engines.node is not of the form ">=X.Y": ${pkg.engines && pkg.engines.node}`);
  return [Number(match[1]), Number(match[2] || 0), Number(match[3] || 0)];
}

/** A sentence saying that `version` (e.g. "18.19.0") is too old, or null when it is new enough. */
export function nodeVersionProblem(version, minimum = minimumNodeVersion()) {
  const parts = String(version).replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const have = parts[i] || 0;
    if (have > minimum[i]) return null;
    if (have < minimum[i]) {
      const wanted = minimum[2] > 0 ? minimum.join('.') : `${minimum[0]}.${minimum[1]}`;
      return `mlspec needs Node.js ${wanted} or newer, but this is Node.js ${String(version).replace(/^v/, '')}; install a current Node.js (https://nodejs.org, or \`nvm install 22\`) and run it again.`;
    }
  }
  return null;
}
