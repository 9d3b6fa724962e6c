/**
 * Reduce on plateau (Keras' ReduceLROnPlateau, with PyTorch's meaning of cooldown). The schedule
 * keeps its own current rate, which starts at base. After each epoch:
 *   - improvement (current < best - threshold for min, > best + threshold for max; the first
 *     epoch always improves): best <- current, wait <- 0;
 *   - during cooldown (the `cooldown` epochs right after a reduction): nothing else happens;
 *   - otherwise, without improvement: wait <- wait + 1; when wait >= patience and the rate is
 *     above `min`: rate <- max(rate * factor, min), wait <- 0, and a cooldown starts.
 * (Keras decrements its cooldown counter before testing it, so its cooldown c skips only c - 1 epochs.)
 */
import type { JsonValue, Schedule } from '../contracts.js';
import { defaultMonitorMode, isMonitorImprovement, readMonitoredMetric, type MonitorMode } from '../stopping.js';

export interface ReduceOnPlateauConfig {
  /** Default 'val_loss'. */
  monitor?: string;
  /** Default: defaultMonitorMode(monitor), 'max' for accuracy-like monitors, else 'min'. */
  mode?: MonitorMode;
  /** Default 0.1. */
  factor?: number;
  /** Default 10. */
  patience?: number;
  /** Default 0. */
  cooldown?: number;
  /** Lowest rate (absolute). Default 0. */
  min?: number;
  /** Smallest change that counts as an improvement (absolute, Keras' min_delta). Default 1e-4. */
  threshold?: number;
}

interface ReduceOnPlateauState {
  /** The current rate; null until the first reduction (the rate is then base). */
  lr: number | null;
  /** The best monitored value so far; null before the first epoch (Keras: +-infinity). */
  best: number | null;
  wait: number;
  cooldown: number;
}

export function reduceOnPlateau(config: ReduceOnPlateauConfig = {}): Schedule {
  const monitor = config.monitor ?? 'val_loss';
  const mode = config.mode ?? defaultMonitorMode(monitor);
  const factor = config.factor ?? 0.1;
  const patience = config.patience ?? 10;
  const cooldown = config.cooldown ?? 0;
  const min = config.min ?? 0;
  const threshold = Math.abs(config.threshold ?? 1e-4);
  let state: ReduceOnPlateauState = { lr: null, best: null, wait: 0, cooldown: 0 };
  // The optimizer's lr, remembered from learningRate: endEpoch needs it before the first reduction.
  let lastBase: number | null = null;

  return {
    unit: 'epoch',
    learningRate(base) {
      lastBase = base;
      return state.lr ?? base;
    },
    endEpoch(_epoch, metrics) {
      const current = readMonitoredMetric('schedule plateau', monitor, metrics);
      const improved =
        state.best === null ? !Number.isNaN(current) : isMonitorImprovement(mode, current, state.best, threshold);
      if (improved) {
        state.best = current;
        state.wait = 0;
      }
      if (state.cooldown > 0) {
        // A cooldown epoch: it may record a new best but never counts towards patience.
        state.cooldown -= 1;
        state.wait = 0;
        return;
      }
      if (improved) return;
      state.wait += 1;
      const rate = state.lr ?? lastBase;
      if (rate === null) throw new Error('schedule plateau: learningRate must be called before endEpoch');
      if (state.wait >= patience && rate > min) {
        state.lr = Math.max(rate * factor, min);
        state.cooldown = cooldown;
        state.wait = 0;
      }
    },
    getState: (): JsonValue => ({ ...state }),
    setState(saved: JsonValue) {
      state = { ...(saved as unknown as ReduceOnPlateauState) };
    },
  };
}
