import type { CheckRule } from './rule.js';

export const layerShapes: CheckRule = {
  id: 'layer-shapes',
  description: 'Every layer accepts the shape of its inputs (rank, merge shapes, reshape sizes, windows that fit).',
  check(_ir, context) {
    return context.shapes().diagnostics;
  },
};
