/** The LSTM forecaster at full length (its own file, to run in parallel with the other examples). */
import { expect, it } from 'vitest';
import { expectCleanRun } from './expectations.js';
import { runExample } from './run-example.js';

it('sine_lstm: test MAE below 0.08', async () => {
  const run = await runExample('sine_lstm');
  expect(run.header).toContain('test MAE below 0.08');
  expectCleanRun(run);
  expect(run.summary.test!.mae).toBeLessThan(0.08);
});
