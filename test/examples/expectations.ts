/** Assertions every example run shares. */
import { expect } from 'vitest';
import type { ExampleRun } from './run-example.js';

/** Trained on wasm, every epoch logged, and the same number of live tensors after every epoch. */
export function expectCleanRun(run: ExampleRun): void {
  expect(run.summary.backend).toBe('wasm');
  expect(run.tensorsAfterEpoch).toHaveLength(run.summary.epochs_run);
  // Optimizer slots and a restore-best snapshot exist from the first epoch on, so any growth
  // after it is a leak.
  const first = run.tensorsAfterEpoch[0];
  expect(run.tensorsAfterEpoch).toEqual(run.tensorsAfterEpoch.map(() => first));
}
