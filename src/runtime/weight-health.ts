/**
 * Divergence that the loss does not show. A clipped cross-entropy stays finite (about 16) while
 * the weights run off to 1e30 or NaN, so besides the loss (train.ts: a non-finite step loss) the
 * trainable weights are checked at the end of every epoch, before its checkpoint: the run stops
 * as diverged (exit 3, the last good checkpoint kept) when any weight holds NaN or an infinity,
 * or when its largest magnitude exceeds WEIGHT_EXPLOSION_LIMIT. The limit is far beyond any
 * trained weight (float32 squares overflow above about 1.8e19, so an L2 penalty or a gradient of
 * such a weight is already infinite); data with huge targets should be normalized anyway.
 * One reduction per weight per epoch: no cost per step.
 */
import * as tf from '@tensorflow/tfjs';

export const WEIGHT_EXPLOSION_LIMIT = 1e18;

/** Why the weights count as diverged (a sentence without the advice), or null when they are healthy. */
export async function unhealthyWeights(variables: readonly tf.Variable[], epoch: number, lastLoss: number | null): Promise<string | null> {
  if (variables.length === 0) return null;
  // One number per weight: max |w|, made NaN by sum(w) * 0 when any value is NaN or infinite
  // (tfjs's max skips NaN on some backends).
  // One weight at a time, so that at most one temporary |w| exists (a 200M-parameter model must
  // not hold a second copy of every weight), then one read of all the scalars.
  const perWeight = variables.map((v) => tf.tidy(() => tf.max(tf.abs(v)).add(tf.sum(v).mul(0))));
  const stacked = tf.stack(perWeight);
  tf.dispose(perWeight);
  // data(), not dataSync(): a webgpu backend reads without blocking.
  const largest = await stacked.data();
  stacked.dispose();
  for (let i = 0; i < variables.length; i++) {
    const value = largest[i]!;
    if (Number.isFinite(value) && value <= WEIGHT_EXPLOSION_LIMIT) continue;
    const what = Number.isFinite(value) ? `${value.toExponential(2)} in magnitude (more than ${WEIGHT_EXPLOSION_LIMIT.toExponential(0)})` : 'NaN or infinite';
    return `The weight ${variables[i]!.name} became ${what} in epoch ${epoch + 1} although the loss stayed finite${lastLoss === null ? '' : ` (last loss ${lastLoss})`}`;
  }
  return null;
}
