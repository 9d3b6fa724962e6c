/** The digits CNN at full length (its own file: the slowest example runs in parallel with the rest). */
import { expect, it } from 'vitest';
import { expectCleanRun } from './expectations.js';
import { runExample } from './run-example.js';

it('digits_cnn: at least 97% test accuracy', async () => {
  const run = await runExample('digits_cnn');
  expect(run.header).toContain('at least 97% test accuracy');
  expectCleanRun(run);
  expect(run.summary.test!.accuracy).toBeGreaterThanOrEqual(0.97);
});
