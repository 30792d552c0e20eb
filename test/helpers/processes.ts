// The Jupyter server and kernel processes that belong to one flow process, read from /proc.
// Other engineers and test files run kernels on this machine at the same time, so a process
// counts only if it descends from that flow process, or, once flow is gone (SIGKILL orphans
// its children to init), if it still points at flow's runtime dir
// `/tmp/flow-jupyter-runtime-<flow pid>-XXXX`: the server through its --config path and
// environment, each kernel through its connection file and environment.
import { readFileSync, readdirSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The command line, arguments joined by spaces. */
  cmdline: string;
  /** A forked kernel is a child of the fork server, with its command line (`…/forkserver.py`). */
  kind: 'jupyter-server' | 'fork-server' | 'kernel' | 'other';
}

interface Raw {
  pid: number;
  ppid: number;
  state: string;
}

/** Every live process (zombies are dead: they are left out). */
function scan(): Raw[] {
  const out: Raw[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readOr(`/proc/${name}/stat`);
    if (!stat) continue;
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so parse after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (rest[0] === 'Z' || rest[0] === 'X') continue;
    out.push({ pid: Number(name), ppid: Number(rest[1]), state: rest[0] });
  }
  return out;
}

function readOr(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // gone since readdir, or not ours to read
  }
}

const FORK_SERVER = /flow_jupyter\/forkserver\.py/;

function describe(pid: number, ppid: number): ProcessInfo {
  const cmdline = (readOr(`/proc/${pid}/cmdline`) ?? '').split('\0').filter(Boolean).join(' ');
  const kind = FORK_SERVER.test(cmdline)
    ? FORK_SERVER.test(readOr(`/proc/${ppid}/cmdline`) ?? '')
      ? 'kernel'
      : 'fork-server'
    : /ipykernel|kernel-[0-9a-f-]+\.json/.test(cmdline)
      ? 'kernel'
      : /jupyter[- ]server|jupyter_server|flow_jupyter\/server\.py/.test(cmdline)
        ? 'jupyter-server'
        : 'other';
  return { pid, ppid, cmdline, kind };
}

/** The runtime dir prefix that marks everything flow process `flowPid` started. */
export function runtimeMarker(flowPid: number): string {
  return `/flow-jupyter-runtime-${flowPid}-`;
}

/**
 * The processes of flow process `flowPid` (itself excluded): its descendants while it lives,
 * and any process whose command line or environment names its runtime dir.
 */
export function flowProcesses(flowPid: number): ProcessInfo[] {
  // An undefined pid (execa's awaited result has none) would find nothing and pass vacuously.
  if (!Number.isInteger(flowPid) || flowPid <= 0) throw new Error(`flowProcesses: not a pid: ${flowPid}`);
  const all = scan();
  const children = new Map<number, number[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const found = new Map<number, ProcessInfo>();
  const byPid = new Map(all.map((p) => [p.pid, p]));
  const stack = [...(children.get(flowPid) ?? [])];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (found.has(pid)) continue;
    found.set(pid, describe(pid, byPid.get(pid)!.ppid));
    stack.push(...(children.get(pid) ?? []));
  }
  const marker = runtimeMarker(flowPid);
  for (const p of all) {
    if (p.pid === flowPid || found.has(p.pid)) continue;
    const info = describe(p.pid, p.ppid);
    if (info.cmdline.includes(marker) || (readOr(`/proc/${p.pid}/environ`) ?? '').includes(marker)) found.set(p.pid, info);
  }
  return [...found.values()].sort((a, b) => a.pid - b.pid);
}

/** Flow's Jupyter server and kernels (what must not outlive a run). */
export function jupyterProcesses(flowPid: number): ProcessInfo[] {
  return flowProcesses(flowPid).filter((p) => p.kind !== 'other');
}

/**
 * Polls until flow's Jupyter processes are gone or `withinMs` passes; returns the survivors
 * (empty: none left). A bound, not a timing: it only decides how long to keep looking.
 */
export async function waitForNoJupyter(flowPid: number, withinMs: number): Promise<ProcessInfo[]> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const left = jupyterProcesses(flowPid);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `pid kind cmdline` lines, for assertion messages. */
export function formatProcesses(list: readonly ProcessInfo[]): string {
  return list.map((p) => `${p.pid} ${p.kind} ${p.cmdline}`).join('\n');
}
