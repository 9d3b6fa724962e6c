#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm run build` (run automatically by `npm install`).
import { main } from '../dist/src/cli/main.js';

// `mlspec ... | head` closes the pipe early: stop quietly instead of failing on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

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
);
