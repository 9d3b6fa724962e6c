/// <reference lib="dom" />
/**
 * report.html as a user sees it: reports of real runs (a classifier, a binary classifier whose
 * stop rule restores an epoch, a regression and an interrupted run) rendered by headless Chromium
 * (playwright-core driving Debian's /usr/bin/chromium) at 1280 and 800 px. From the rendered page:
 * the plots have a non-zero size, the best-epoch marker sits where the x axis maps that epoch, no
 * element overflows the viewport, the page requests nothing but itself, and the results table
 * holds summary.json's numbers. A full-page screenshot per report is kept in a temp folder
 * (printed; not committed). Without Chromium the file is skipped (report-render.test.ts still
 * checks the DOM).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/frontend.js';
import { evaluatePlan } from '../../../src/interpret/evaluate.js';
import { lowerSpec } from '../../../src/lower/lower.js';
import { formatMetricValue } from '../../../src/runtime/console.js';
import { RunInterrupted } from '../../../src/runtime/errors.js';
import { runTraining, type RunOptions } from '../../../src/runtime/program.js';
import type { CliIO } from '../../../src/cli/cli-io.js';
import { main } from '../../../src/cli/main.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
/** Debian's chromium, which scripts/install-system-deps.sh (run by npm test and .ci/run) installs. */
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((file) => fs.existsSync(file));
if (CHROMIUM === undefined) throw new Error('The report browser tests need Chromium (/usr/bin/chromium): run bash scripts/install-system-deps.sh as root.');

let tmp = '';
let shots = '';
let browser: Browser | null = null;

async function train(source: string, specFile: string, out: string, extra: Partial<RunOptions> = {}): Promise<string> {
  const { ir, diagnostics } = analyze(source, specFile);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  await runTraining(evaluatePlan(lowerSpec(ir!, source), specFile), {
    out,
    backend: 'cpu',
    quiet: true,
    json: false,
    force: false,
    cwd: tmp,
    handleSignals: false,
    ...extra,
  });
  return out;
}

/** An example spec with its data path made absolute and some train settings replaced. */
function example(name: string, replace: [RegExp, string][]): { source: string; file: string } {
  let source = fs.readFileSync(path.join(ROOT, 'examples', `${name}.mlspec`), 'utf8');
  source = source.replace(/csv\("data\//, `csv("${path.join(ROOT, 'examples/data')}/`);
  for (const [from, to] of replace) source = source.replace(from, to);
  const file = path.join(tmp, `${name}.mlspec`);
  fs.writeFileSync(file, source);
  return { source, file };
}

interface Rendered {
  requests: string[];
  scrollWidth: number;
  innerWidth: number;
  /** Elements whose right edge passes the viewport's. */
  overflowing: string[];
  /** Width and height of each displayed plot. */
  plots: { cls: string; width: number; height: number }[];
  /** Each displayed best-epoch marker: its x on screen and the x the axis ticks map its epoch (or step) to. */
  markers: { cls: string; x: number; expected: number }[];
  results: string[][];
  header: string;
  bestEpoch: string | null;
  status: string | null;
}

/** Opens report.html at a viewport width and reads the facts the tests check. */
async function render(runDir: string, width: number, shot: string | null): Promise<Rendered> {
  const page: Page = await browser!.newPage({ viewport: { width, height: 900 } });
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  try {
    const url = pathToFileURL(path.join(runDir, 'report.html')).href;
    await page.goto(url, { waitUntil: 'load' });
    if (shot !== null) await page.screenshot({ path: shot, fullPage: true });
    const facts = await page.evaluate(() => {
      const visible = (e: Element) => e.getClientRects().length > 0;
      const cls = (e: Element) => e.getAttribute('class') ?? '';
      const overflowing: string[] = [];
      for (const e of Array.from(document.querySelectorAll('body *'))) {
        const r = e.getBoundingClientRect();
        if (r.width > 0 && r.right > window.innerWidth + 0.5) overflowing.push(`${e.tagName.toLowerCase()}.${cls(e)} right ${r.right}`);
      }
      const svgs = Array.from(document.querySelectorAll('svg.plot')).filter(visible);
      const plots = svgs.map((svg) => {
        const r = svg.getBoundingClientRect();
        return { cls: cls(svg), width: r.width, height: r.height };
      });
      const markers = svgs.flatMap((svg) =>
        Array.from(svg.querySelectorAll('.best-marker')).map((marker) => {
          // The x axis as drawn: each tick's screen x and its label's value; a line through the first and last.
          const ticks = Array.from(svg.querySelectorAll('.x-axis line.tick')).map((t) => {
            const r = t.getBoundingClientRect();
            return r.left + r.width / 2;
          });
          const values = Array.from(svg.querySelectorAll('.x-axis .tick-label')).map((t) => Number(t.textContent));
          const [x0, x1, v0, v1] = [ticks[0]!, ticks[ticks.length - 1]!, values[0]!, values[values.length - 1]!];
          const value = Number(marker.getAttribute('data-x'));
          const r = marker.querySelector('line.best-line')!.getBoundingClientRect();
          return { cls: cls(svg), x: r.left + r.width / 2, expected: x0 + ((value - v0) * (x1 - x0)) / (v1 - v0) };
        }),
      );
      const results = Array.from(document.querySelectorAll('table.results tr')).map((tr) =>
        Array.from(tr.querySelectorAll('th, td')).map((c) => (c.textContent ?? '').trim()),
      );
      return {
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        overflowing,
        plots,
        markers,
        results,
        header: document.querySelector('h1')!.textContent ?? '',
        bestEpoch: document.querySelector('#best-epoch')?.textContent ?? null,
        status: document.querySelector('#run-status')?.textContent ?? null,
      };
    });
    return { requests, ...facts };
  } finally {
    await page.close();
  }
}

/** The checks every report passes, at both widths; returns the 1280 px rendering. */
async function expectSound(name: string, runDir: string, minimumPlots: number): Promise<Rendered> {
  let wide: Rendered | null = null;
  for (const width of [1280, 800]) {
    const r = await render(runDir, width, path.join(shots, `${name}-${width}.png`));
    expect(r.requests, 'only the page itself is loaded').toEqual([pathToFileURL(path.join(runDir, 'report.html')).href]);
    expect(r.scrollWidth, `${name} at ${width} px: page wider than the viewport`).toBeLessThanOrEqual(r.innerWidth);
    expect(r.overflowing, `${name} at ${width} px`).toEqual([]);
    expect(r.plots.length).toBeGreaterThanOrEqual(minimumPlots);
    for (const plot of r.plots) {
      expect(plot.width, plot.cls).toBeGreaterThan(0);
      expect(plot.height, plot.cls).toBeGreaterThan(0);
    }
    // Line plots span the content width (the body's 24 px paddings aside, up to its 1340 px cap).
    const wideBox = r.plots.find((p) => p.cls.includes('loss-epochs'))!;
    expect(wideBox.width).toBeGreaterThan(width - 60);
    for (const marker of r.markers) expect(Math.abs(marker.x - marker.expected), marker.cls).toBeLessThan(1.5);
    if (width === 1280) wide = r;
  }
  return wide!;
}

/** The results table against summary.json (or, for a run that did not finish, its last epoch in metrics.jsonl). */
function expectResults(results: string[][], expected: Record<string, Record<string, number> | null>): void {
  const [header, ...rows] = results;
  expect(header![0]).toBe('split');
  const splits = Object.entries(expected).filter((entry): entry is [string, Record<string, number>] => entry[1] !== null);
  expect(rows.map((row) => row[0])).toEqual(splits.map(([name]) => name));
  let compared = 0;
  for (const [i, [, metrics]] of splits.entries()) {
    for (const [key, value] of Object.entries(metrics)) {
      const column = header!.indexOf(key);
      expect(column, key).toBeGreaterThan(0);
      expect(rows[i]![column], key).toBe(formatMetricValue(value));
      compared += 1;
    }
  }
  expect(compared).toBeGreaterThan(0);
}

const readSummary = (dir: string) =>
  JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')) as {
    restored_best_epoch: number | null;
    epochs_run: number;
    train: Record<string, number>;
    validation: Record<string, number> | null;
    test: Record<string, number> | null;
  };

describe('report.html rendered by headless Chromium', () => {
  const runs = { iris: '', binary: '', regression: '', interrupted: '' };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-browser-'));
    shots = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-report-screenshots-'));
    const launching = chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox', '--disable-gpu'] });

    const iris = example('iris', []);
    runs.iris = await train(iris.source, iris.file, path.join(tmp, 'iris'), { epochs: 4 });

    // breast_cancer with a stop rule that gives up soon: a faster learning rate and patience 3.
    const binary = example('breast_cancer', [
      [/lr: 0\.003/, 'lr: 0.03'],
      [/patience: 15/, 'patience: 3'],
    ]);
    runs.binary = await train(binary.source, binary.file, path.join(tmp, 'breast_cancer'), { epochs: 40 });

    // y = 2 x1 - x2 + 0.5 + noise, 200 rows.
    const rows = ['x1,x2,y'];
    for (let i = 0; i < 200; i++) {
      const [x1, x2] = [((i * 37) % 101) / 50 - 1, ((i * 61) % 97) / 48 - 1];
      rows.push(`${x1},${x2},${2 * x1 - x2 + 0.5 + (((i * 13) % 11) - 5) / 50}`);
    }
    fs.writeFileSync(path.join(tmp, 'reg.csv'), `${rows.join('\n')}\n`);
    const regression = [
      'model {',
      '  input(shape: [2])',
      '  dense(8, activation: relu)',
      '  dense(1)',
      '}',
      'data {',
      '  source: csv("reg.csv", label: y)',
      '  split { train: 0.7, validation: 0.15, test: 0.15 }',
      '}',
      'loss: mse',
      'optimizer: adam(lr: 0.05)',
      'train {',
      '  epochs: 8',
      '  batch: 16',
      '  seed: 3',
      '  metrics: [mae]',
      '}',
      '',
    ].join('\n');
    fs.writeFileSync(path.join(tmp, 'reg.mlspec'), regression);
    runs.regression = await train(regression, path.join(tmp, 'reg.mlspec'), path.join(tmp, 'regression'));

    // iris, interrupted by Ctrl-C in its third epoch (SIGINT emitted to the run's own handler).
    const others = process.listeners('SIGINT');
    process.removeAllListeners('SIGINT');
    try {
      let sent = false;
      const error = await train(iris.source, iris.file, path.join(tmp, 'interrupted'), {
        epochs: 10,
        handleSignals: true,
        observer: {
          step: (info) => {
            if (info.epoch === 2 && !sent) {
              sent = true;
              process.emit('SIGINT');
            }
          },
        },
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RunInterrupted);
      expect((error as Error).message).toMatch(/The report so far is \S+report\.html\.$/);
    } finally {
      process.removeAllListeners('SIGINT');
      for (const listener of others) process.on('SIGINT', listener as NodeJS.SignalsListener);
    }
    runs.interrupted = path.join(tmp, 'interrupted');
    browser = await launching;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    if (shots) console.log(`report screenshots: ${shots}`);
  });

  it('iris: plots at full width, no overflow, nothing loaded, results equal summary.json', async () => {
    const r = await expectSound('iris', runs.iris, 4);
    const summary = readSummary(runs.iris);
    expectResults(r.results, { train: summary.train, validation: summary.validation, test: summary.test });
    expect(r.markers).toEqual([]);
    expect(r.status).toBeNull();
  });

  it('breast_cancer with early stopping: the restored epoch is named and marked on every curve', async () => {
    const r = await expectSound('breast_cancer', runs.binary, 8);
    const summary = readSummary(runs.binary);
    expect(summary.restored_best_epoch).not.toBeNull();
    expect(r.bestEpoch).toBe(`best epoch ${summary.restored_best_epoch} of ${summary.epochs_run} (its weights restored)`);
    expectResults(r.results, { train: summary.train, validation: summary.validation, test: summary.test });
    // loss per epoch and per step, accuracy, precision, recall, learning rate: each marked.
    const marked = r.markers.map((m) => m.cls.replace('plot ', ''));
    expect(marked.sort()).toEqual(['learning-rate', 'loss-epochs', 'loss-steps', 'metric', 'metric', 'metric'].sort());
    for (const plot of ['roc', 'precision-recall']) expect(r.plots.some((p) => p.cls.includes(plot)), plot).toBe(true);
  });

  it('the smoothing switch shows the smoothed per-step loss and hides it again, with CSS alone', async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(pathToFileURL(path.join(runs.binary, 'report.html')).href);
      const shown = () =>
        page.evaluate(() =>
          Array.from(document.querySelectorAll('svg.loss-steps path.series'))
            .filter((e) => e.getClientRects().length > 0)
            .map((e) => e.getAttribute('data-series')),
        );
      expect(await shown()).toEqual(['batch loss', 'smoothed (EMA 0.9)']);
      await page.click('label[for="loss-smooth"]');
      expect(await shown()).toEqual(['batch loss']);
    } finally {
      await page.close();
    }
  });

  it('regression: predicted-vs-actual and residual plots', async () => {
    const r = await expectSound('regression', runs.regression, 6);
    const summary = readSummary(runs.regression);
    expectResults(r.results, { train: summary.train, validation: summary.validation, test: summary.test });
    for (const plot of ['predicted-actual', 'residuals']) expect(r.plots.some((p) => p.cls.includes(plot)), plot).toBe(true);
  });

  it('interrupted: the report is written and marked, with the last finished epoch as results', async () => {
    expect(fs.existsSync(path.join(runs.interrupted, 'summary.json'))).toBe(false);
    const r = await expectSound('interrupted', runs.interrupted, 4);
    expect(r.status).toBe('interrupted');
    const epochs = fs
      .readFileSync(path.join(runs.interrupted, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, number | string>)
      .filter((line) => line.type === 'epoch');
    expect(epochs).toHaveLength(2);
    const last = epochs[1]!;
    const pick = (prefix: string) =>
      Object.fromEntries(
        Object.entries(last)
          .filter(([key]) => !['type', 'epoch', 'time_s', 'lr', 'val_lr'].includes(key) && key.startsWith('val_') === (prefix === 'val_'))
          .map(([key, value]) => [key.slice(prefix.length), value as number]),
      );
    expectResults(r.results, { train: pick(''), validation: pick('val_') });
  });

  it('compare.html of two runs: leaderboard equals each summary.json, plots drawn, no overflow, nothing loaded', async () => {
    const slower = example('iris', [[/lr: 0\.1,/, 'lr: 0.02,']]);
    expect(slower.source).toContain('lr: 0.02,');
    const second = await train(slower.source, slower.file, path.join(tmp, 'iris-slow'), { epochs: 4 });
    const out = path.join(tmp, 'compare.html');
    let stderr = '';
    const io: CliIO = { stdout: () => {}, stderr: (t) => void (stderr += t), color: false, interactive: false, cwd: tmp };
    expect(await main(['compare', runs.iris, second, '-o', out], io), stderr).toBe(0);
    for (const width of [1280, 800]) {
      const page = await browser!.newPage({ viewport: { width, height: 900 } });
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      try {
        await page.goto(pathToFileURL(out).href, { waitUntil: 'load' });
        await page.screenshot({ path: path.join(shots, `compare-${width}.png`), fullPage: true });
        const facts = await page.evaluate(() => {
          const visible = (e: Element) => e.getClientRects().length > 0;
          const overflowing = Array.from(document.querySelectorAll('body *'))
            .filter((e) => !e.closest('.scroll'))
            .map((e) => e.getBoundingClientRect())
            .filter((r) => r.width > 0 && r.right > window.innerWidth + 0.5).length;
          const board = Array.from(document.querySelectorAll('table.board')).find(visible)!;
          const rows = Array.from(board.querySelectorAll('tr.run-row')).map((tr) => ({
            dir: tr.lastElementChild!.textContent ?? '',
            cells: Array.from(tr.querySelectorAll('td[data-metric]')).map((td) => [td.getAttribute('data-metric'), td.getAttribute('data-value')]),
          }));
          const plots = Array.from(document.querySelectorAll('svg.plot')).filter(visible).map((svg) => svg.getBoundingClientRect());
          return { overflowing, scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, rows, plots: plots.map((r) => [r.width, r.height]) };
        });
        expect(requests).toEqual([pathToFileURL(out).href]);
        expect(facts.scrollWidth).toBeLessThanOrEqual(facts.innerWidth);
        expect(facts.overflowing).toBe(0);
        expect(facts.plots.length).toBeGreaterThan(0);
        for (const [w, h] of facts.plots) expect(w! * h!).toBeGreaterThan(0);
        expect(facts.rows).toHaveLength(2);
        let compared = 0;
        for (const row of facts.rows) {
          const summary = readSummary(row.dir.trim()) as unknown as Record<string, Record<string, number> | null>;
          for (const [metric, value] of row.cells) {
            if (value === null) continue;
            const [split, key] = metric!.startsWith('val_') ? ['validation', metric!.slice(4)] : metric!.startsWith('test_') ? ['test', metric!.slice(5)] : ['train', metric!];
            expect(Number(value), `${row.dir} ${metric}`).toBe(summary[split!]![key!]);
            compared += 1;
          }
        }
        expect(compared).toBeGreaterThanOrEqual(4);
      } finally {
        await page.close();
      }
    }
  });
});
