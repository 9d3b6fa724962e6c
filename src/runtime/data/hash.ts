import { createHash } from 'node:crypto';

/** Hex SHA-256 of raw bytes (a data file). */
export function dataSha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** JSON with object keys sorted, so equal configs hash equally whatever their key order. */
function dataCanonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(dataCanonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${dataCanonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Hash of generated data: its generator config plus the seed it was drawn with. */
export function dataGeneratorHash(config: object, seed: number): string {
  return dataSha256(dataCanonicalJson({ config, seed }));
}
