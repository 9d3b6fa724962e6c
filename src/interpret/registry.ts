/**
 * The runtime factories a plan description may call, by name: the described factories of
 * src/runtime/factories.ts (the ones compiled programs import) and the layer factories. A test
 * checks that every factory the lowering names is here.
 */
import * as factories from '../runtime/factories.js';
import * as graphLayers from '../runtime/layers/graph-layers.js';

type Factory = (...args: never[]) => unknown;

const modules: Record<string, unknown>[] = [factories, graphLayers];

export const RUNTIME_FACTORIES: ReadonlyMap<string, Factory> = new Map(
  modules.flatMap((m) => Object.entries(m).filter((e): e is [string, Factory] => typeof e[1] === 'function')),
);
