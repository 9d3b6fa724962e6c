/**
 * A module resolve hook (registered by fast-startup.ts) that points the 'chevrotain' specifier
 * at the single pre-bundled file the chevrotain package ships, lib/chevrotain.mjs, instead of its
 * entry point lib/src/api.js, which loads its sources and lodash-es as hundreds of modules.
 * Falls back to the normal resolution when the bundle is not there.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ResolveResult {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}

export async function resolve(
  specifier: string,
  context: unknown,
  nextResolve: (specifier: string, context?: unknown) => Promise<ResolveResult>,
): Promise<ResolveResult> {
  const result = await nextResolve(specifier, context);
  if (specifier !== 'chevrotain' || !result.url.endsWith('/lib/src/api.js')) return result;
  const bundle = new URL('../chevrotain.mjs', result.url);
  return existsSync(fileURLToPath(bundle)) ? { ...result, url: bundle.href, format: 'module' } : result;
}
