import { describe, expect, it } from 'vitest';
import type { StopRule } from '../../src/runtime/contracts.js';
import { convergence, defaultMonitorMode, earlyStopping, fixedEpochs } from '../../src/runtime/stopping.js';

/** Feeds one monitored value per epoch; returns the decision after each. */
function decisions(rule: StopRule, monitor: string, values: number[]): string[] {
  return values.map((value, epoch) => rule.endEpoch(epoch, { [monitor]: value, lr: 0.1 }));
}

describe('fixedEpochs', () => {
  it('never stops early and restores nothing', () => {
    const rule = fixedEpochs();
    expect(decisions(rule, 'loss', [1, 1, 1, 1])).toEqual(['continue', 'continue', 'continue', 'continue']);
    expect(rule.restoreEpoch()).toBeNull();
    expect(rule.getState()).toBeNull();
  });
});

describe('convergence', () => {
  it('stops after `patience` consecutive changes below the tolerance', () => {
    // tolerance 0.01, patience 2: 1 -> 0.5 (change 0.5), 0.495 (0.005: 1), 0.49 (0.005: 2 -> stop)
    const rule = convergence({ monitor: 'loss', tolerance: 0.01, patience: 2 });
    expect(decisions(rule, 'loss', [1, 0.5, 0.495, 0.49])).toEqual(['continue', 'continue', 'continue', 'stop']);
    expect(rule.restoreEpoch()).toBeNull();
  });

  it('counts only consecutive calm epochs', () => {
    // 1, 0.995 (calm 1), 0.9 (change 0.095: reset), 0.895 (1), 0.894 (2 -> stop)
    const rule = convergence({ monitor: 'loss', tolerance: 0.01, patience: 2 });
    expect(decisions(rule, 'loss', [1, 0.995, 0.9, 0.895, 0.894])).toEqual([
      'continue',
      'continue',
      'continue',
      'continue',
      'stop',
    ]);
  });

  it('compares the absolute change, so rising values converge too', () => {
    const rule = convergence({ monitor: 'val_accuracy', tolerance: 0.1, patience: 1 });
    expect(decisions(rule, 'val_accuracy', [0.5, 0.55])).toEqual(['continue', 'stop']);
  });

  it('round-trips its state', () => {
    const rule = convergence({ monitor: 'loss', tolerance: 0.01, patience: 2 });
    decisions(rule, 'loss', [1, 0.995]);
    const copy = convergence({ monitor: 'loss', tolerance: 0.01, patience: 2 });
    copy.setState(JSON.parse(JSON.stringify(rule.getState())));
    expect(copy.endEpoch(2, { loss: 0.99 })).toBe('stop');
  });

  it('names the available metrics when the monitor is missing', () => {
    const rule = convergence({ monitor: 'val_loss' });
    expect(() => rule.endEpoch(0, { loss: 1, accuracy: 0.5 })).toThrow(
      /stop converged: monitored metric 'val_loss' is not among this epoch's metrics \(available: loss, accuracy\)/,
    );
  });
});

describe('earlyStopping', () => {
  it('stops after `patience` epochs without improvement and restores the best epoch', () => {
    // min, patience 2: e0 1.0 best; e1 0.9 best; e2 0.95 wait 1; e3 0.92 wait 2 -> stop. Best epoch 1.
    const rule = earlyStopping({ monitor: 'val_loss', mode: 'min', patience: 2, min_delta: 0, restore_best: true });
    expect(decisions(rule, 'val_loss', [1.0, 0.9, 0.95, 0.92])).toEqual(['continue', 'continue', 'continue', 'stop']);
    expect(rule.restoreEpoch()).toBe(1);
  });

  it('restores nothing unless restore_best', () => {
    const rule = earlyStopping({ monitor: 'val_loss', patience: 2 });
    decisions(rule, 'val_loss', [1.0, 0.9, 0.95]);
    expect(rule.restoreEpoch()).toBeNull();
  });

  it('needs an improvement larger than min_delta', () => {
    // min_delta 0.05, patience 2: e0 1.0; e1 0.96 (not below 0.95) wait 1; e2 0.94 improves; e3 0.93 wait 1; e4 0.92 wait 2 -> stop
    const rule = earlyStopping({ monitor: 'val_loss', patience: 2, min_delta: 0.05, restore_best: true });
    expect(decisions(rule, 'val_loss', [1.0, 0.96, 0.94, 0.93, 0.92])).toEqual([
      'continue',
      'continue',
      'continue',
      'continue',
      'stop',
    ]);
    expect(rule.restoreEpoch()).toBe(2);
  });

  it('in max mode an improvement is an increase', () => {
    // patience 1: e0 0.5; e1 0.6 best; e2 0.55 wait 1 -> stop; best epoch 1
    const rule = earlyStopping({ monitor: 'val_accuracy', mode: 'max', patience: 1, restore_best: true });
    expect(decisions(rule, 'val_accuracy', [0.5, 0.6, 0.55])).toEqual(['continue', 'continue', 'stop']);
    expect(rule.restoreEpoch()).toBe(1);
  });

  it('with patience 0 stops at the first epoch without improvement, never at the first epoch', () => {
    const rule = earlyStopping({ monitor: 'loss', patience: 0 });
    expect(decisions(rule, 'loss', [1, 0.5, 0.7])).toEqual(['continue', 'continue', 'stop']);
  });

  it('chooses max for accuracy-like monitors by default, min otherwise', () => {
    expect(defaultMonitorMode('val_accuracy')).toBe('max');
    expect(defaultMonitorMode('f1')).toBe('max');
    expect(defaultMonitorMode('val_loss')).toBe('min');
    expect(defaultMonitorMode('val_mae')).toBe('min');
    expect(defaultMonitorMode('binary_acc')).toBe('max');
    const rule = earlyStopping({ monitor: 'accuracy', patience: 1 });
    expect(decisions(rule, 'accuracy', [0.5, 0.6, 0.7])).toEqual(['continue', 'continue', 'continue']);
  });

  it('round-trips its state through JSON', () => {
    const make = () => earlyStopping({ monitor: 'val_loss', patience: 2, restore_best: true });
    const rule = make();
    decisions(rule, 'val_loss', [1.0, 0.9, 0.95]);
    const copy = make();
    copy.setState(JSON.parse(JSON.stringify(rule.getState())));
    expect(copy.restoreEpoch()).toBe(1);
    expect(copy.endEpoch(3, { val_loss: 0.92 })).toBe('stop');
  });

  it('names the available metrics when the monitor is missing', () => {
    const rule = earlyStopping({ monitor: 'val_loss' });
    expect(() => rule.endEpoch(0, { loss: 1 })).toThrow(/monitored metric 'val_loss'.*\(available: loss\)/);
  });
});
