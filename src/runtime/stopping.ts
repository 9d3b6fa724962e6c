/**
 * Stopping rules (docs/semantics.md, "Stopping rules"), consulted after each epoch with that
 * epoch's metrics, e.g. { loss, accuracy, val_loss, val_accuracy }.
 */
import type { JsonValue, StopDecision, StopRule } from './contracts.js';

export type MonitorMode = 'min' | 'max';

/** The monitored value; a missing monitor is an error naming the metrics that do exist. */
export function readMonitoredMetric(
  owner: string,
  monitor: string,
  metrics: Readonly<Record<string, number>>,
): number {
  const value = metrics[monitor];
  if (value === undefined) {
    const available = Object.keys(metrics);
    throw new Error(
      `${owner}: monitored metric '${monitor}' is not among this epoch's metrics ` +
        `(available: ${available.length > 0 ? available.join(', ') : 'none'})`,
    );
  }
  return value;
}

/**
 * The default mode for a monitor (Keras' 'auto'): 'max' for metrics where larger is better
 * (accuracy, precision, recall, f1, r2, auc, anything containing 'acc'; with or without val_), else 'min'.
 */
export function defaultMonitorMode(monitor: string): MonitorMode {
  const bare = monitor.startsWith('val_') ? monitor.slice(4) : monitor;
  return ['accuracy', 'precision', 'recall', 'f1', 'r2', 'auc'].includes(bare) || bare.includes('acc') ? 'max' : 'min';
}

/** Keras' rule: an improvement beats the best by more than minDelta in the mode's direction. */
export function isMonitorImprovement(mode: MonitorMode, current: number, best: number, minDelta: number): boolean {
  return mode === 'min' ? current < best - minDelta : current > best + minDelta;
}

/** Runs for the configured number of epochs; never stops early. */
export function fixedEpochs(): StopRule {
  return {
    name: 'epochs',
    endEpoch: () => 'continue',
    restoreEpoch: () => null,
    getState: () => null,
    setState: () => {},
  };
}

export interface ConvergenceConfig {
  /** Default 'loss'. */
  monitor?: string;
  /** Default 1e-6. */
  tolerance?: number;
  /** Default 3. */
  patience?: number;
}

/** Stops when |m_e - m_(e-1)| < tolerance for `patience` consecutive epochs. */
export function convergence(config: ConvergenceConfig = {}): StopRule {
  const monitor = config.monitor ?? 'loss';
  const tolerance = config.tolerance ?? 1e-6;
  const patience = config.patience ?? 3;
  let previous: number | null = null;
  let calm = 0;
  return {
    name: 'converged',
    endEpoch(_epoch, metrics): StopDecision {
      const current = readMonitoredMetric('stop converged', monitor, metrics);
      calm = previous !== null && Math.abs(current - previous) < tolerance ? calm + 1 : 0;
      previous = current;
      return calm >= patience ? 'stop' : 'continue';
    },
    restoreEpoch: () => null,
    getState: () => ({ previous, calm }),
    setState(state) {
      const saved = state as { previous: number | null; calm: number };
      previous = saved.previous;
      calm = saved.calm;
    },
  };
}

export interface EarlyStoppingConfig {
  /** Default 'val_loss'. */
  monitor?: string;
  /** Default: defaultMonitorMode(monitor), 'max' for accuracy-like monitors, else 'min'. */
  mode?: MonitorMode;
  /** Default 0 (Keras). */
  patience?: number;
  /** Default 0. */
  min_delta?: number;
  /** Default false. */
  restore_best?: boolean;
}

interface EarlyStoppingState {
  /** null until the first epoch (Keras starts from +-infinity, which JSON cannot hold). */
  best: number | null;
  bestEpoch: number | null;
  wait: number;
  /** Epochs seen so far. */
  seen: number;
}

/**
 * Keras' EarlyStopping: after each epoch wait <- wait + 1; an improvement (see isMonitorImprovement)
 * records the best value and epoch and resets wait to 0; otherwise the run stops once
 * wait >= patience (never after the very first epoch).
 */
export function earlyStopping(config: EarlyStoppingConfig = {}): StopRule {
  const monitor = config.monitor ?? 'val_loss';
  const mode = config.mode ?? defaultMonitorMode(monitor);
  const patience = config.patience ?? 0;
  const minDelta = Math.abs(config.min_delta ?? 0);
  const restoreBest = config.restore_best ?? false;
  let state: EarlyStoppingState = { best: null, bestEpoch: null, wait: 0, seen: 0 };
  return {
    name: 'early',
    endEpoch(epoch, metrics): StopDecision {
      const current = readMonitoredMetric('stop early', monitor, metrics);
      state.wait += 1;
      state.seen += 1;
      // A first value always improves on Keras' starting best of +-infinity, unless it is NaN.
      const improved =
        state.best === null ? !Number.isNaN(current) : isMonitorImprovement(mode, current, state.best, minDelta);
      if (improved) {
        state = { best: current, bestEpoch: epoch, wait: 0, seen: state.seen };
        return 'continue';
      }
      return state.wait >= patience && state.seen > 1 ? 'stop' : 'continue';
    },
    restoreEpoch: () => (restoreBest ? state.bestEpoch : null),
    getState: () => ({ ...state }),
    setState(saved: JsonValue) {
      state = { ...(saved as unknown as EarlyStoppingState) };
    },
  };
}
