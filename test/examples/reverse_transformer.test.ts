/** The transformer at full length (its own file, to run in parallel with the other examples). */
import { expect, it } from 'vitest';
import { expectCleanRun } from './expectations.js';
import { runExample } from './run-example.js';

it('reverse_transformer: at least 95% per-token test accuracy', async () => {
  const run = await runExample('reverse_transformer');
  expect(run.header).toContain('at least 95% per-token accuracy on held-out sequences');
  expectCleanRun(run);
  // One class per token: accuracy is over every token of every held-out sequence.
  expect(run.summary.test!.accuracy).toBeGreaterThanOrEqual(0.95);
});
