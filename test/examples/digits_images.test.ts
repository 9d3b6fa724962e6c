/** The digit images example: a CNN trained on a folder of PNG and JPEG files, one subfolder per class. */
import { expect, it } from 'vitest';
import { expectCleanRun } from './expectations.js';
import { runExample } from './run-example.js';

it('digits_images: at least 95% test accuracy', async () => {
  const run = await runExample('digits_images');
  expect(run.header).toContain('at least 95% test accuracy');
  expectCleanRun(run);
  expect(run.summary.test!.accuracy).toBeGreaterThanOrEqual(0.95);
});
