// `flow runs`: every recorded run under a runs directory, newest first.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { NodeStatus } from '../events/run-event.js';
import { countStatuses, type RunState } from '../events/run-state.js';
import { readRunRecord, runFromEvents, runIsAbandoned } from './read-run.js';

export interface RunListEntry {
  runId: string;
  workflow: string;
  /**
   * 'unreadable' when run.json is missing or broken (e.g. the run was killed at once);
   * 'abandoned' when it says running but its flow process is gone (see runIsAbandoned).
   */
  status: RunState['status'] | 'unreadable' | 'abandoned';
  startedAt?: string;
  durationMs?: number;
  counts: Partial<Record<NodeStatus, number>>;
  runDir: string;
  /** Set when run.json could not be read (why) and the entry comes from events.ndjson. */
  fromEvents?: string;
  /** What started it (manual, schedule, catchup, resume), and the time it is for. */
  trigger?: string;
  logicalDate?: string;
}

/** Runs of every workflow, or of `workflow` only; a missing runs directory has none. */
export async function listRuns(runsDir: string, workflow?: string): Promise<RunListEntry[]> {
  const workflows = workflow === undefined ? await subdirs(runsDir) : [workflow];
  const entries: RunListEntry[] = [];
  for (const wf of workflows) {
    for (const runId of await subdirs(join(runsDir, wf))) {
      const runDir = join(runsDir, wf, runId);
      try {
        const r = await readRunRecord(runDir);
        entries.push({
          runId: r.runId,
          workflow: r.workflow || wf,
          status: runIsAbandoned(r) ? 'abandoned' : r.status,
          startedAt: r.startedAt || undefined,
          durationMs: r.durationMs,
          counts: countStatuses(r),
          runDir,
          ...(r.trigger && { trigger: r.trigger }),
          ...(r.logicalDate && { logicalDate: r.logicalDate }),
        });
      } catch (err) {
        // What its events still say, when they say anything.
        const r = await runFromEvents(runDir).catch(() => undefined);
        if (!r) entries.push({ runId, workflow: wf, status: 'unreadable', counts: {}, runDir });
        else
          entries.push({
            runId: r.runId,
            workflow: r.workflow || wf,
            status: r.status === 'running' && runIsAbandoned(r) ? 'abandoned' : r.status,
            startedAt: r.startedAt || undefined,
            durationMs: r.durationMs,
            counts: countStatuses(r),
            runDir,
            fromEvents: (err as Error).message,
          });
      }
    }
  }
  // Run ids sort by time; ties (same second) keep a stable order by workflow.
  return entries.sort((a, b) => (a.runId === b.runId ? a.workflow.localeCompare(b.workflow) : a.runId < b.runId ? 1 : -1));
}

async function subdirs(dir: string): Promise<string[]> {
  try {
    const dirents = await readdir(dir, { withFileTypes: true });
    return dirents
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
