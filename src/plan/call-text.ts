/** An IR node (schedule, optimizer, loss, stop rule) written back in the spec's call syntax, with every default filled in. */

function optionText(value: unknown): string {
  if (typeof value === 'object' && value !== null && 'kind' in value) return callText(value as { kind: string });
  if (Array.isArray(value)) return `[${value.map(optionText).join(', ')}]`;
  return String(value);
}

/** `kind(option: value, ...)` of an IR node, without its spans; `kind` alone when it has no options. */
export function callText(node: { kind: string }): string {
  const options = Object.entries(node).filter(([key]) => key !== 'kind' && key !== 'span' && key !== 'spans');
  if (options.length === 0) return node.kind;
  return `${node.kind}(${options.map(([key, value]) => `${key}: ${optionText(value)}`).join(', ')})`;
}
