/**
 * bin/mlspec.js refuses a Node older than package.json's engines range with one sentence and exit
 * 2, before loading anything that an old Node could fail on. The old Node is simulated by
 * redefining process.versions.node in a module loaded first (--import).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/mlspec.js');
const engines = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;

function asNode(version: string, ...args: string[]) {
  const fake = `data:text/javascript,Object.defineProperty(process.versions,'node',{value:'${version}'})`;
  const r = spawnSync(process.execPath, ['--import', fake, BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the Node version check', () => {
  it('package.json asks for Node >= 20.19', () => {
    expect(engines).toBe('>=20.19');
  });

  it.each(['18.19.0', '20.18.3', '16.20.2'])('Node %s: one sentence naming both versions, exit 2', (version) => {
    const r = asNode(version, 'check', 'examples/iris.mlspec');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `mlspec needs Node.js 20.19 or newer, but this is Node.js ${version}; install a current Node.js (https://nodejs.org, or \`nvm install 22\`) and run it again.\n`,
    );
  });

  it.each(['20.19.0', '22.1.0'])('Node %s runs', (version) => {
    const r = asNode(version, '--version');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
