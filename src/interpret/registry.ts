/**
 * The runtime factories a plan description may call, by name. The emitter finds the same
 * names in the runtime sources; a test checks that every factory the lowering names is here.
 */
import * as clipping from '../runtime/clipping.js';
import * as csvSource from '../runtime/data/csv-source.js';
import * as imagesSource from '../runtime/data/images-source.js';
import * as randomSource from '../runtime/data/random-source.js';
import * as sequenceSource from '../runtime/data/sequence-source.js';
import * as sineSource from '../runtime/data/sine-source.js';
import * as graphLayers from '../runtime/layers/graph-layers.js';
import * as losses from '../runtime/losses.js';
import * as metrics from '../runtime/metrics.js';
import * as adagrad from '../runtime/optimizers/adagrad.js';
import * as adam from '../runtime/optimizers/adam.js';
import * as adamw from '../runtime/optimizers/adamw.js';
import * as gd from '../runtime/optimizers/gd.js';
import * as momentum from '../runtime/optimizers/momentum.js';
import * as rmsprop from '../runtime/optimizers/rmsprop.js';
import * as sgd from '../runtime/optimizers/sgd.js';
import * as constant from '../runtime/schedules/constant.js';
import * as cosine from '../runtime/schedules/cosine.js';
import * as exponential from '../runtime/schedules/exponential.js';
import * as inverseTime from '../runtime/schedules/inverse-time.js';
import * as multistep from '../runtime/schedules/multistep.js';
import * as piecewise from '../runtime/schedules/piecewise.js';
import * as plateau from '../runtime/schedules/plateau.js';
import * as polynomial from '../runtime/schedules/polynomial.js';
import * as step from '../runtime/schedules/step.js';
import * as warmup from '../runtime/schedules/warmup.js';
import * as stopping from '../runtime/stopping.js';

type Factory = (...args: never[]) => unknown;

const modules: Record<string, unknown>[] = [
  clipping, losses, metrics,
  csvSource, imagesSource, randomSource, sequenceSource, sineSource, graphLayers,
  adagrad, adam, adamw, gd, momentum, rmsprop, sgd,
  constant, cosine, exponential, inverseTime, multistep, piecewise, plateau, polynomial, step, warmup,
  stopping,
];

export const RUNTIME_FACTORIES: ReadonlyMap<string, Factory> = new Map(
  modules.flatMap((m) => Object.entries(m).filter((e): e is [string, Factory] => typeof e[1] === 'function')),
);
