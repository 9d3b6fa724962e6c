/**
 * The gradient of AvgPool (average pooling 1d/2d), corrected for padded windows.
 *
 * tfjs 4.22's forward AvgPool averages only the real cells of a window that hangs over the edge
 * (`padding: 'same'`): cpu, wasm (XNNPACK), webgl and webgpu divide by the count of real cells, as
 * TensorFlow does. Its gradient (gradients/AvgPool_grad.js -> the AvgPoolGrad kernel) divides every
 * window by the whole window size instead (`avgMultiplier = 1 / (filterHeight * filterWidth)` in
 * the cpu, wasm, webgl and webgpu kernels), so a padded window's cells got count/size of their
 * share of the gradient: not the gradient of the forward pass. (TensorFlow's own AvgPoolGrad, on
 * the `tensorflow` backend, divides by the real count, so it was right there.)
 *
 * The corrected gradient: dx = sum over the windows w holding x of dy[w] / count[w]. It is built
 * from the valid-padding gradient, which every backend gets right (no window holds padding):
 * dy is scaled by size / count[w] per output position, the stock gradient is taken for an input
 * padded explicitly to the windows' extent with `pad: 'valid'`, and the padding is sliced off.
 * Windows that hold no padding (valid padding, or `same` where the windows tile the input) take
 * the stock gradient unchanged, so their results are tfjs's bit for bit.
 *
 * tfjs keeps gradients in one global registry (not per backend), so installing this once
 * corrects every backend; selectBackend (../backend.ts) installs it whatever the backend.
 */
import * as tf from '@tensorflow/tfjs';

export const AVG_POOL_KERNEL = 'AvgPool';

type PoolPad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

interface AvgPoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: PoolPad;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Real cells of each window along one axis: output position i covers [i*stride - before, +size). */
export function realCellsPerWindow(inSize: number, outSize: number, filter: number, stride: number, before: number): number[] {
  const counts: number[] = [];
  for (let i = 0; i < outSize; i++) {
    const start = i * stride - before;
    counts.push(Math.max(0, Math.min(start + filter, inSize) - Math.max(start, 0)));
  }
  return counts;
}

/**
 * dL/dx of AvgPool given dL/dy, with `stockValidGradient(dy, x, attrs)` the stock gradient
 * (which is right whenever no window holds padding). Returns null when the stock gradient
 * should be used as it is: no window holds padding, or a shape this does not handle.
 */
export function correctedAvgPoolGradient(
  dy: tf.Tensor4D,
  x: tf.Tensor4D,
  attrs: AvgPoolAttrs,
  stockGradient: (dy: tf.Tensor4D, x: tf.Tensor4D, attrs: AvgPoolAttrs) => tf.Tensor,
): tf.Tensor | null {
  const { filterSize, strides, pad, dimRoundingMode } = attrs;
  if (pad === 'valid') return null;
  const info = tf.backend_util.computePool2DInfo(x.shape, filterSize, strides, 1, pad, dimRoundingMode);
  const { top, bottom, left, right } = info.padInfo;
  if (top === 0 && bottom === 0 && left === 0 && right === 0) return null;
  if (info.dataFormat !== 'channelsLast' || top < 0 || bottom < 0 || left < 0 || right < 0) return null;
  const { inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const paddedHeight = inHeight + top + bottom;
  const paddedWidth = inWidth + left + right;
  // With explicit padding the valid pooling of the padded input must give the same windows.
  if (
    Math.floor((paddedHeight - filterHeight) / strideHeight) + 1 !== outHeight ||
    Math.floor((paddedWidth - filterWidth) / strideWidth) + 1 !== outWidth
  ) {
    return null;
  }
  const rows = realCellsPerWindow(inHeight, outHeight, filterHeight, strideHeight, top);
  const cols = realCellsPerWindow(inWidth, outWidth, filterWidth, strideWidth, left);
  const size = filterHeight * filterWidth;
  const scale = new Float32Array(outHeight * outWidth);
  for (let i = 0; i < outHeight; i++) {
    for (let j = 0; j < outWidth; j++) {
      const count = rows[i] * cols[j];
      // A window with no real cell (possible only with odd explicit pads) averages nothing.
      scale[i * outWidth + j] = count === 0 ? 0 : size / count;
    }
  }
  return tf.tidy(() => {
    const scaled = tf.mul(dy, tf.tensor4d(scale, [1, outHeight, outWidth, 1])) as tf.Tensor4D;
    const padded = tf.zeros([info.batchSize, paddedHeight, paddedWidth, info.inChannels], x.dtype) as tf.Tensor4D;
    const dxPadded = stockGradient(scaled, padded, { filterSize, strides, pad: 'valid' });
    return tf.slice(dxPadded, [0, top, left, 0], x.shape);
  });
}

/** What installAvgPoolGradient replaced, on globalThis so that every copy of this module agrees. */
const AVG_POOL_GRADIENT_INSTALLATION = Symbol.for('mlspec.avgPoolGradientInstallation');

type GlobalWithAvgPoolGradient = typeof globalThis & { [AVG_POOL_GRADIENT_INSTALLATION]?: tf.GradConfig };

export function avgPoolGradientInstalled(): boolean {
  return (globalThis as GlobalWithAvgPoolGradient)[AVG_POOL_GRADIENT_INSTALLATION] != null;
}

/** Registers the corrected AvgPool gradient in tfjs's global gradient registry; idempotent. */
export function installAvgPoolGradient(): void {
  if (avgPoolGradientInstalled()) return;
  const stock = tf.getGradient(AVG_POOL_KERNEL);
  if (stock == null) {
    throw new Error(`mlspec: tfjs has no gradient for '${AVG_POOL_KERNEL}' (is @tensorflow/tfjs 4.22 installed?)`);
  }
  const stockGradFunc = stock.gradFunc;
  const stockGradient = (dy: tf.Tensor4D, x: tf.Tensor4D, attrs: AvgPoolAttrs): tf.Tensor =>
    (stockGradFunc(dy, [x], attrs as unknown as tf.NamedAttrMap) as { x: () => tf.Tensor }).x();
  const config: tf.GradConfig = {
    kernelName: AVG_POOL_KERNEL,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as tf.Tensor4D[];
      const poolAttrs = attrs as unknown as AvgPoolAttrs;
      return {
        x: () => correctedAvgPoolGradient(dy as tf.Tensor4D, x, poolAttrs, stockGradient) ?? stockGradient(dy as tf.Tensor4D, x, poolAttrs),
      };
    },
  };
  (globalThis as GlobalWithAvgPoolGradient)[AVG_POOL_GRADIENT_INSTALLATION] = stock;
  tf.registerGradient(config);
}

/** Puts tfjs's own AvgPool gradient back (for comparisons and tests). */
export function uninstallAvgPoolGradient(): void {
  const g = globalThis as GlobalWithAvgPoolGradient;
  const stock = g[AVG_POOL_GRADIENT_INSTALLATION];
  if (stock == null) return;
  tf.registerGradient(stock);
  delete g[AVG_POOL_GRADIENT_INSTALLATION];
}
