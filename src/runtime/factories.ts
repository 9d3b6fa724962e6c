/**
 * Every factory a program calls, by the name the lowering (src/lower) uses, each remembering its
 * kind and config (describe.ts). `mlspec run` looks factories up here (src/interpret/registry.ts)
 * and compiled programs import them from the runtime folder's index.ts: the same functions.
 */
import * as clipping from './clipping.js';
import { csvDataSource as csvSource } from './data/csv-source.js';
import { imagesDataSource as imagesSource } from './data/images-source.js';
import { randomDataSource as randomSource } from './data/random-source.js';
import { sequenceDataSource as sequenceSource } from './data/sequence-source.js';
import { sineDataSource as sineSource } from './data/sine-source.js';
import { described } from './describe.js';
import * as losses from './losses.js';
import * as metrics from './metrics.js';
import { createAdagrad as adagrad } from './optimizers/adagrad.js';
import { createAdam as adam } from './optimizers/adam.js';
import { createAdamW as adamw } from './optimizers/adamw.js';
import { createGd as gd } from './optimizers/gd.js';
import { createMomentum as momentum } from './optimizers/momentum.js';
import { createRmsprop as rmsprop } from './optimizers/rmsprop.js';
import { createSgd as sgd } from './optimizers/sgd.js';
import { constantSchedule as constant } from './schedules/constant.js';
import { cosineDecay as cosine } from './schedules/cosine.js';
import { exponentialDecay as exponential } from './schedules/exponential.js';
import { inverseTimeDecay as inverseTime } from './schedules/inverse-time.js';
import { multistepDecay as multistep } from './schedules/multistep.js';
import { piecewiseConstant as piecewise } from './schedules/piecewise.js';
import { reduceOnPlateau as plateau } from './schedules/plateau.js';
import { polynomialDecay as polynomial } from './schedules/polynomial.js';
import { stepDecay as step } from './schedules/step.js';
import { linearWarmup as warmup } from './schedules/warmup.js';
import * as stopping from './stopping.js';

// Optimizers (the learning rate is passed to apply, so it is not part of their config).
export const createGd = described('gd', gd);
export const createSgd = described('sgd', sgd);
export const createMomentum = described('momentum', momentum);
export const createAdam = described('adam', adam);
export const createAdamW = described('adamw', adamw);
export const createRmsprop = described('rmsprop', rmsprop);
export const createAdagrad = described('adagrad', adagrad);

// Learning-rate schedules.
export const constantSchedule = described('constant', constant);
export const exponentialDecay = described('exponential', exponential);
export const stepDecay = described('step', step);
export const multistepDecay = described('multistep', multistep);
export const piecewiseConstant = described('piecewise', piecewise);
export const inverseTimeDecay = described('inverse_time', inverseTime);
export const polynomialDecay = described('polynomial', polynomial);
export const cosineDecay = described('cosine', cosine);
export const linearWarmup = described('warmup', warmup);
export const reduceOnPlateau = described('plateau', plateau);

// Losses.
export const mseLoss = described('mse', losses.mseLoss);
export const maeLoss = described('mae', losses.maeLoss);
export const huberLoss = described('huber', losses.huberLoss);
export const binaryCrossEntropyLoss = described('binary_cross_entropy', losses.binaryCrossEntropyLoss);
export const categoricalCrossEntropyLoss = described('categorical_cross_entropy', losses.categoricalCrossEntropyLoss);
export const sparseCategoricalCrossEntropyLoss = described('sparse_categorical_cross_entropy', losses.sparseCategoricalCrossEntropyLoss);

// Gradient clipping.
export const clipByValue = described('value', clipping.clipByValue);
export const clipByNorm = described('norm', clipping.clipByNorm);
export const clipByGlobalNorm = described('global_norm', clipping.clipByGlobalNorm);

// Metrics.
export const accuracyMetric = described('accuracy', metrics.accuracyMetric);
export const maeMetric = described('mae', metrics.maeMetric);
export const mseMetric = described('mse', metrics.mseMetric);
export const rmseMetric = described('rmse', metrics.rmseMetric);
export const r2Metric = described('r2', metrics.r2Metric);
export const precisionMetric = described('precision', metrics.precisionMetric);
export const recallMetric = described('recall', metrics.recallMetric);
export const f1Metric = described('f1', metrics.f1Metric);

// Stopping rules.
export const fixedEpochs = described('epochs', stopping.fixedEpochs);
export const convergence = described('converged', stopping.convergence);
export const earlyStopping = described('early', stopping.earlyStopping);

// Data sources.
export const csvDataSource = described('csv', csvSource);
export const randomDataSource = described('random', randomSource);
export const imagesDataSource = described('images', imagesSource);
export const sequenceDataSource = described('sequence', sequenceSource);
export const sineDataSource = described('sine', sineSource);
