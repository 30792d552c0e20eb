// After a run has ended and its record is closed: how its notifications went, appended to
// events.ndjson and set in run.json (written again atomically: the previous record stays whole).
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NotificationOutcome, RunEvent } from '../events/run-event.js';
import { bigintReplacer, writeFileAtomic } from './atomic-write.js';
import { readRunRecord } from './read-run.js';
import { EVENTS_FILE, RUN_FILE } from './run-dir.js';

export async function recordNotifications(runDir: string, outcomes: (NotificationOutcome & { ok: boolean; at: string })[]): Promise<void> {
  if (outcomes.length === 0) return;
  const events: RunEvent[] = outcomes.map(({ ok, at, ...o }) => ({ type: ok ? 'notification_sent' : 'notification_failed', at, ...o }));
  await appendFile(join(runDir, EVENTS_FILE), events.map((e) => `${JSON.stringify(e)}\n`).join(''));
  const record = await readRunRecord(runDir);
  record.notifications = [...(record.notifications ?? []), ...outcomes];
  await writeFileAtomic(join(runDir, RUN_FILE), `${JSON.stringify(record, bigintReplacer, 2)}\n`);
}
