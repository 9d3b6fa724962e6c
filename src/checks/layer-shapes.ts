import { defineRule } from './rule.js';

export const layerShapes = defineRule({
  id: 'layer-shapes',
  description: 'Every layer accepts the shape of its inputs (rank, merge shapes, reshape sizes, windows that fit).',
  needs: ['model'],
  check(_ir, context) {
    return context.shapes().diagnostics;
  },
});
