import { describe, expect, it } from 'vitest';
import { constantSchedule } from '../../../src/runtime/schedules/constant.js';

describe('constantSchedule', () => {
  it('gives the base rate at every step and epoch', () => {
    const schedule = constantSchedule();
    expect(schedule.learningRate(0.03, { step: 0, epoch: 0 })).toBe(0.03);
    expect(schedule.learningRate(0.03, { step: 12345, epoch: 67 })).toBe(0.03);
  });
});
