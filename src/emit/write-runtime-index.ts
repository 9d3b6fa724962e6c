/**
 * Build step (`npm run build`): writes dist/runtime-index.json, the runtime index that
 * `mlspec compile` would otherwise compute by parsing src/runtime on every call.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultRuntimeDir, loadRuntimeIndex, runtimeDigest, serializeRuntimeIndex } from './runtime-index.js';

const runtimeDir = defaultRuntimeDir();
const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../runtime-index.json');
fs.writeFileSync(out, serializeRuntimeIndex(loadRuntimeIndex(runtimeDir), runtimeDigest(runtimeDir)));
