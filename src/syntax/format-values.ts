/** Canonical text of values and of the one-line items (properties and layer statements). */
import type { Argument, Property, Statement, Value } from './ast.js';

export function printValue(value: Value): string {
  switch (value.kind) {
    case 'number':
      return value.text;
    case 'string':
      return JSON.stringify(value.value);
    case 'ident':
      return value.name;
    case 'list':
      return `[${value.items.map(printValue).join(', ')}]`;
    case 'call':
      return `${value.callee.name}(${value.args.map(printArgument).join(', ')})`;
  }
}

function printArgument(arg: Argument): string {
  return arg.name ? `${arg.name.name}: ${printValue(arg.value)}` : printValue(arg.value);
}

export function printProperty(property: Property): string {
  return `${property.key.name}: ${printValue(property.value)}`;
}

export function printStatement(statement: Statement): string {
  const name = statement.name ? `${statement.name.name} = ` : '';
  const inputs = statement.inputs && statement.inputs.length > 0 ? ` <- ${statement.inputs.map((i) => i.name).join(', ')}` : '';
  return `${name}${printValue(statement.call)}${inputs}`;
}
