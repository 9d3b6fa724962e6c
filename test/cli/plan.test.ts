/** `mlspec plan` in-process through main() with a capturing CliIO. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/cli-io.js';
import { main } from '../../src/cli/main.js';
import { analyze } from '../../src/frontend.js';
import { modelSummary } from '../../src/ir/summary.js';
import { byClass, byTag, parseHtml } from '../runtime/report/html-dom.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-plan-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function mlspec(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, interactive: false, cwd: ROOT };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('mlspec plan', () => {
  it('iris: model summary, stratified split sizes and step arithmetic', async () => {
    const r = await mlspec('plan', 'examples/iris.mlspec');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const source = fs.readFileSync(path.join(ROOT, 'examples/iris.mlspec'), 'utf8');
    expect(r.stdout).toContain(modelSummary(analyze(source, 'examples/iris.mlspec').ir!));
    // 50 rows per class; floor(50 * 0.15) = 7 per class to validation and to test.
    expect(r.stdout).toMatch(/split +108 train, 21 validation, 21 test \(stratified by class, shuffled, seed 7\)/);
    expect(r.stdout).toMatch(/batch size +16\n/);
    expect(r.stdout).toMatch(/steps\/epoch +7 \(ceil\(108 \/ 16\)\)/); // ceil(108 / 16) = 7
    expect(r.stdout).toMatch(/total steps +1,050\n/); // 150 epochs * 7
    // No checkpoint settings in the spec: the defaults.
    expect(r.stdout).toMatch(/checkpoints +every epoch and every 60 s within an epoch; also at the end and on Ctrl-C\n/);
  });

  it('iris: the exponential decay over epochs, from 0.1 to 0.1 * 0.5^(149 / 50) at the last step', async () => {
    const r = await mlspec('plan', 'examples/iris.mlspec');
    const last = 0.1 * 0.5 ** (149 / 50);
    expect(r.stdout).toContain(`from 0.1 (step 1) to ${Number(last.toPrecision(4))} (step 1,050)`);
    const chart = r.stdout.split('\n').filter((line) => /[┤│└]/.test(line) && !line.includes('|'));
    expect(chart[0]).toMatch(/^ *0\.1 ┤•/);
    expect(chart.find((line) => line.includes('└'))).toContain('─'.repeat(60));
    expect(r.stdout).toMatch(/step 1 +step 1,050/);
  });

  it('lists the files a run writes', async () => {
    const r = await mlspec('plan', 'examples/iris.mlspec');
    expect(r.stdout).toContain(`A run writes into ${path.join('runs', 'iris', '<timestamp>')}`);
    for (const file of ['metrics.jsonl', 'summary.json', 'model/model.json', 'preprocessing.json', 'checkpoint.bin', 'report.html', 'spec.mlspec']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${file.replace('.', '\\.')} `, 'm'));
    }
  });

  it('sine_lstm: the warm-up starts at lr / 30 and the cosine ends near 0', async () => {
    const r = await mlspec('plan', 'examples/sine_lstm.mlspec');
    expect(r.code).toBe(0);
    // warmup(steps: 30): step 1 is 0.01 * 1 / 30; then cosine over 150 steps: step 180 is t = 149.
    const end = (0.01 * (1 + Math.cos((Math.PI * 149) / 150))) / 2;
    expect(r.stdout).toContain(`from ${Number((0.01 / 30).toPrecision(4))} (step 1) to ${Number(end.toPrecision(4))} (step 180)`);
    expect(r.stdout).toMatch(/^ *0\.01 ┤/m);
  });

  it('digits_cnn: says reduce-on-plateau depends on validation metrics and shows the base rate', async () => {
    const r = await mlspec('plan', 'examples/digits_cnn.mlspec');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('drops by a factor 0.5 whenever val_loss has not improved for 3 epochs');
    expect(r.stdout).toContain('depends on the validation metrics');
    expect(r.stdout).toContain('base rate 0.003');
  });

  it('breast_cancer: an early stop may end the run sooner', async () => {
    const r = await mlspec('plan', 'examples/breast_cancer.mlspec');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/epochs +\d+ \(may end before epoch \d+: early\(/);
    expect(r.stdout).toMatch(/total steps +[\d,]+ at most/);
  });

  it('--epochs and --seed override the spec', async () => {
    const r = await mlspec('plan', 'examples/iris.mlspec', '--epochs', '5', '--seed', '3');
    expect(r.stdout).toMatch(/total steps +35\n/); // 5 * 7
    // iris sets no data seed, so the split uses the run's seed.
    expect(r.stdout).toMatch(/seed 3\)/);
  });

  it('--svg writes the chart as a standalone SVG file: falling from the top left to the bottom right', async () => {
    const file = path.join(tmp, 'lr.svg');
    const r = await mlspec('plan', 'examples/iris.mlspec', '--svg', file);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`wrote the learning-rate chart to ${file}`);
    const svg = fs.readFileSync(file, 'utf8');
    expect(svg).toMatch(/^<\?xml[^>]*>\n<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const dom = parseHtml(svg);
    expect(byTag(dom, 'svg')).toHaveLength(1);
    const d = byClass(dom, 'series')[0]!.attrs.d!;
    const points = d.split(' ').map((part) => part.slice(1).split(',').map(Number) as [number, number]);
    expect(points).toHaveLength(1050);
    const ys = points.map(([, y]) => y);
    expect(ys[0]).toBe(Math.min(...ys)); // the highest rate is nearest the top
    expect(ys.at(-1)).toBe(Math.max(...ys));
    expect(byClass(dom, 'tick-label').length).toBeGreaterThan(4);
  });

  it('problems: a spec with errors exits 1, a missing file or a bad number 2; --help has examples', async () => {
    const bad = path.join(tmp, 'bad.mlspec');
    fs.writeFileSync(bad, 'model {\n  input(shape: [4])\n  dense(3)\n}\nloss: mse\n');
    const broken = await mlspec('plan', bad);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/bad\.mlspec:\d+:\d+: error\[E\d+\]/);
    expect(broken.stdout).toBe('');
    expect((await mlspec('plan', path.join(tmp, 'nope.mlspec'))).code).toBe(2);
    // A cell that is not a number: the data error with its file, line and column.
    fs.writeFileSync(path.join(tmp, 'cells.csv'), 'a,b,y\n1,2,3\n4,abc,6\n7,8,9\n1,1,1\n');
    fs.writeFileSync(path.join(tmp, 'cells.mlspec'), 'model {\n  input(shape: [2])\n  dense(1)\n}\ndata {\n  source: csv("cells.csv", label: y)\n}\nloss: mse\noptimizer: sgd(lr: 0.1)\n');
    const cells = await mlspec('plan', path.join(tmp, 'cells.mlspec'));
    expect(cells).toMatchObject({ code: 1, stdout: '' });
    expect(cells.stderr).toMatch(/^\S*cells\.csv:3:2: error\[E0511\]: /);
    const epochs = await mlspec('plan', 'examples/iris.mlspec', '--epochs', 'ten');
    expect(epochs).toMatchObject({ code: 2, stdout: '' });
    expect(epochs.stderr).toContain("--epochs takes a whole number, not 'ten'");
    const help = await mlspec('plan', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:\n  \$ mlspec plan examples\/iris\.mlspec/);
  });
});
