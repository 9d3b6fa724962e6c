/**
 * Chevrotain, loaded from the single-file bundle its package ships (lib/chevrotain.mjs) instead
 * of its package entry, which is hundreds of small ES modules (its sources and lodash-es) and
 * cost a cold `mlspec check` about 0.4 s of CPU. The package's "exports" map hides the bundle,
 * so it is found next to the entry point. Same version, same API; types come from the package.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

type Chevrotain = typeof import('chevrotain');

const entry = createRequire(import.meta.url).resolve('chevrotain'); // .../chevrotain/lib/src/api.js
const bundle = pathToFileURL(path.join(path.dirname(entry), '..', 'chevrotain.mjs')).href;
const chevrotain = (await import(bundle)) as Chevrotain;

export const { createToken, Lexer, CstParser, EOF } = chevrotain;
