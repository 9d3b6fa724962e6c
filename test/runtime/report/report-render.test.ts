/**
 * report.html of real runs, read the way a browser reads it. When headless Chromium is installed
 * (/usr/bin/chromium: `apt-get install -y chromium` on Debian), the DOM it builds from the file
 * (--dump-dom) is checked; without it, the same DOM facts are checked on the file parsed by
 * html-dom.ts. Nothing is skipped either way.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/frontend.js';
import { evaluatePlan } from '../../../src/interpret/evaluate.js';
import { lowerSpec } from '../../../src/lower/lower.js';
import { runTraining } from '../../../src/runtime/program.js';
import { RunError } from '../../../src/runtime/errors.js';
import { byClass, byId, byTag, elements, parseHtml, textOf, type DomElement } from './html-dom.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((file) => fs.existsSync(file)) ?? null;

let tmp = '';

async function train(specFile: string, out: string, epochs: number): Promise<string> {
  const source = fs.readFileSync(specFile, 'utf8');
  const { ir, diagnostics } = analyze(source, specFile);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  await runTraining(evaluatePlan(lowerSpec(ir!, source), specFile), {
    out,
    backend: 'cpu',
    epochs,
    quiet: true,
    json: false,
    force: false,
    cwd: tmp,
    handleSignals: false,
  });
  return out;
}

const doms = new Map<string, DomElement>();

/** The report's DOM: as Chromium builds it (once per run: Chromium takes seconds to start), or parsed here. */
function reportDom(runDir: string): DomElement {
  let dom = doms.get(runDir);
  if (dom === undefined) {
    dom = loadReportDom(path.join(runDir, 'report.html'));
    doms.set(runDir, dom);
  }
  return dom;
}

function loadReportDom(file: string): DomElement {
  if (CHROMIUM === null) return parseHtml(fs.readFileSync(file, 'utf8'));
  const profile = fs.mkdtempSync(path.join(tmp, 'chromium-'));
  const result = spawnSync(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      '--dump-dom',
      pathToFileURL(file).href,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  expect(result.status, result.stderr).toBe(0);
  expect(result.stdout).toContain('</html>');
  return parseHtml(result.stdout);
}

const cellsOf = (table: DomElement) => byTag(table, 'tr').map((tr) => elements(tr).filter((e) => e.tag === 'td' || e.tag === 'th').map((c) => textOf(c)));

/** Every plot has drawn lines and labelled ticks on both axes. */
function expectDrawnPlots(dom: DomElement, minimum: number): void {
  const plots = byTag(dom, 'svg').filter((svg) => (svg.attrs.class ?? '').includes('plot'));
  expect(plots.length).toBeGreaterThanOrEqual(minimum);
  for (const svg of plots) {
    const series = byClass(svg, 'series');
    expect(series.length).toBeGreaterThan(0);
    for (const line of series) expect(line.attrs.d).toMatch(/^M[\d.]+,[\d.]+/);
    for (const axis of ['x-axis', 'y-axis']) {
      const labels = byClass(byClass(svg, axis)[0]!, 'tick-label').map(textOf);
      expect(labels.length).toBeGreaterThanOrEqual(2);
      for (const label of labels) expect(Number(label)).not.toBeNaN();
    }
  }
}

describe(`report.html of real runs, read by ${CHROMIUM ? `headless Chromium (${CHROMIUM})` : 'the test HTML parser (no Chromium installed)'}`, () => {
  let irisRun = '';
  let oddRun = '';

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-report-'));
    irisRun = await train(path.join(ROOT, 'examples/iris.mlspec'), path.join(tmp, 'iris'), 3);
    // Class names that would break a page that did not escape them.
    const classes = ['<script>alert(1)</script>', 'a&b', '"quoted"'];
    const rows = ['x1,x2,kind'];
    for (let i = 0; i < 60; i++) {
      const c = i % 3;
      rows.push(`${c + (i % 5) * 0.1},${2 - c + (i % 7) * 0.05},"${classes[c]!.replace(/"/g, '""')}"`);
    }
    fs.writeFileSync(path.join(tmp, 'odd.csv'), `${rows.join('\n')}\n`);
    fs.writeFileSync(
      path.join(tmp, 'odd.mlspec'),
      [
        '# odd class names',
        'model {',
        '  input(shape: [2])',
        '  dense(3, activation: softmax)',
        '}',
        'data {',
        '  source: csv("odd.csv", label: kind, categorical: true)',
        '  split { train: 0.6, validation: 0.2, test: 0.2, stratify: true }',
        '}',
        'loss: sparse_categorical_cross_entropy',
        'optimizer: adam(lr: 0.05)',
        'train {',
        '  epochs: 2',
        '  batch: 8',
        '  metrics: [accuracy]',
        '}',
        '',
      ].join('\n'),
    );
    oddRun = await train(path.join(tmp, 'odd.mlspec'), path.join(tmp, 'odd-run'), 2);
  });

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('iris: every section, with drawn plots', () => {
    const dom = reportDom(irisRun);
    for (const id of ['results', 'loss', 'metrics', 'learning-rate', 'confusion', 'model', 'spec']) expect(byId(dom, id), id).toBeDefined();
    // loss per epoch and per step (linear and log views), accuracy, learning rate
    expectDrawnPlots(dom, 6);
    const lossPlot = byClass(dom, 'loss-epochs')[0]!;
    expect(byClass(lossPlot, 'legend-item').map(textOf)).toEqual(['train', 'validation']);
    // 3 epochs: one marker per epoch and split.
    expect(byTag(lossPlot, 'circle')).toHaveLength(6);
    expect(byClass(dom, 'metric').map((svg) => textOf(byClass(svg, 'plot-title')[0]!))).toEqual(['accuracy']);
    expect(byClass(byClass(dom, 'learning-rate')[0]!, 'series')).toHaveLength(1);
    expect(byTag(dom, 'script')).toEqual([]);
  });

  it('iris: results, confusion matrix on the test split, model and spec', () => {
    const dom = reportDom(irisRun);
    const summary = JSON.parse(fs.readFileSync(path.join(irisRun, 'summary.json'), 'utf8')) as { test: { loss: number } };
    const results = cellsOf(byClass(dom, 'results')[0]!);
    expect(results.map((row) => row[0])).toEqual(['split', 'train', 'validation', 'test']);
    expect(Number(results[3]![1])).toBeCloseTo(summary.test.loss, 4);

    const confusion = cellsOf(byClass(dom, 'confusion')[0]!);
    expect(confusion[0]).toEqual(['true \\ predicted', 'setosa', 'versicolor', 'virginica', 'total', 'recall']);
    // Stratified: each class has 50 rows, floor(50 * 0.15) = 7 of them in the test split.
    expect(confusion.slice(1).map((row) => Number(row[4]))).toEqual([7, 7, 7]);
    const counted = confusion.slice(1).reduce((sum, row) => sum + row.slice(1, 4).reduce((a, c) => a + Number(c), 0), 0);
    expect(counted).toBe(21);

    // dense 4 -> 16: 4*16 + 16 = 80 parameters; dense 16 -> 3: 16*3 + 3 = 51.
    expect(cellsOf(byClass(dom, 'model')[0]!).slice(1).map((row) => [row[0], row[3], row[4]])).toEqual([
      ['input_1', '[4]', '0'],
      ['dense_1', '[16]', '80'],
      ['dense_2', '[3]', '51'],
    ]);
    expect(textOf(byId(dom, 'spec-source')!)).toBe(fs.readFileSync(path.join(ROOT, 'examples/iris.mlspec'), 'utf8'));
  });

  it('a diverged run (exit 3) writes the report too, marked diverged, and its message names it', async () => {
    const spec = path.join(tmp, 'diverge.mlspec');
    fs.writeFileSync(
      spec,
      fs
        .readFileSync(path.join(tmp, 'odd.mlspec'), 'utf8')
        .replace('adam(lr: 0.05)', 'sgd(lr: 1e30)')
        .replace('epochs: 2', 'epochs: 3'),
    );
    const out = path.join(tmp, 'diverged');
    const error = await train(spec, out, 3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect((error as RunError).exitCode).toBe(3);
    expect((error as RunError).message).toMatch(/ The report so far is \S+report\.html\.$/);
    const dom = reportDom(out);
    expect(textOf(byId(dom, 'run-status')!)).toBe('diverged');
    expect(textOf(byClass(dom, 'status')[0]!)).toContain('This run diverged before it finished.');
    expect(byId(dom, 'loss')).toBeDefined();
  });

  it('escapes class names from the data: no script runs, the names read as written', () => {
    const html = fs.readFileSync(path.join(oddRun, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script/i);
    const dom = reportDom(oddRun);
    expect(byTag(dom, 'script')).toEqual([]);
    const confusion = cellsOf(byClass(dom, 'confusion')[0]!);
    expect(confusion[0]!.slice(1, 4)).toEqual(['"quoted"', '<script>alert(1)</script>', 'a&b']);
    expect(confusion.slice(1).map((row) => row[0])).toEqual(['"quoted"', '<script>alert(1)</script>', 'a&b']);
    expect(byId(dom, 'spec-source')).toBeDefined();
    expectDrawnPlots(dom, 4);
  });
});
