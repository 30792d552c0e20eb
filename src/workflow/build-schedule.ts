// The `schedule:` section → ScheduleTriggers: each cron expression parsed by croner and each time
// zone checked when the workflow loads, at line:col, as every other mistake.
import { Cron } from 'croner';
import type { Diagnostic } from '../errors.js';
import { didYouMean } from './did-you-mean.js';
import { matchesType, showValue } from './param-types.js';
import { DEFAULT_MAX_CATCHUP } from './schedule-kinds.js';
import type { RawWorkflow } from './schema.js';
import type { SourceMap } from './source-map.js';
import type { ParamSpec, ScheduleTrigger } from './types.js';

type RawTrigger = NonNullable<RawWorkflow['schedule']>[number];

/** The machine's IANA time zone. */
export function localTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

let zones: string[] | undefined;
function knownZones(): string[] {
  zones ??= Intl.supportedValuesOf('timeZone');
  return zones;
}

export function isTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function buildSchedule(
  raw: readonly RawTrigger[],
  params: Readonly<Record<string, ParamSpec>>,
  src: SourceMap,
  diags: Diagnostic[],
): ScheduleTrigger[] {
  const out: ScheduleTrigger[] = [];
  const keys = new Set<string>();
  raw.forEach((t, i) => {
    const at = ['schedule', i];
    const error = (path: (string | number)[], message: string, hint?: string) =>
      diags.push({ severity: 'error', pos: src.valuePos(path), message: `schedule[${i}]: ${message}`, ...(hint && { hint }) });
    const timezone = t.timezone ?? localTimezone();
    let ok = true;
    if (t.timezone !== undefined && !isTimezone(t.timezone)) {
      error(
        [...at, 'timezone'],
        `"${t.timezone}" is not an IANA time zone`,
        didYouMean(t.timezone, knownZones()) ?? 'write it like Europe/London, America/New_York or UTC',
      );
      ok = false;
    }
    if (ok) {
      try {
        new Cron(t.cron, { timezone, paused: true }).stop();
      } catch (err) {
        error(
          [...at, 'cron'],
          `"${t.cron}" is not a cron expression: ${(err as Error).message.replace(/^CronPattern: /, '')}`,
          'five fields (minute hour day month weekday) or six (seconds first), e.g. "0 6 L * *" for 06:00 on the last day of each month',
        );
        ok = false;
      }
    }
    for (const [name, value] of Object.entries(t.params ?? {})) {
      const spec = params[name];
      if (!spec) {
        diags.push({
          severity: 'error',
          pos: src.keyPos([...at, 'params', name]),
          message: `schedule[${i}].params: unknown param "${name}"`,
          hint: didYouMean(name, Object.keys(params)) ?? 'declare it under params:',
        });
        ok = false;
      } else if (!matchesType(value, spec.type) || (spec.enum && !spec.enum.some((e) => e === value))) {
        error(
          [...at, 'params', name],
          `params.${name}: ${showValue(value)} is not ${spec.enum ? `one of ${spec.enum.map(showValue).join(', ')}` : `${/^[aeiou]/.test(spec.type) ? 'an' : 'a'} ${spec.type}`}`,
        );
        ok = false;
      }
    }
    if (t.max_catchup !== undefined && t.catchup !== 'all') {
      diags.push({
        severity: 'warning',
        pos: src.keyPos([...at, 'max_catchup']),
        message: `schedule[${i}]: max_catchup only counts under catchup: all`,
      });
    }
    const key = t.name ?? `${t.cron} ${timezone}`;
    if (keys.has(key)) {
      error(at, `a second trigger called "${key}"`, 'give each trigger its own name:');
      ok = false;
    }
    keys.add(key);
    if (!ok) return;
    out.push({
      key,
      cron: t.cron,
      timezone,
      params: t.params ?? {},
      catchup: t.catchup ?? 'latest',
      maxCatchup: t.max_catchup ?? DEFAULT_MAX_CATCHUP,
      overlap: t.overlap ?? 'skip',
      pos: src.valuePos(at),
    });
  });
  return out;
}
