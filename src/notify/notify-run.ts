// After a run: which `notify:` channels its end calls for, their messages sent (in parallel, each
// retried), and how each went recorded in run.json and events.ndjson. Never changes the run.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { listRuns } from '../ledger/list-runs.js';
import { recordNotifications } from '../ledger/record-notifications.js';
import { readReportRun, REPORT_FILE, type ReportRun } from '../summary/report-page.js';
import type { NotifyChannel, NotifyOn } from '../workflow/types.js';
import { buildMessage, type NotifyEvent } from './message.js';
import { sendMessage, smallFile, type SendOptions, type SendResult } from './send.js';

/** A failed node's executed notebook is attached when at most this big. */
const MAX_NOTEBOOK_ATTACHMENT = 2 * 1024 * 1024;
const MAX_NOTEBOOK_ATTACHMENTS = 3;

export interface NotifyRunOptions extends Pick<SendOptions, 'retryDelayMs' | 'sleep'> {
  env: NodeJS.ProcessEnv;
  /** The run as read for its report, when it was just read. */
  data?: ReportRun;
  /** A channel's message could not be sent (after its retries). */
  warn?: (message: string) => void;
}

/** How the run ended, for `on:`; `recovered` when it succeeded after the workflow's last run failed. */
export async function runEndings(data: ReportRun): Promise<Set<NotifyOn>> {
  const status = data.run.status;
  const endings = new Set<NotifyOn>(['always']);
  if (status === 'failed') endings.add('failure');
  if (status === 'succeeded') {
    endings.add('success');
    if ((await previousStatus(data)) === 'failed') endings.add('recovered');
  }
  return endings;
}

/**
 * The status of the workflow's run before this one in the same runs directory (a resumed run's
 * is usually the run it resumed), ignoring runs cancelled or still going.
 */
async function previousStatus(data: ReportRun): Promise<string | undefined> {
  const runsDir = dirname(dirname(data.runDir));
  const runs = await listRuns(runsDir, data.run.workflow).catch(() => []);
  const before = runs
    .filter(
      (r) => r.runId !== data.run.runId && (r.startedAt ?? '') < data.run.startedAt && (r.status === 'failed' || r.status === 'succeeded'),
    )
    .sort((a, b) => ((a.startedAt ?? '') < (b.startedAt ?? '') ? 1 : -1));
  return before[0]?.status;
}

/** The event a channel's message is about, or undefined when the run's end is not one it is for. */
function eventFor(channel: NotifyChannel, endings: Set<NotifyOn>, status: string): NotifyEvent | undefined {
  if (channel.on.includes('recovered') && endings.has('recovered')) return 'recovered';
  if (channel.on.some((on) => endings.has(on))) return status === 'succeeded' ? 'success' : status === 'failed' ? 'failure' : 'cancelled';
  return undefined;
}

/** The report, and the failed nodes' notebooks that are small enough. */
function attachments(data: ReportRun, event: NotifyEvent): { filename: string; path: string }[] {
  const out: { filename: string; path: string }[] = [];
  const report = join(data.runDir, REPORT_FILE);
  if (existsSync(report)) out.push({ filename: REPORT_FILE, path: report });
  if (event !== 'failure') return out;
  for (const n of Object.values(data.run.nodes)) {
    for (const s of n.instances?.length ? n.instances : [n]) {
      const path = s?.status === 'failed' ? (s.notebookPath ?? s.attempts.at(-1)?.notebookPath) : undefined;
      if (
        !path ||
        out.filter((a) => a.filename !== REPORT_FILE).length >= MAX_NOTEBOOK_ATTACHMENTS ||
        !smallFile(path, MAX_NOTEBOOK_ATTACHMENT)
      )
        continue;
      out.push({ filename: basename(path), path });
    }
  }
  return out;
}

/**
 * Sends the messages `runDir`'s end calls for and records how each went; returns the results
 * (empty when no channel is for this end). Failures are warned about, never thrown.
 */
export async function notifyRun(runDir: string, channels: readonly NotifyChannel[], opts: NotifyRunOptions): Promise<SendResult[]> {
  if (channels.length === 0) return [];
  const data = opts.data ?? (await readReportRun(runDir));
  const endings = await runEndings(data);
  const due = channels.flatMap((c) => {
    const event = eventFor(c, endings, data.run.status);
    return event ? [{ channel: c, event }] : [];
  });
  if (due.length === 0) return [];
  const report = join(runDir, REPORT_FILE);
  const results = await Promise.all(
    due.map(async ({ channel, event }) => {
      const message = buildMessage(data, {
        event,
        subjectPrefix: channel.email?.subject,
        ...(existsSync(report) && { report }),
      });
      const result = await sendMessage(channel, message, { ...opts, attachments: channel.email ? attachments(data, event) : [] });
      return { result, event, at: new Date().toISOString() };
    }),
  );
  for (const { result } of results) {
    if (!result.ok)
      opts.warn?.(
        `notification through ${result.channel} was not sent${result.attempts ? ` after ${result.attempts} attempts` : ''}: ${result.error}`,
      );
  }
  await recordNotifications(
    runDir,
    results.map(({ result, event, at }) => ({
      channel: result.channel,
      event,
      attempts: result.attempts,
      ok: result.ok,
      at,
      ...(result.answer !== undefined && { answer: result.answer }),
      ...(result.error !== undefined && { error: result.error }),
    })),
  );
  return results.map((r) => r.result);
}

/**
 * `flow notify --test`: one test message through each channel, about no run (a record made up
 * for it), so that a channel can be checked before a run needs it.
 */
export async function testChannels(
  workflow: { name: string; file: string },
  channels: readonly NotifyChannel[],
  opts: Pick<NotifyRunOptions, 'env' | 'retryDelayMs' | 'sleep'>,
): Promise<SendResult[]> {
  const now = new Date().toISOString();
  const data: ReportRun = {
    run: {
      runId: 'test',
      workflow: workflow.name,
      workflowFile: workflow.file,
      runDir: '(no run: a test message)',
      params: {},
      startedAt: now,
      status: 'succeeded',
      nodes: {},
      logs: [],
      schemaVersion: 1,
      flowVersion: '',
      workflowHash: '',
      workflowSnapshot: { name: workflow.name, file: workflow.file, hash: '', nodes: {} },
      updatedAt: now,
    },
    runDir: '',
    gallery: { run: undefined as never, notebooks: [], items: [], problems: [] },
    missing: [],
    failingCells: {},
  };
  return Promise.all(
    channels.map((c) =>
      sendMessage(c, buildMessage(data, { event: 'test', subjectPrefix: c.email?.subject }), { ...opts, attachments: [] }),
    ),
  );
}
