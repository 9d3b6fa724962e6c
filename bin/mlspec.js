#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm run build` (run automatically by `npm install`).
// The Node version is checked first, before any import that an old Node could fail on, so the
// CLI itself is loaded with a dynamic import.
import { nodeVersionProblem } from './node-version.js';

const tooOld = nodeVersionProblem(process.versions.node);
if (tooOld !== null) {
  process.stderr.write(`${tooOld}\n`);
  process.exit(2);
}

// `mlspec ... | head` closes the pipe early: stop quietly instead of failing on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

import('../dist/src/cli/main.js').then(
  ({ main }) =>
    main(process.argv.slice(2)).then(
      (code) => {
        process.exitCode = code;
      },
      (error) => {
        // Last resort: every expected failure is reported as a diagnostic before this point.
        console.error(`mlspec: internal error: ${error instanceof Error ? error.message : String(error)}`);
        console.error('Please report this with the spec that caused it.');
        process.exitCode = 70;
      },
    ),
  (error) => {
    const notBuilt = error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('/dist/');
    console.error(
      notBuilt
        ? 'mlspec: its compiled code (dist/) is missing; run `npm run build` in the mlspec folder (npm install does it too).'
        : `mlspec: cannot load its code: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = 2;
  },
);
