/**
 * Start-up time of the CLI. A cold `mlspec check` spent about 0.7 s of CPU importing chevrotain:
 * its package entry point is hundreds of small ES modules (its sources and lodash-es). The same
 * package ships the identical API bundled in one file; the resolve hook in chevrotain-hook.ts
 * loads that instead, which takes `check` from about 1.0 s to 0.6 s of CPU on the reference machine
 * (bench/check-latency.mjs). Only the CLI process registers it; libraries and tests importing
 * mlspec resolve chevrotain normally.
 */
import * as nodeModule from 'node:module';

let registered = false;

export function preferBundledChevrotain(): void {
  // module.register exists from Node 20.6; without it everything still works, only slower.
  if (registered || typeof nodeModule.register !== 'function') return;
  nodeModule.register('./chevrotain-hook.js', import.meta.url);
  registered = true;
}
