/** The constant schedule: lr = base at every step. */
import type { Schedule } from '../contracts.js';

export function constantSchedule(): Schedule {
  return { unit: 'step', learningRate: (base) => base };
}
