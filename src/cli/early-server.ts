// The embedded Jupyter server takes ≈0.5 s to start, and flow itself ≈0.3 s to load its
// commands and read a workflow: `flow run` and `flow exec` spawn the server first, from the
// entry point, so that the two overlap. Kept free of anything heavy: main.ts loads it before
// the rest of flow.
import { openServer, type ServerHandle } from '../run/server-handle.js';
import type { JupyterArgs } from './jupyter-options.js';

/** A server for these options, started now: its start overlaps whatever the command does next. */
function startServer(args: JupyterArgs): ServerHandle {
  return openServer({ jupyter: args.jupyter, serverUrl: args.serverUrl, ...(args.fork === false && { fork: false }) });
}

interface Pending {
  jupyter: string | undefined;
  fork: boolean;
  early: ServerHandle;
}
let pending: Pending | undefined;
/** Servers started on a wrong guess, being stopped: awaited before flow exits. */
const stopping: Promise<void>[] = [];

/** Options after which a command starts no server, or not an embedded one. */
const NO_EMBEDDED_SERVER = new Set([
  '-h',
  '--help',
  '-V',
  '--version',
  '--dry-run',
  '--dryRun',
  '--prepare-only',
  '--prepareOnly',
  '--server-url',
  '--serverUrl',
]);

/**
 * What argv asks for when it is `flow run …` or `flow exec …` that will need an embedded server:
 * the --jupyter it names. A guess from the words alone (yargs has not run yet): `takeEarlyServer`
 * checks it against what yargs parsed, and a wrong guess costs a server start, nothing else.
 */
export function earlyServerRequest(argv: readonly string[]): { jupyter: string | undefined; fork: boolean } | undefined {
  const [command, ...rest] = argv;
  if (command !== 'run' && command !== 'exec') return undefined;
  let jupyter: string | undefined;
  let fork = true;
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (word === '--') break;
    const flag = word.split('=', 1)[0]!;
    if (NO_EMBEDDED_SERVER.has(flag)) return undefined;
    if (word === '--jupyter') jupyter = rest[++i];
    else if (flag === '--jupyter') jupyter = word.slice('--jupyter='.length);
    else if (word === '--no-fork' || word === '--fork=false') fork = false;
    else if (word === '--fork' || word === '--fork=true') fork = true;
  }
  return { jupyter, fork };
}

/** Called first thing by the entry point. */
export function startEarlyServer(argv: readonly string[]): void {
  const request = earlyServerRequest(argv);
  if (!request) return;
  pending = { jupyter: request.jupyter, fork: request.fork, early: startServer({ jupyter: request.jupyter, fork: request.fork }) };
}

/**
 * The server the entry point started, when it was started with these options; else a new one.
 * Call it once a command knows it needs a server.
 */
export function takeEarlyServer(args: JupyterArgs): ServerHandle {
  const p = pending;
  pending = undefined;
  if (p && !args.serverUrl && p.jupyter === args.jupyter && p.fork === (args.fork ?? true)) return p.early;
  // A wrong guess: stopped now rather than left idle for the whole run (and awaited at exit).
  if (p) stopping.push(p.early.stop());
  return startServer(args);
}

/** Stops a server the entry point started that no command took (a dry run, a usage error). */
export async function stopUntakenServers(): Promise<void> {
  if (pending) stopping.push(pending.early.stop());
  pending = undefined;
  await Promise.all(stopping.splice(0));
}
