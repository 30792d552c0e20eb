#!/usr/bin/env node
// flow's entry point. A command that needs the embedded Jupyter server gets it started here,
// before the rest of flow loads, so that the server's start overlaps flow's (early-server.ts).
import { startEarlyServer, stopUntakenServers } from './early-server.js';
import { handleError } from './handle-error.js';

const argv = process.argv.slice(2);
startEarlyServer(argv);
try {
  const { main } = await import('./cli.js');
  await main(argv);
} catch (err) {
  process.exitCode = handleError(err);
}
await stopUntakenServers();
// Exit as soon as the work is done: fetch's keep-alive sockets and the kernel client's timers
// would otherwise hold the process open for seconds. Exit once stdout has drained.
const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
process.stdout.write('', () => process.exit(code));
