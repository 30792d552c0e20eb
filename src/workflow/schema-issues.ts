// zod issues → diagnostics that say where (a value error at the value, an unknown key at the key),
// what is wrong in the workflow's own words, and the next step.
import type * as z from 'zod';
import type { Diagnostic } from '../errors.js';
import { didYouMean } from './did-you-mean.js';
import { notifyEvents } from './notify-kinds.js';
import { knownKeys } from './schema.js';
import type { SourceMap, YamlPath } from './source-map.js';

/** `nodes.extract.retry.delay`, `nodes.validate.next[0].goto`. */
export function formatPath(path: YamlPath): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${p}` : p;
  return s || 'the workflow';
}

/** What kind of mapping a path points at, to know its keys. */
function keysAt(path: YamlPath): readonly string[] {
  const last = path[path.length - 1];
  if (path.length === 0) return knownKeys.top;
  if (last === 'retry') return knownKeys.retry;
  if (path[0] === 'defaults' && path.length === 1) return knownKeys.defaults;
  if (path[0] === 'params' && path.length === 2) return knownKeys.param;
  if (path[0] === 'nodes' && path.length === 2) return knownKeys.node;
  if (path[0] === 'nodes' && path[2] === 'next' && path.length === 4) return knownKeys.branch;
  if (path[0] === 'notify' && path.length === 2) return knownKeys.notify;
  if (path[0] === 'schedule' && path.length === 2) return knownKeys.trigger;
  if (path[0] === 'servers' && path.length === 2) return knownKeys.server;
  if (path[0] === 'notify' && path.length === 3 && last === 'email') return knownKeys.email;
  if (path[0] === 'notify' && path.length === 3 && last === 'webhook') return knownKeys.webhook;
  return [];
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

const expectedWords: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

function specialMessage(path: YamlPath, input: unknown): { message: string; hint?: string; at?: YamlPath } | undefined {
  const last = path[path.length - 1];
  const where = formatPath(path);
  if (last === 'timeout' || last === 'cell_timeout' || last === 'delay' || last === 'max_delay') {
    return { message: `${where}: ${describe(input)} is not a duration`, hint: 'write it like 90s, 10m, 1h or 1h30m' };
  }
  if (path.length === 1 && last === 'name') {
    return { message: `name: ${describe(input)} is not a valid workflow name`, hint: 'use lowercase letters, digits, "-" and "_"' };
  }
  if (last === 'needs') return { message: `${where}: expected a node id or a list of node ids, got ${describe(input)}` };
  if (path[0] === 'notify' && last === 'on') {
    const events: readonly string[] = notifyEvents;
    const list = Array.isArray(input) ? input : [input];
    const i = list.findIndex((v) => typeof v !== 'string' || !events.includes(v));
    const bad = list[i];
    return {
      ...(Array.isArray(input) && { at: [...path, i] }),
      message: `${formatPath(Array.isArray(input) ? [...path, i] : path)}: ${describe(bad)} is not one of ${events.join(', ')}`,
      hint: (typeof bad === 'string' && didYouMean(bad, events)) || 'give one of them, or a list of them',
    };
  }
  if (path[0] === 'notify' && (last === 'to' || last === 'cc')) {
    return input === undefined
      ? { message: `${where}: missing: the mail's recipients`, hint: 'write to: ops@example.ac.uk, or a list of addresses' }
      : { message: `${where}: expected a mail address or a list of them, got ${describe(input)}` };
  }
  return undefined;
}

/** Diagnostics for every issue zod found. */
export function schemaDiagnostics(issues: readonly z.core.$ZodIssue[], src: SourceMap, raw: unknown): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const input = getIn(raw, path);
    const where = formatPath(path);
    const error = (message: string, hint?: string, key = false, at: YamlPath = path): void => {
      out.push({ severity: 'error', pos: key ? src.keyPos(at) : src.valuePos(at), message, hint });
    };
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const k of issue.keys) {
          const known = keysAt(path);
          const hint = didYouMean(k, known) ?? (known.length ? `known keys: ${known.join(', ')}` : undefined);
          const inWhat = path.length === 0 ? '' : ` in ${path[0] === 'nodes' && path.length === 2 ? `node "${path[1]}"` : where}`;
          out.push({ severity: 'error', pos: src.keyPos([...path, k]), message: `unknown key "${k}"${inWhat}`, hint });
        }
        break;
      case 'invalid_type':
        if (input === undefined) {
          const parent = path.slice(0, -1);
          // `notebok:` already says "did you mean notebook?"; a second "missing notebook" is noise.
          const missing = String(path[path.length - 1]);
          const typo = issues.some(
            (i) => i.code === 'unrecognized_keys' && i.path.join('.') === parent.join('.') && i.keys.some((k) => didYouMean(k, [missing])),
          );
          if (typo) break;
          out.push({
            severity: 'error',
            pos: src.valuePos(parent),
            message: `${formatPath(parent)}: missing required key "${String(path[path.length - 1])}"`,
          });
        } else {
          const s = specialMessage(path, input);
          if (s) error(s.message, s.hint);
          else error(`${where}: expected ${expectedWords[issue.expected] ?? issue.expected}, got ${describe(input)}`);
        }
        break;
      case 'invalid_value': {
        const options = issue.values.map((v) => String(v));
        const hint = typeof input === 'string' ? didYouMean(input, options) : undefined;
        error(`${where}: ${describe(input)} is not one of ${options.join(', ')}`, hint);
        break;
      }
      case 'invalid_union':
      case 'invalid_format': {
        const s = specialMessage(path, input);
        error(s?.message ?? `${where}: ${describe(input)} is not valid`, s?.hint, false, s?.at);
        break;
      }
      case 'too_small':
        error(
          issue.origin === 'array'
            ? `${where}: must have at least ${String(issue.minimum)} item${issue.minimum === 1 ? '' : 's'}`
            : `${where}: ${describe(input)} is less than ${String(issue.minimum)}`,
        );
        break;
      case 'too_big':
        error(`${where}: ${describe(input)} is more than ${String(issue.maximum)}`);
        break;
      default:
        error(`${where}: ${issue.message}`);
    }
  }
  return out;
}

export function getIn(value: unknown, path: YamlPath): unknown {
  let v = value;
  for (const p of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, p)) return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}
