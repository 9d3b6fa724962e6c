/**
 * The small examples at full length, with the seed in each spec, on wasm: each reaches what its
 * header comment (and the README's examples table) says it reaches.
 */
import { describe, expect, it } from 'vitest';
import { expectCleanRun } from './expectations.js';
import { runExample } from './run-example.js';

describe('small examples reach their stated targets', () => {
  it('classic: the training loss falls from about 0.57 to below 0.06', async () => {
    const run = await runExample('classic');
    expect(run.header).toContain('falls from about 0.57 (first step) to below 0.06');
    expectCleanRun(run);
    expect(run.summary.epochs_run).toBe(100);
    expect(run.stepLosses[0]).toBeGreaterThan(0.5);
    expect(run.stepLosses[0]).toBeLessThan(0.65);
    expect(run.summary.train.loss).toBeLessThan(0.06);
    // y ~ U[0, 1): the best constant prediction has MSE 1/12, so the model fits beyond the mean.
    expect(run.summary.train.loss).toBeLessThan(1 / 12);
  });

  it('iris: at least 93% test accuracy', async () => {
    const run = await runExample('iris');
    expect(run.header).toContain('at least 93% test accuracy');
    expectCleanRun(run);
    expect(run.summary.test!.accuracy).toBeGreaterThanOrEqual(0.93);
  });

  it('breast_cancer: at least 95% test accuracy, with early stopping restoring the best epoch', async () => {
    const run = await runExample('breast_cancer');
    expect(run.header).toContain('at least 95% test accuracy');
    expectCleanRun(run);
    expect(run.summary.test!.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(run.summary.stopped_early).toBe(true);
    expect(run.summary.restored_best_epoch).not.toBeNull();
  });

  it('residual: at least 90% test accuracy', async () => {
    const run = await runExample('residual');
    expect(run.header).toContain('at least 90% test accuracy');
    expectCleanRun(run);
    expect(run.summary.test!.accuracy).toBeGreaterThanOrEqual(0.9);
  });
});
