import { main } from './main.js';
import { processIo } from './io.js';

// The `oversight` command's entry point: everything else lives in main.ts, which tests run in-process.
process.exitCode = await main(process.argv.slice(2), processIo());
