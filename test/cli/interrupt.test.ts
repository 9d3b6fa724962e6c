/**
 * Ctrl-C during a run with a progress bar on the terminal: the run checkpoints and exits 130, and
 * its message is a note on a line of its own (after the bar), not an "error". In-process through
 * main() with an interactive io; SIGINT is emitted to the run's own handler when the first
 * progress bar is drawn (the test runner's SIGINT listeners are set aside meanwhile).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/cli-io.js';
import { main } from '../../src/cli/main.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-interrupt-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const SPEC = `model {
  input(shape: [4])
  dense(4, activation: relu)
  dense(1)
}
data {
  source: random(samples: 256, features: 4)
}
loss: mse
optimizer: adam(lr: 0.01)
train {
  epochs: 50
  batch: 4
}
`;

describe('Ctrl-C with a progress bar', () => {
  it('ends the bar\'s line, then says "Interrupted ..." without "error", exit 130', async () => {
    const spec = path.join(tmp, 'long.mlspec');
    fs.writeFileSync(spec, SPEC);
    const out = path.join(tmp, 'run');
    let stderr = '';
    let stdout = '';
    let sent = false;
    const others = process.listeners('SIGINT');
    process.removeAllListeners('SIGINT');
    const io: CliIO = {
      stdout: (t) => void (stdout += t),
      stderr: (t) => {
        stderr += t;
        if (!sent && t.includes('ETA')) {
          sent = true;
          process.emit('SIGINT');
        }
      },
      color: false,
      interactive: true,
      cwd: tmp,
    };
    let code: number;
    try {
      code = await main(['run', spec, '--backend', 'cpu', '--out', out], io);
    } finally {
      for (const listener of others) process.on('SIGINT', listener as NodeJS.SignalsListener);
    }
    expect(sent).toBe(true);
    expect(code).toBe(130);
    expect(stdout).toBe('');
    expect(fs.existsSync(path.join(out, 'checkpoint.bin'))).toBe(true);
    // The bar (drawn with \r and cleared with ESC[2K) is left on its line; the note starts a new one.
    const match = /\[[=> ]+\] \d+\/\d+ +ETA \S+ +loss \S+\nmlspec: Interrupted at epoch 1, step \d+; a checkpoint was saved\. Continue with --resume (\S+)\. The report so far is \S+report\.html\.\n$/.exec(stderr);
    expect(match, JSON.stringify(stderr.slice(-300))).not.toBeNull();
    expect(match![1]).toBe(out);
    expect(stderr).not.toMatch(/error/i);
  });
});
