/**
 * Hostile run folders and files end in one sentence and a documented exit code, never a hang,
 * a leak or a silent wrong answer (issue #18; docs/reliability.md lists each guarantee):
 * damaged weights, manifest paths that leave the model folder, FIFOs and devices where a spec or a
 * run file belongs, system files as data, terminal escapes and huge values in messages, and two
 * runs writing one folder. Processes are spawned (with a timeout) where the old behaviour hung.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/cli-io.js';
import { main } from '../../src/cli/main.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'mlspec.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-integrity-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
/** Set in spawned processes: it must never appear in what they print. */
const MARKER = 'MLSPEC_TEST_SECRET_7f3a9c';

async function mlspec(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, interactive: false, cwd: tmp };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** A spawned mlspec, killed after `timeout` ms (status null then). */
function spawned(args: string[], timeout = 20_000) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: tmp, encoding: 'utf8', timeout, env: { ...process.env, [MARKER]: MARKER } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SPEC = (csv: string, units = 2, epochs = 3) =>
  `model {\n  input(shape: [2])\n  dense(${units}, activation: softmax)\n}\ndata {\n  source: csv("${csv}", label: label, categorical: true)\n}\nloss: sparse_categorical_cross_entropy\noptimizer: adam(lr: 0.05)\ntrain {\n  epochs: ${epochs}\n  batch: 4\n  seed: 1\n}\n`;

const rows = ['a,b,label'];
for (let i = 0; i < 24; i++) rows.push(`${(i % 5) / 5},${(i % 3) / 3},${i % 2 === 0 ? 'even' : 'odd'}`);
const DATA = `${rows.join('\n')}\n`;
const run = path.join(tmp, 'run');

beforeAll(async () => {
  fs.writeFileSync(path.join(tmp, 'data.csv'), DATA);
  fs.writeFileSync(path.join(tmp, 'tiny.mlspec'), SPEC('data.csv'));
  expect(await mlspec('run', path.join(tmp, 'tiny.mlspec'), '--backend', 'cpu', '--out', run, '--quiet')).toMatchObject({ code: 0, stderr: '' });
});

let copies = 0;
function copyOfRun(): string {
  const dir = path.join(tmp, `copy-${copies++}`);
  fs.cpSync(run, dir, { recursive: true });
  return dir;
}

const ONE_LINE = /^[^\n]+\n$/;

describe('a damaged saved model', () => {
  it('model.json records the SHA-256 of weights.bin', () => {
    const json = JSON.parse(fs.readFileSync(path.join(run, 'model', 'model.json'), 'utf8'));
    expect(json.userDefinedMetadata.mlspec.weightsSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is refused by predict, evaluate and --init-from in one sentence (exit 1)', async () => {
    const dir = copyOfRun();
    const file = path.join(dir, 'model', 'weights.bin');
    const bytes = fs.readFileSync(file);
    bytes[5] = bytes[5]! ^ 0x10;
    fs.writeFileSync(file, bytes);
    const damaged = /model\/weights\.bin is damaged: its SHA-256 [0-9a-f]{12}\.\.\. differs from [0-9a-f]{12}\.\.\. recorded in model\.json; train the run again or restore its folder from a copy\.\n$/;
    for (const command of ['predict', 'evaluate']) {
      const r = await mlspec(command, dir, '--data', 'data.csv', '--backend', 'cpu');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(ONE_LINE);
      expect(r.stderr).toMatch(damaged);
    }
    const init = await mlspec('run', path.join(tmp, 'tiny.mlspec'), '--backend', 'cpu', '--out', path.join(tmp, 'init'), '--init-from', dir, '--quiet');
    expect(init.code).toBe(1);
    expect(init.stderr).toMatch(damaged);
  });

  it('refuses a weights.bin shorter than its manifest, even without a checksum', async () => {
    const dir = copyOfRun();
    const jsonFile = path.join(dir, 'model', 'model.json');
    const json = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
    delete json.userDefinedMetadata.mlspec;
    fs.writeFileSync(jsonFile, JSON.stringify(json));
    fs.truncateSync(path.join(dir, 'model', 'weights.bin'), 8);
    const r = await mlspec('predict', dir, '--data', 'data.csv', '--backend', 'cpu');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/model\/weights\.bin is damaged: it holds 8 bytes where model\.json describes 24;/);
  });

  it('refuses a weights.bin longer than its manifest without reading the rest', async () => {
    const dir = copyOfRun();
    fs.appendFileSync(path.join(dir, 'model', 'weights.bin'), Buffer.alloc(1000));
    const r = await mlspec('predict', dir, '--data', 'data.csv', '--backend', 'cpu');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/model\/weights\.bin is damaged: it holds more than the 24 bytes model\.json describes;/);
  });

  it('refuses a model.json that is not JSON', async () => {
    const dir = copyOfRun();
    fs.writeFileSync(path.join(dir, 'model', 'model.json'), '{"modelTopology": ');
    const r = await mlspec('evaluate', dir, '--data', 'data.csv', '--backend', 'cpu');
    expect(r).toMatchObject({ code: 1 });
    expect(r.stderr).toMatch(/model\/model\.json is damaged: it is not valid JSON;/);
  });
});

describe('paths of a run folder stay in it', () => {
  it('a weights manifest path with .. is refused and the file is not read', async () => {
    const dir = copyOfRun();
    fs.writeFileSync(path.join(tmp, 'secret.txt'), `${MARKER}\n`.padEnd(24, 'x'));
    const jsonFile = path.join(dir, 'model', 'model.json');
    const json = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
    json.weightsManifest[0].paths = ['../../secret.txt'];
    delete json.userDefinedMetadata.mlspec;
    fs.writeFileSync(jsonFile, JSON.stringify(json));
    const r = await mlspec('predict', dir, '--data', 'data.csv', '--backend', 'cpu');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/cannot read \.\.\/\.\.\/secret\.txt in the model folder \S+ \(the path leaves the folder\)\./);
    // An absolute path likewise.
    json.weightsManifest[0].paths = [path.join(tmp, 'secret.txt')];
    fs.writeFileSync(jsonFile, JSON.stringify(json));
    expect((await mlspec('predict', dir, '--data', 'data.csv', '--backend', 'cpu')).stderr).toMatch(/\(the path must be a relative path inside the folder\)/);
  });

  it('a weights.bin symlink that leaves the folder (to /dev/zero, to a secret) is refused', async () => {
    for (const target of ['/dev/zero', path.join(tmp, 'secret.txt')]) {
      const dir = copyOfRun();
      fs.rmSync(path.join(dir, 'model', 'weights.bin'));
      fs.symlinkSync(target, path.join(dir, 'model', 'weights.bin'));
      const r = spawned(['evaluate', dir, '--data', 'data.csv', '--backend', 'cpu']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/cannot read weights\.bin in the model folder \S+ \(it is a symbolic link that leaves the folder\)\./);
    }
  });

  it('a FIFO as weights.bin, preprocessing.json or spec.mlspec is refused at once', () => {
    const expected: Record<string, RegExp> = {
      'model/weights.bin': /cannot read model\/weights\.bin \(it is a FIFO \(named pipe\), not a regular file\)/,
      'preprocessing.json': /cannot read \S*preprocessing\.json \(it is a FIFO \(named pipe\), not a regular file\)/,
      'spec.mlspec': /cannot read \S*spec\.mlspec \(it is a FIFO \(named pipe\), not a regular file\)/,
    };
    for (const [file, message] of Object.entries(expected)) {
      const dir = copyOfRun();
      fs.rmSync(path.join(dir, file));
      spawnSync('mkfifo', [path.join(dir, file)]);
      const r = spawned(['evaluate', dir, '--data', 'data.csv', '--backend', 'cpu'], 15_000);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('specs that are not files', () => {
  it('a FIFO spec is refused by check, fmt, run, compile and plan without hanging (exit 2)', () => {
    const fifo = path.join(tmp, 'fifo.mlspec');
    spawnSync('mkfifo', [fifo]);
    for (const command of ['check', 'fmt', 'run', 'compile', 'plan']) {
      const r = spawned([command, fifo], 15_000);
      expect(r.code, command).toBe(2);
      expect(r.stderr).toContain(`cannot read ${fifo} (it is a FIFO (named pipe), not a regular file).`);
    }
  });

  it('mlspec check /dev/zero answers at once (exit 2)', () => {
    const started = Date.now();
    const r = spawned(['check', '/dev/zero'], 15_000);
    expect(r).toMatchObject({ code: 2, stderr: "mlspec check: cannot read /dev/zero (it is a file of the system's /dev, not a spec).\n" });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a spec over 1 MiB is refused before it is read whole; /proc/self/environ is never printed', () => {
    const big = path.join(tmp, 'big.mlspec');
    fs.writeFileSync(big, `# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    expect(spawned(['check', big])).toMatchObject({ code: 2, stderr: `mlspec check: cannot read ${big} (it is larger than 1 MiB, the most mlspec reads here).\n` });
    const environ = spawned(['check', '/proc/self/environ']);
    expect(environ.code).toBe(2);
    expect(environ.stderr + environ.stdout).not.toContain(MARKER);
  });
});

describe('messages never carry terminal escapes or a whole huge value', () => {
  it('an ESC sequence in a CSV cell and in a column name is escaped', async () => {
    fs.writeFileSync(path.join(tmp, 'esc.csv'), 'a,b\x1b[2J,label\n1,2,x\x1b]0;PWNED\x07\u009b31m\n3,4,y\n');
    fs.writeFileSync(path.join(tmp, 'esc-column.csv'), 'a,b\x1b[2J,lab\n1,2,x\n3,4,y\n');
    fs.writeFileSync(path.join(tmp, 'esc-column.mlspec'), SPEC('esc-column.csv'));
    const column = await mlspec('check', path.join(tmp, 'esc-column.mlspec'));
    expect(column.stderr).toContain('E0515');
    expect(column.stderr).toContain('b\\x1b[2J');
    expect(column.stderr).not.toContain('\x1b');
    fs.writeFileSync(path.join(tmp, 'esc.mlspec'), SPEC('esc.csv', 5));
    const text = await mlspec('check', path.join(tmp, 'esc.mlspec'));
    const json = await mlspec('check', path.join(tmp, 'esc.mlspec'), '--format', 'json');
    const messages = (JSON.parse(json.stdout) as { message: string }[]).map((d) => d.message).join('\n');
    for (const output of [text.stderr, messages]) {
      expect(output).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      expect(output).toContain('x\\x1b]0;PWNED\\x07\\x9b31m');
    }
    expect(text.code).toBe(1);
  });

  it('a system file as data is "not a CSV file", and its content is never shown', () => {
    fs.writeFileSync(path.join(tmp, 'environ.mlspec'), SPEC('/proc/self/environ'));
    for (const args of [['check', 'environ.mlspec'], ['check', 'environ.mlspec', '--format', 'json'], ['run', 'environ.mlspec', '--backend', 'cpu', '--out', 'environ-run']]) {
      const r = spawned(args);
      expect(r.code).toBe(1);
      expect(r.stderr + r.stdout).not.toContain(MARKER);
      expect(r.stderr + r.stdout).toContain('not a CSV file');
    }
  });

  it('a file whose header holds NUL bytes is not a CSV file', async () => {
    fs.writeFileSync(path.join(tmp, 'binary.csv'), Buffer.from(`a,b\0${MARKER},label\n1,2,x\n`));
    fs.writeFileSync(path.join(tmp, 'binary.mlspec'), SPEC('binary.csv'));
    const r = await mlspec('check', path.join(tmp, 'binary.mlspec'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not a CSV file');
    expect(r.stderr).not.toContain(MARKER);
  });

  it('a 1 MB class name is cut with an ellipsis', async () => {
    const huge = 'K'.repeat(1_000_000);
    fs.writeFileSync(path.join(tmp, 'huge.csv'), `a,b,label\n1,2,${huge}\n3,4,y\n`);
    fs.writeFileSync(path.join(tmp, 'huge.mlspec'), SPEC('huge.csv', 5));
    const r = await mlspec('check', path.join(tmp, 'huge.mlspec'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('E0601');
    expect(r.stderr).toContain('K…K');
    expect(r.stderr.length).toBeLessThan(3000);
  });
});

describe('data that would give silently wrong results', () => {
  it('1e39 (finite, but not in float32) in predict and evaluate data is E0516, as in training', async () => {
    fs.writeFileSync(path.join(tmp, 'overflow.csv'), 'a,b,label\n0.5,1e39,even\n0.2,0.1,odd\n');
    for (const command of ['predict', 'evaluate']) {
      const r = await mlspec(command, run, '--data', 'overflow.csv', '--backend', 'cpu');
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^\S*overflow\.csv:2:2: error\[E0516\]: `\S*overflow\.csv` line 2, column 2 \(`b`\): `1e39` is not a finite number; write the actual value, or leave the cell empty and set `missing:` in the data section\.\n$/);
    }
    fs.writeFileSync(path.join(tmp, 'overflow.mlspec'), SPEC('overflow.csv'));
    const train = await mlspec('run', path.join(tmp, 'overflow.mlspec'), '--backend', 'cpu', '--out', path.join(tmp, 'overflow-run'), '--quiet');
    expect(train.code).toBe(1);
    expect(train.stderr).toContain('error[E0516]');
  });

  it('Latin-1 class names are refused naming the line, instead of merging into one class', async () => {
    fs.writeFileSync(path.join(tmp, 'latin1.csv'), Buffer.from('a,b,label\n0.1,0.2,caf\xe9\n0.3,0.4,caf\xe8\n0.5,0.6,tea\n', 'latin1'));
    fs.writeFileSync(path.join(tmp, 'latin1.mlspec'), SPEC('latin1.csv', 3));
    const check = await mlspec('check', path.join(tmp, 'latin1.mlspec'));
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('(it is not valid UTF-8 (line 2); save it as UTF-8)');
    const data = await import('../../src/runtime/data/csv-read.js');
    expect(() => data.readCsvTable('latin1.csv', tmp)).toThrow(/^`\S*latin1\.csv` line 2 is not valid UTF-8 \(byte 0xE9 at byte 12 of the line\); save the file as UTF-8/);
    const predict = await mlspec('predict', run, '--data', 'latin1.csv', '--backend', 'cpu');
    expect(predict.code).toBe(1);
    expect(predict.stderr).toContain('error[E0530]');
  });
});

describe('CSV limits answer before they fail', () => {
  it('a header of 200,001 columns and a cell of 70,000 characters are refused by name', async () => {
    const width = 200_000;
    fs.writeFileSync(path.join(tmp, 'wide.csv'), `${Array.from({ length: width }, (_, i) => `c${i}`).join(',')},label\n${'1,'.repeat(width)}x\n`);
    fs.writeFileSync(path.join(tmp, 'wide.mlspec'), SPEC('wide.csv'));
    const check = await mlspec('check', path.join(tmp, 'wide.mlspec'));
    expect(check.code).toBe(1);
    expect(check.stderr).toContain("(its header has 200,001 columns, more than the 100,000 mlspec reads)");
    const predict = await mlspec('predict', run, '--data', 'wide.csv', '--backend', 'cpu');
    expect(predict.code).toBe(1);
    expect(predict.stderr).toMatch(/error\[E0531\]: `\S*wide\.csv` line 1 has 200,001 columns, more than the 100,000 mlspec reads/);
    fs.writeFileSync(path.join(tmp, 'long-cell.csv'), `a,b,label\n1,2,${'K'.repeat(70_000)}\n3,4,y\n`);
    const evaluate = await mlspec('evaluate', run, '--data', 'long-cell.csv', '--backend', 'cpu');
    expect(evaluate.code).toBe(1);
    expect(evaluate.stderr).toMatch(/error\[E0531\]: `\S*long-cell\.csv` line 2, column 3 holds a cell of 70,000 characters, more than the 65,536/);
    expect(evaluate.stderr.length).toBeLessThan(1000);
  });

  it('a CSV file over 512 MiB is refused by predict and with `stream: false` before it is read, and checked on its first rows otherwise (a sparse file: no disk used)', async () => {
    const huge = path.join(tmp, 'huge.csv');
    fs.writeFileSync(huge, 'a,b,label\n');
    fs.truncateSync(huge, 600 * 1024 * 1024);
    const predict = await mlspec('predict', run, '--data', 'huge.csv', '--backend', 'cpu');
    expect(predict.code).toBe(1);
    expect(predict.stderr).toMatch(/error\[E0501\]: Cannot read the data file `\S*huge\.csv` \(it is larger than 512 MiB, the most mlspec reads at once from one CSV file; only training streams larger files\)/);
    fs.writeFileSync(path.join(tmp, 'huge.mlspec'), SPEC('huge.csv').replace('categorical: true)', 'categorical: true, stream: false)'));
    expect((await mlspec('check', path.join(tmp, 'huge.mlspec'))).stderr).toContain('(it is larger than 512 MiB, the most mlspec reads at once from one CSV file; remove `stream: false` to stream it)');
    // Streamed by default: check reads the first rows (here the header, then NUL bytes without a line end).
    fs.writeFileSync(path.join(tmp, 'huge.mlspec'), SPEC('huge.csv'));
    const sampled = await mlspec('check', path.join(tmp, 'huge.mlspec'));
    expect(sampled.stderr).not.toContain('512 MiB');
    expect(sampled.stderr).toContain('E0514');
    fs.rmSync(huge);
  });
});

describe('divergence the loss does not show', () => {
  it('weights that explode while the clipped cross-entropy stays finite stop the run (exit 3)', async () => {
    fs.writeFileSync(path.join(tmp, 'explode.mlspec'), SPEC('data.csv').replace('adam(lr: 0.05)', 'sgd(lr: 1e30)'));
    const r = await mlspec('run', path.join(tmp, 'explode.mlspec'), '--backend', 'cpu', '--out', path.join(tmp, 'explode-run'), '--quiet');
    expect(r.code).toBe(3);
    // (check's W0401 warns about the learning rate first; the run still starts.)
    expect(r.stderr).toMatch(/^mlspec: error: The weight dense_\d+\/kernel\S* became [\d.]+e\+\d+ in magnitude \(more than 1e\+18\) in epoch 1 although the loss stayed finite \(last loss [\d.]+\); lower the learning rate/m);
  });
});

describe('one writer per run folder', () => {
  const started = (args: string[]) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: tmp, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exit = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
    return { child, exit };
  };

  it('a second run, resume or --force on a folder a live run writes into is refused, naming the process', async () => {
    fs.writeFileSync(path.join(tmp, 'long.mlspec'), SPEC('data.csv', 2, 100000));
    const out = path.join(tmp, 'locked');
    const first = started(['run', 'long.mlspec', '--backend', 'cpu', '--out', out, '-q']);
    const lock = path.join(out, '.mlspec.lock');
    for (let i = 0; i < 200 && !fs.existsSync(lock); i++) await new Promise((r) => setTimeout(r, 50));
    expect(fs.existsSync(lock)).toBe(true);
    for (const extra of [[], ['--force'], ['--resume', out]]) {
      const second = spawned(['run', 'long.mlspec', '--backend', 'cpu', '--out', out, '-q', ...extra]);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(new RegExp(`The run folder \\S+locked is in use by another mlspec run, process ${first.child.pid}, started \\S+ \\(.*run long\\.mlspec.*\\); wait for it to end or stop it, or, if that process is gone, delete \\S+\\.mlspec\\.lock\\.`));
    }
    // Ctrl-C: the first run checkpoints, stops (exit 130) and releases its lock.
    first.child.kill('SIGINT');
    const done = await first.exit;
    expect(done.code).toBe(130);
    expect(fs.existsSync(lock)).toBe(false);
    // Only the first run's epochs are in its log, in order.
    const epochs = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').split('\n').filter((l) => l.startsWith('{"type":"epoch"'));
    expect(epochs.map((l) => JSON.parse(l).epoch)).toEqual(Array.from({ length: epochs.length }, (_, i) => i + 1));
  });

  it('two runs started at the same moment on one folder: exactly one trains', async () => {
    for (let trial = 0; trial < 3; trial++) {
      const out = path.join(tmp, `race-${trial}`);
      const results = await Promise.all([0, 1].map(() => started(['run', 'tiny.mlspec', '--backend', 'cpu', '--out', out, '-q']).exit));
      // The loser is refused by the lock (exit 1) or, if the winner already ended, as a usage problem (exit 2).
      const codes = results.map((r) => r.code).sort();
      expect(codes[0]).toBe(0);
      expect([1, 2]).toContain(codes[1]);
      const refused = results.find((r) => r.code !== 0)!;
      expect(refused.stderr).toMatch(/is in use by another mlspec run, process \d+|already holds files of an earlier run/);
      const steps = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').split('\n').filter((l) => l.startsWith('{"type":"step"'));
      expect(steps).toHaveLength(3 * 6);
    }
  });

  it("a dead process's lock is taken over", async () => {
    const out = path.join(tmp, 'stale-lock');
    fs.mkdirSync(out);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    fs.writeFileSync(path.join(out, '.mlspec.lock'), JSON.stringify({ pid: Number(dead), host: os.hostname(), started: 'earlier', argv: [] }));
    expect(await mlspec('run', path.join(tmp, 'tiny.mlspec'), '--backend', 'cpu', '--out', out, '--quiet', '--force')).toMatchObject({ code: 0, stderr: '' });
    expect(fs.existsSync(path.join(out, '.mlspec.lock'))).toBe(false);
  });
});
