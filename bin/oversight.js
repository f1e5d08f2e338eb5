#!/usr/bin/env node
// Runs the built command (npm install builds it; `npm run build` rebuilds it).
import('../dist/src/cli/run.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write(
      'oversight: the command is not built yet: run `npm install` (or `npm run build`) first\n',
    );
    process.exitCode = 1;
  } else throw error;
});
