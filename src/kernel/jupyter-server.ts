// The embedded Jupyter server: started on 127.0.0.1 with a random token, stopped at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JupyterServerError } from '../errors.js';
import { pythonPackageFile } from '../python-package.js';
import { findFreePort } from './free-port.js';
import type { KernelPrelaunch } from './kernel-prelaunch.js';
import { restRequest, type ServerEndpoint } from './kernel-rest.js';
import { cleanStaleRuntimeDirs, RUNTIME_PREFIX } from './stale-runtime.js';
import { settleWithin } from '../settle-within.js';

export type { ServerEndpoint };

export interface JupyterServer extends ServerEndpoint {
  /** Stops the server and its kernels; idempotent. */
  stop(): Promise<void>;
  /** Whether flow started it (false for --server-url). */
  readonly embedded: boolean;
  /**
   * A Jupyter Enterprise Gateway (no /api/status, no contents API): its kernels take their
   * folder from KERNEL_WORKING_DIR, not from a path.
   */
  readonly gateway?: boolean;
  /** An embedded server: settles when its process has exited (killed, or crashed, or stopped). */
  readonly exited?: Promise<void>;
}

export interface StartServerOptions {
  /** The `jupyter` executable (see findJupyter). */
  jupyter: string;
  /** Abandons a start still under way (e.g. the workflow turned out invalid): the server is killed. */
  signal?: AbortSignal;
  /** Root of the files the server may start kernels in. @default '/' */
  rootDir?: string;
  /** @default 60000 */
  startTimeoutMs?: number;
  /** Receives the server's log lines (never printed by default). */
  log?: (line: string) => void;
  /** Kernels to start while the server itself starts (the bootstrap's prelaunch). */
  prelaunch?: KernelPrelaunch;
  /** Whether the server forks Python kernels (FLOW_FORK for it). @default true, unless $FLOW_FORK is 0 */
  fork?: boolean;
}

const PORT_TAKEN = /is not available|address already in use/i;
/** How often a starting server is asked whether it answers: a refused connection costs ≈0.1 ms. */
const READY_POLL_MS = 20;

/** Starts `jupyter server`, retrying on a port race; resolves once /api/status answers 200. */
export async function startJupyterServer(opts: StartServerOptions): Promise<JupyterServer> {
  cleanStaleRuntimeDirs();
  const runtimeDir = mkdtempSync(join(tmpdir(), `${RUNTIME_PREFIX}${process.pid}-`));
  // flow's Python package, loaded by path: the config (patches, watchdog, settings) and the
  // fast path's entry point (`ps` shows …/flow_jupyter/server.py).
  const configFile = pythonPackageFile('config.py');
  const bootstrapFile = pythonPackageFile('server.py');
  const token = randomBytes(24).toString('hex');
  let lastError: unknown;
  let command = serverCommand(opts.jupyter, bootstrapFile);
  for (let tries = 0; tries < 5; tries++) {
    const port = await findFreePort();
    try {
      return await launch(opts, { port, token, runtimeDir, configFile, command });
    } catch (err) {
      lastError = err;
      if (!(err instanceof JupyterServerError && err.log !== undefined)) break;
      if (PORT_TAKEN.test(err.log)) continue;
      // The fast path runs the interpreter of `jupyter` directly; if that failed to start for
      // any other reason, fall back to `jupyter server` itself, which reports its own errors.
      if (command.fast) command = plainCommand(opts.jupyter);
      else break;
    }
  }
  rmSync(runtimeDir, { recursive: true, force: true });
  throw lastError;
}

interface ServerCommand {
  /** Executable and the arguments that come before the server's own. */
  file: string;
  prefix: string[];
  /** Whether this is the interpreter with flow's bootstrap (python/flow_jupyter/server.py). */
  fast: boolean;
}

function plainCommand(jupyter: string): ServerCommand {
  return { file: jupyter, prefix: ['server'], fast: false };
}

/**
 * `jupyter server` spends ~1.2 s of CPU importing a parser it never uses, and starts no kernel
 * before it has imported everything: run the `jupyter` script's own Python with a bootstrap that
 * skips the one and starts kernels early (python/flow_jupyter/server.py). A `jupyter` that is not a Python
 * script (a shell wrapper, a binary) is run as it is.
 */
export function serverCommand(jupyter: string, bootstrapFile: string): ServerCommand {
  const python = jupyterPython(jupyter);
  if (!python) return plainCommand(jupyter);
  const [file, ...rest] = python;
  // A script file, not `-c`: the server's sys.path[0] is then flow's python/ folder (server.py
  // puts it there), never the folder flow runs in, where a project's own modules could shadow
  // the server's.
  return { file: file!, prefix: [...rest, bootstrapFile], fast: true };
}

/**
 * The interpreter (with its arguments, e.g. `/usr/bin/env python3`) of a `jupyter` script, read
 * from its `#!` line; undefined when it is not a Python script.
 */
export function jupyterPython(jupyter: string): string[] | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(jupyter, 'r');
    const buf = Buffer.alloc(256);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const line = buf.subarray(0, n).toString('utf8').split('\n')[0]!;
    if (!line.startsWith('#!')) return undefined;
    const words = line.slice(2).trim().split(/\s+/).filter(Boolean);
    return words.length > 0 && /python[\d.]*$/.test(words[words.length - 1]!) ? words : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

interface LaunchSpec {
  port: number;
  token: string;
  runtimeDir: string;
  configFile: string;
  command: ServerCommand;
}

async function launch(opts: StartServerOptions, spec: LaunchSpec): Promise<JupyterServer> {
  const args = [
    `--config=${spec.configFile}`,
    '--no-browser',
    '--ip=127.0.0.1',
    `--port=${spec.port}`,
    '--port-retries=0',
    `--ServerApp.root_dir=${opts.rootDir ?? '/'}`,
  ];
  // Jupyter refuses to run as root without it (containers, CI).
  if (process.getuid?.() === 0) args.push('--allow-root');
  // Token and runtime dir go by environment, never on the command line (visible in `ps`).
  const env = {
    ...process.env,
    JUPYTER_TOKEN: spec.token,
    JUPYTER_RUNTIME_DIR: spec.runtimeDir,
    FLOW_WATCHDOG: '1',
    PYTHONUNBUFFERED: '1',
    // Said explicitly, it wins over a FLOW_FORK flow itself was given.
    ...(opts.fork !== undefined && { FLOW_FORK: opts.fork ? '1' : '0' }),
  };
  const argv = [...spec.command.prefix, ...args];
  if (opts.signal?.aborted) throw new JupyterServerError('the Jupyter server start was abandoned');
  // Its own process group: Ctrl-C in a terminal signals the whole foreground group, and the
  // server would stop by itself before flow could interrupt kernels and save notebooks. The
  // watchdog in the config file still stops it if flow dies.
  // stdin carries kernel prelaunch requests to the bootstrap, and its end means flow is gone:
  // the bootstrap then stops the server and any kernel it started early.
  const child = spawn(spec.command.file, argv, { env, stdio: [spec.command.fast ? 'pipe' : 'ignore', 'pipe', 'pipe'], detached: true });
  if (spec.command.fast && opts.prelaunch) opts.prelaunch.attach(child.stdin!);
  const logLines: string[] = [];
  const onData = (buf: Buffer) => {
    for (const line of buf.toString('utf8').split('\n')) {
      if (!line) continue;
      logLines.push(line);
      if (logLines.length > 200) logLines.shift();
      opts.log?.(line);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const baseUrl = `http://127.0.0.1:${spec.port}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);

  const aborted = new Promise<void>((resolve) => {
    if (opts.signal?.aborted) resolve();
    opts.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  for (;;) {
    const outcome = await Promise.race([
      exited.then((code) => ({ kind: 'exit' as const, code })),
      spawnError.then((error) => ({ kind: 'error' as const, error })),
      aborted.then(() => ({ kind: 'aborted' as const })),
      sleep(READY_POLL_MS).then(() => ({ kind: 'tick' as const })),
    ]);
    if (outcome.kind === 'aborted') {
      // Nothing of flow's runs on it yet. Gone before this returns, so that flow never exits
      // leaving it (or a kernel it started early) behind, even for a moment.
      await abandon(child, exited, spawnError);
      throw new JupyterServerError('the Jupyter server start was abandoned');
    }
    if (outcome.kind === 'error') {
      throw new JupyterServerError(`could not start ${spec.command.file}: ${outcome.error.message}`, undefined, '');
    }
    if (outcome.kind === 'exit') {
      const log = logLines.join('\n');
      throw new JupyterServerError(
        `jupyter server exited with code ${outcome.code} before it was ready`,
        `command: ${opts.jupyter} server ${args.join(' ')}${spec.command.fast ? ` (run as ${spec.command.file} ${spec.command.prefix.join(' ')})` : ''}\n${tail(log)}`,
        log,
      );
    }
    if (await isReady(baseUrl, spec.token)) break;
    if (Date.now() > deadline) {
      await abandon(child, exited, spawnError);
      throw new JupyterServerError(
        `jupyter server did not answer on ${baseUrl} within ${Math.round((opts.startTimeoutMs ?? 60_000) / 1000)}s`,
        tail(logLines.join('\n')),
      );
    }
  }

  let stopping: Promise<void> | undefined;
  return {
    baseUrl,
    token: spec.token,
    embedded: true,
    exited: exited.then(() => undefined),
    stop: () =>
      (stopping ??= (async () => {
        // POST /api/shutdown stops kernels and exits at once; on SIGTERM Jupyter Server 2.x
        // takes ~5 s (measured). Signals remain the fallback.
        await requestShutdown(baseUrl, spec.token);
        // Not answered: the end of stdin makes the bootstrap stop it (else the signals below).
        child.stdin?.end();
        await killTree(child);
        // A server that did not stop its kernels (it was killed, ran out of memory, hung) leaves
        // them running: each was given a connection file in the runtime folder, which names them.
        // Searched for after a stop it answered too: its fork server exits only once it reads the
        // end of its requests, an instant after the server has answered.
        killProcessesNaming(spec.runtimeDir);
        rmSync(spec.runtimeDir, { recursive: true, force: true });
      })()),
  };
}

async function isReady(baseUrl: string, token: string): Promise<boolean> {
  try {
    // Not fetch: its keep-alive socket would stay open for seconds after the server answered.
    return (await restRequest({ baseUrl, token }, 'GET', '/api/status')).status === 200;
  } catch {
    return false;
  }
}

/** Whether the server took the shutdown (it then stops its kernels itself). */
async function requestShutdown(baseUrl: string, token: string): Promise<boolean> {
  try {
    const res = await restRequest({ baseUrl, token }, 'POST', '/api/shutdown', { timeoutMs: 2000 });
    return res.status < 300;
  } catch {
    return false; // not answering: the signals below take over
  }
}

/**
 * Stops a server that is still starting: the end of its stdin has the bootstrap stop the kernels
 * it started early and exit; SIGKILL if it has not exited within a second.
 */
async function abandon(child: ChildProcess, exited: Promise<unknown>, spawnError: Promise<unknown>): Promise<void> {
  const gone = Promise.race([exited, spawnError]).then(() => true);
  if (child.stdin) {
    child.stdin.end();
    if (await settleWithin(gone, 1000)) return;
  }
  child.kill('SIGKILL');
  await gone;
}

/** SIGTERM lets Jupyter shut its kernels down; SIGKILL after a grace period. */
async function killTree(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Give a requested shutdown a moment to finish before signalling.
  if (await settleWithin(exited, 2000)) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** SIGKILLs every process whose command line or environment names `dir` (Linux: read from /proc). */
export function killProcessesNaming(dir: string): number {
  let killed = 0;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return 0; // no /proc: nothing to find
  }
  for (const pid of pids) {
    try {
      // A forked kernel's command line is its fork server's: its environment names the folder.
      const named = (file: string) => readFileSync(`/proc/${pid}/${file}`, 'utf8').includes(`${dir}`);
      if (!named('cmdline') && !named('environ')) continue;
      process.kill(Number(pid), 'SIGKILL');
      killed++;
    } catch {
      // gone meanwhile, or not ours
    }
  }
  return killed;
}

function tail(log: string, lines = 15): string {
  return log.split('\n').slice(-lines).join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
