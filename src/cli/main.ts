#!/usr/bin/env node
// flow's entry point. `flow run` and `flow exec` get the embedded Jupyter server started here,
// before the rest of flow loads, so that its start overlaps flow's (early-server.ts); other
// commands, and --help, do not even load that code.
import { handleError } from './handle-error.js';

const argv = process.argv.slice(2);
const early = argv[0] === 'run' || argv[0] === 'exec' ? await import('./early-server.js') : undefined;
early?.startEarlyServer(argv);
try {
  const { main } = await import('./cli.js');
  await main(argv);
} catch (err) {
  process.exitCode = handleError(err);
}
await early?.stopUntakenServers();
// Exit as soon as the work is done: fetch's keep-alive sockets and the kernel client's timers
// would otherwise hold the process open for seconds. Exit once stdout and stderr have drained
// (into a pipe, a write is asynchronous: exiting before it is done loses the end of the output).
const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
await Promise.all([process.stdout, process.stderr].map((s) => new Promise((done) => s.write('', () => done(undefined)))));
process.exit(code);
