// Kernel warm-up, decided in one place: which kernels start before their node asks, how many, and
// when there is too little memory to bother.
//
// A kernel takes ≈0.6-0.8 s to start (DESIGN §6), and every node gets a fresh one. Three
// mechanisms move that start off the critical path; this module sets the policy for all three:
//
// 1. Prelaunch (embedded server only). `flow run` spawns the server first thing (cli/early-server.ts);
//    while it still imports (≈0.4 s), prelaunchFirstNodes sends it the kernels of the first nodes
//    (kernel/kernel-prelaunch.ts writes `{kernel_name, cwd}` lines to its stdin; the Python side
//    starts them and adopts one when POST /api/kernels asks for the same kernel in the same folder).
//    Only when they fit on the cores the server leaves idle: kernel starts are CPU-bound, and more
//    of them slowed the server that everything waits for (measured: 8 on 2 cores made it ready
//    ≈1 s later, and the run no sooner).
// 2. Pre-warming. Once the server is up, the executor asks the pool (kernel/kernel-pool.ts) for the
//    first nodes' kernels (a prelaunched one is simply adopted), and whenever a node ends the
//    scheduler names the nodes that wait only for it, two steps ahead; each kernel is reserved for
//    its node, at most MAX_WARM unclaimed at once, and one unclaimed for STALE_MS (a branch not
//    taken) makes room for the next.
// 3. Release. A used kernel is shut down in the background (≈0.3 s), not before the next node.
//
// None of it changes what runs: a hint not taken costs a kernel start, nothing else. And none of
// it happens below MEMORY_FLOOR of free memory, where an idle kernel's ≈60 MB matters more.
import { availableParallelism, freemem } from 'node:os';
import type { ReusedNode } from '../engine/run-options.js';
import type { Plan } from '../graph/types.js';
import type { KernelPoolOptions } from '../kernel/kernel-pool.js';
import { nodeKernelCwd, nodeKernelName } from '../kernel/node-kernel.js';
import { hasNotebook, type NotebookNodeSpec } from '../workflow/decision-nodes.js';

/** No kernel starts ahead of its node while the machine has less free memory than this. */
export const MEMORY_FLOOR = 512 * 2 ** 20;
/** Kernels started ahead and not yet claimed, at most. */
export const MAX_WARM = 2;
/** Nodes considered for pre-warming at once (the scheduler may name a whole fan-out). */
export const WARM_CANDIDATES = 4;
/** A kernel unclaimed for this long may be shut down to make room for another. */
export const STALE_MS = 30_000;

/** The pool's share of the policy (pre-warming, 2 above). */
export const poolWarmUp: Pick<KernelPoolOptions, 'maxWarm' | 'minFreeMemory' | 'staleMs'> = {
  maxWarm: MAX_WARM,
  minFreeMemory: MEMORY_FLOOR,
  staleMs: STALE_MS,
};

export interface FirstNodesOptions {
  only?: string[];
  reuse?: Record<string, ReusedNode>;
}

/** Nodes that wait for nothing: their kernels can start before the run does (a decision node has none). */
export function firstNodes(plan: Plan, o: FirstNodesOptions): NotebookNodeSpec[] {
  const selected = o.only ? new Set(o.only) : undefined;
  return plan.order
    .filter((id) => (plan.upstream[id] ?? []).length === 0 && !o.reuse?.[id] && (!selected || selected.has(id)))
    .map((id) => plan.workflow.nodes[id]!)
    .filter(hasNotebook);
}

/** Prelaunch (1 above) for a run: the first nodes' kernels, when they fit. */
export function prelaunchFirstNodes(
  plan: Plan,
  o: FirstNodesOptions & { concurrency?: number },
  prelaunch: (kernelName: string, cwd: string) => void,
): void {
  if (freemem() < MEMORY_FLOOR) return;
  const first = firstNodes(plan, o).slice(0, o.concurrency ?? plan.workflow.concurrency);
  if (first.length > prelaunchCores()) return;
  for (const node of first) {
    void nodeKernelName(node).then((name) => prelaunch(name, nodeKernelCwd(node)));
  }
}

/** Prelaunch (1 above) for one notebook (`flow exec`). */
export function prelaunchKernel(kernelName: string, cwd: string, prelaunch: (kernelName: string, cwd: string) => void): void {
  if (freemem() >= MEMORY_FLOOR) prelaunch(kernelName, cwd);
}

/** Kernels that may start alongside the server: the cores it leaves idle (one, on 2 cores). */
function prelaunchCores(): number {
  return Math.max(1, availableParallelism() - 1);
}
