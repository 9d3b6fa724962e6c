/**
 * Optional packages (tfjs-node, tfjs-node-gpu, webgpu, tfjs-backend-webgpu): whether Node can
 * find one from here (from a compiled program, once copied there), and importing it with the
 * specifier held in a variable, so that TypeScript neither resolves it nor needs its types.
 */
import { createRequire } from 'node:module';

export function isPackageInstalled(packageName: string): boolean {
  try {
    createRequire(import.meta.url).resolve(packageName);
    return true;
  } catch {
    return false;
  }
}

export async function importOptionalPackage<T>(packageName: string): Promise<T> {
  const specifier: string = packageName;
  return (await import(specifier)) as T;
}
