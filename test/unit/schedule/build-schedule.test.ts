// The `schedule:` section checked when the workflow loads: each mistake at its file:line:col, and a
// valid trigger's defaults.
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../src/errors.js';
import { workflowDiagnostics } from '../../helpers/workflow-diagnostics.js';
import { localTimezone } from '../../../src/workflow/build-schedule.js';
import { parseWorkflow } from '../../../src/workflow/load-workflow.js';

const head = `name: s
params:
  region: { type: string, enum: [north, south], default: north }
  limit: { default: 3 }
  label: { type: string, default: manual }
nodes:
  a:
    notebook: a.ipynb
schedule:
`;

async function load(schedule: string) {
  return parseWorkflow(head + schedule, '/w/wf.yml', { displayName: 'wf.yml' });
}

/** Every problem loading the workflow with this `schedule:` reports (its warnings when it loads). */
const errorsOf = (schedule: string) => workflowDiagnostics(head + schedule);

const CRON_HINT =
  'five fields (minute hour day month weekday) or six (seconds first), e.g. "0 6 L * *" for 06:00 on the last day of each month';

describe('schedule: mistakes at load, where they were written', () => {
  it('an invalid cron expression', async () => {
    expect(await errorsOf('  - cron: "61 * * * *"\n    timezone: UTC\n')).toEqual([
      `wf.yml:10:11: schedule[0]: "61 * * * *" is not a cron expression: Invalid value for minute: 61 — ${CRON_HINT}`,
    ]);
  });

  it('an unknown time zone, with did-you-mean', async () => {
    expect(await errorsOf('  - cron: "0 6 * * *"\n    timezone: Europe/Londn\n')).toEqual([
      'wf.yml:11:15: schedule[0]: "Europe/Londn" is not an IANA time zone — did you mean "Europe/London"?',
    ]);
  });

  it('an unknown time zone nothing is close to: how to write one', async () => {
    expect(await errorsOf('  - cron: "0 6 * * *"\n    timezone: Mars/Olympus_Mons\n')).toEqual([
      'wf.yml:11:15: schedule[0]: "Mars/Olympus_Mons" is not an IANA time zone — write it like Europe/London, America/New_York or UTC',
    ]);
  });

  it('an unknown param name, at its key, with did-you-mean', async () => {
    expect(await errorsOf('  - cron: "0 6 * * *"\n    timezone: UTC\n    params: { limt: 4 }\n')).toEqual([
      'wf.yml:12:15: schedule[0].params: unknown param "limt" — did you mean "limit"?',
    ]);
  });

  it('a param value of the wrong type, at the value', async () => {
    expect(await errorsOf('  - cron: "0 6 * * *"\n    timezone: UTC\n    params: { label: 5 }\n')).toEqual([
      'wf.yml:12:22: schedule[0]: params.label: 5 is not a string',
    ]);
  });

  it('a param value that is not an integer says "an integer"', async () => {
    expect(await errorsOf('  - cron: "0 6 * * *"\n    timezone: UTC\n    params: { limit: many }\n')).toEqual([
      'wf.yml:12:22: schedule[0]: params.limit: "many" is not an integer',
    ]);
  });

  it('an enum value not allowed', async () => {
    expect(await errorsOf('  - cron: "0 6 * * *"\n    timezone: UTC\n    params: { region: east }\n')).toEqual([
      'wf.yml:12:23: schedule[0]: params.region: "east" is not one of "north", "south"',
    ]);
  });

  it('a catchup or overlap policy that does not exist', async () => {
    expect(await errorsOf('  - cron: "0 6 * * *"\n    timezone: UTC\n    catchup: sometimes\n')).toEqual([
      'wf.yml:12:14: schedule[0].catchup: "sometimes" is not one of none, latest, all',
    ]);
    expect(await errorsOf('  - cron: "0 6 * * *"\n    timezone: UTC\n    overlap: wait\n')).toEqual([
      'wf.yml:12:14: schedule[0].overlap: "wait" is not one of skip, queue, cancel_running, allow',
    ]);
  });

  it('every mistake at once, across triggers', async () => {
    const yaml = '  - cron: "0 6 * * *"\n    timezone: Europe/Londn\n    params: { label: 5 }\n  - cron: "61 * * * *"\n    timezone: UTC\n';
    expect(await errorsOf(yaml)).toEqual([
      'wf.yml:11:15: schedule[0]: "Europe/Londn" is not an IANA time zone — did you mean "Europe/London"?',
      'wf.yml:12:22: schedule[0]: params.label: 5 is not a string',
      `wf.yml:13:11: schedule[1]: "61 * * * *" is not a cron expression: Invalid value for minute: 61 — ${CRON_HINT}`,
    ]);
  });

  it('two triggers with the same name, at the second', async () => {
    const yaml = '  - name: daily\n    cron: "0 6 * * *"\n    timezone: UTC\n  - name: daily\n    cron: "0 7 * * *"\n    timezone: UTC\n';
    expect(await errorsOf(yaml)).toEqual(['wf.yml:13:5: schedule[1]: a second trigger called "daily" — give each trigger its own name:']);
  });

  it('two unnamed triggers with the same cron and time zone (the same key)', async () => {
    const yaml = '  - cron: "0 6 * * *"\n    timezone: UTC\n  - cron: "0 6 * * *"\n    timezone: UTC\n';
    expect(await errorsOf(yaml)).toEqual([
      'wf.yml:12:5: schedule[1]: a second trigger called "0 6 * * * UTC" — give each trigger its own name:',
    ]);
  });

  it('max_catchup without catchup: all is a warning, and the workflow loads', async () => {
    const { workflow, warnings } = await load('  - cron: "0 6 * * *"\n    timezone: UTC\n    max_catchup: 3\n');
    expect(warnings.map(formatDiagnostic)).toEqual(['wf.yml:12:5: warning: schedule[0]: max_catchup only counts under catchup: all']);
    expect(workflow.schedule).toHaveLength(1);
  });

  it('max_catchup below 1 is an error', async () => {
    expect(await errorsOf('  - cron: "0 6 * * *"\n    timezone: UTC\n    catchup: all\n    max_catchup: 0\n')).toEqual([
      'wf.yml:13:18: schedule[0].max_catchup: 0 is less than 1',
    ]);
  });
});

describe('schedule: valid triggers', () => {
  it('a named trigger keeps its name as key and its settings', async () => {
    const yaml =
      '  - name: month-end\n    cron: "0 6 L * *"\n    timezone: Europe/London\n    params: { region: south, limit: 5 }\n    catchup: all\n    max_catchup: 3\n    overlap: queue\n';
    const { workflow } = await load(yaml);
    expect(workflow.schedule).toEqual([
      {
        key: 'month-end',
        cron: '0 6 L * *',
        timezone: 'Europe/London',
        params: { region: 'south', limit: 5 },
        catchup: 'all',
        maxCatchup: 3,
        overlap: 'queue',
        pos: { file: 'wf.yml', line: 10, col: 5 },
      },
    ]);
  });

  it('an unnamed trigger is keyed `<cron> <timezone>`, with catchup latest, overlap skip and max_catchup 10', async () => {
    const { workflow } = await load('  - cron: "*/5 * * * *"\n    timezone: Europe/London\n');
    expect(workflow.schedule).toEqual([
      {
        key: '*/5 * * * * Europe/London',
        cron: '*/5 * * * *',
        timezone: 'Europe/London',
        params: {},
        catchup: 'latest',
        maxCatchup: 10,
        overlap: 'skip',
        pos: { file: 'wf.yml', line: 10, col: 5 },
      },
    ]);
  });

  it("without a time zone, the machine's, in the key too", async () => {
    const { workflow } = await load('  - cron: "0 6 * * 1"\n');
    expect(workflow.schedule![0]).toMatchObject({ key: `0 6 * * 1 ${localTimezone()}`, timezone: localTimezone() });
  });

  it('a cron that can never fire (30 February) loads: the scheduler will say it never fires', async () => {
    const { workflow } = await load('  - cron: "0 0 30 2 *"\n    timezone: UTC\n');
    expect(workflow.schedule![0]!.key).toBe('0 0 30 2 * UTC');
  });
});
