import { describe, expect, it } from 'vitest';
import { callText } from '../../src/plan/call-text.js';

const span = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 1 } };

describe('callText', () => {
  it('writes a node as a call with its options, leaving out spans', () => {
    expect(callText({ kind: 'exponential', rate: 0.5, every: 50, staircase: false, unit: 'epoch', span, spans: {} } as never)).toBe(
      'exponential(rate: 0.5, every: 50, staircase: false, unit: epoch)',
    );
  });

  it('writes a node without options as its kind, and nests calls and lists', () => {
    expect(callText({ kind: 'constant', span, spans: {} } as never)).toBe('constant');
    expect(callText({ kind: 'warmup', steps: 30, then: { kind: 'multistep', milestones: [5, 9], factor: 0.1, span }, span } as never)).toBe(
      'warmup(steps: 30, then: multistep(milestones: [5, 9], factor: 0.1))',
    );
  });
});
