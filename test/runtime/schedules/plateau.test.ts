import { describe, expect, it } from 'vitest';
import { reduceOnPlateau } from '../../../src/runtime/schedules/plateau.js';

const context = { step: 0, epoch: 0 };

/** Feeds val_loss values epoch by epoch and returns the rate in force after each epoch. */
function ratesAfterEpochs(schedule: ReturnType<typeof reduceOnPlateau>, base: number, losses: number[]): number[] {
  const rates: number[] = [];
  losses.forEach((loss, epoch) => {
    schedule.learningRate(base, { step: epoch * 10, epoch });
    schedule.endEpoch!(epoch, { loss: 0, val_loss: loss });
    rates.push(schedule.learningRate(base, { step: epoch * 10 + 10, epoch: epoch + 1 }));
  });
  return rates;
}

describe('reduceOnPlateau', () => {
  it('returns the base rate before any epoch', () => {
    const schedule = reduceOnPlateau({ monitor: 'val_loss' });
    expect(schedule.unit).toBe('epoch');
    expect(schedule.learningRate(0.07, context)).toBe(0.07);
  });

  it('reduces after patience epochs without improvement, waits out the cooldown, stops at min', () => {
    // base 0.1, patience 2, factor 0.5, cooldown 1, min 0.03, threshold 0.01 (improve = below best - 0.01)
    //   e0 1.0    first value: best 1.0                              0.1
    //   e1 0.995  not below 0.99: wait 1                             0.1
    //   e2 0.98   improvement: best 0.98, wait 0                     0.1
    //   e3 0.975  not below 0.97: wait 1                             0.1
    //   e4 0.99   wait 2 = patience: 0.1 * 0.5, cooldown 1          0.05
    //   e5 0.99   cooldown epoch, not counted                        0.05
    //   e6 0.99   wait 1                                             0.05
    //   e7 0.99   wait 2: max(0.025, 0.03)                           0.03
    //   e8 0.99   cooldown epoch                                     0.03
    //   e9 0.99   wait 1                                             0.03
    //   e10 0.99  wait 2, but the rate is at min already             0.03
    const schedule = reduceOnPlateau({
      monitor: 'val_loss',
      mode: 'min',
      factor: 0.5,
      patience: 2,
      cooldown: 1,
      min: 0.03,
      threshold: 0.01,
    });
    const losses = [1.0, 0.995, 0.98, 0.975, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99];
    const expected = [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.03, 0.03, 0.03, 0.03];
    ratesAfterEpochs(schedule, 0.1, losses).forEach((rate, i) => expect(rate, `epoch ${i}`).toBeCloseTo(expected[i]!, 12));
  });

  it('without cooldown reduces again after another patience epochs', () => {
    // patience 1, factor 0.1, threshold 0: e0 best 5; e1 5 -> 0.1; e2 5 -> 0.01; e3 4 improves -> 0.01
    const schedule = reduceOnPlateau({ monitor: 'val_loss', patience: 1, factor: 0.1, threshold: 0 });
    const rates = ratesAfterEpochs(schedule, 1, [5, 5, 5, 4]);
    [1, 0.1, 0.01, 0.01].forEach((rate, i) => expect(rates[i]).toBeCloseTo(rate, 12));
  });

  it('records a new best during cooldown', () => {
    // patience 1, cooldown 2, threshold 0: e0 best 3; e1 3 -> reduce to 0.5, cooldown 2;
    // e2 1 (cooldown, new best 1); e3 2 (cooldown); e4 2: wait 1 against best 1 -> 0.25
    const schedule = reduceOnPlateau({ monitor: 'val_loss', patience: 1, cooldown: 2, factor: 0.5, threshold: 0 });
    const rates = ratesAfterEpochs(schedule, 1, [3, 3, 1, 2, 2]);
    [1, 0.5, 0.5, 0.5, 0.25].forEach((rate, i) => expect(rates[i], `epoch ${i}`).toBeCloseTo(rate, 12));
  });

  it('in max mode an improvement is an increase by more than the threshold', () => {
    // accuracy, threshold 0.01: e0 0.5 best; e1 0.52 (above 0.51) improves, best 0.52;
    // e2 0.525 (not above 0.53): wait 1 = patience -> 0.5 * base
    const schedule = reduceOnPlateau({ monitor: 'val_accuracy', patience: 1, factor: 0.5, threshold: 0.01 });
    schedule.learningRate(1, context);
    schedule.endEpoch!(0, { val_accuracy: 0.5 });
    schedule.endEpoch!(1, { val_accuracy: 0.52 });
    expect(schedule.learningRate(1, context)).toBe(1);
    schedule.endEpoch!(2, { val_accuracy: 0.525 });
    expect(schedule.learningRate(1, context)).toBe(0.5);
  });

  it('round-trips its state through JSON', () => {
    const make = () => reduceOnPlateau({ monitor: 'val_loss', patience: 2, cooldown: 1, factor: 0.5, min: 0.03, threshold: 0.01 });
    const losses = [1.0, 0.995, 0.98, 0.975, 0.99, 0.99, 0.99, 0.99, 0.99];
    const whole = ratesAfterEpochs(make(), 0.1, losses);
    const first = make();
    ratesAfterEpochs(first, 0.1, losses.slice(0, 5));
    const resumed = make();
    resumed.setState!(JSON.parse(JSON.stringify(first.getState!())));
    expect(resumed.learningRate(0.1, context)).toBe(0.05);
    const rest: number[] = [];
    losses.slice(5).forEach((loss, i) => {
      resumed.endEpoch!(5 + i, { val_loss: loss });
      rest.push(resumed.learningRate(0.1, context));
    });
    expect(rest).toEqual(whole.slice(5));
  });

  it('names the available metrics when the monitor is missing', () => {
    const schedule = reduceOnPlateau({ monitor: 'val_loss' });
    schedule.learningRate(0.1, context);
    expect(() => schedule.endEpoch!(0, { loss: 1, accuracy: 0.5 })).toThrow(
      /monitored metric 'val_loss' is not among this epoch's metrics \(available: loss, accuracy\)/,
    );
  });
});
