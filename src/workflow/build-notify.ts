// The `notify:` section → NotifyChannels: one of `email` or `webhook` each, checked where written.
import type { Diagnostic } from '../errors.js';
import { parseDuration } from './duration.js';
import { DEFAULT_NOTIFY_TIMEOUT_MS } from './notify-kinds.js';
import type { RawWorkflow } from './schema.js';
import type { SourceMap } from './source-map.js';
import type { NotifyChannel, NotifyOn } from './types.js';

type RawChannel = NonNullable<RawWorkflow['notify']>[number];

/** A mail address as a person writes one (`ops@example.ac.uk`, `Ops <ops@example.ac.uk>`). */
const ADDRESS = /^([^<>@\s]+@[^<>@\s]+\.[^<>@\s]+|[^<>]*<[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+>)$/;

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function buildNotify(
  raw: readonly RawChannel[],
  src: SourceMap,
  diags: Diagnostic[],
  at: (string | number)[] = ['notify'],
): NotifyChannel[] {
  const out: NotifyChannel[] = [];
  raw.forEach((c, i) => {
    const path = [...at, i];
    const error = (p: (string | number)[], message: string, hint?: string) =>
      diags.push({ severity: 'error', pos: src.valuePos(p), message: `notify[${i}]: ${message}`, ...(hint && { hint }) });
    if ((c.email === undefined) === (c.webhook === undefined)) {
      error(
        path,
        c.email ? 'has both email and webhook' : 'names no channel',
        c.email ? 'give each its own entry under notify:' : 'add `email: { to: [...] }` or `webhook: { url_env: VAR, format: slack }`',
      );
      return;
    }
    const on = (Array.isArray(c.on) ? c.on : [c.on ?? 'failure']) as NotifyOn[];
    const timeoutMs = c.timeout === undefined ? DEFAULT_NOTIFY_TIMEOUT_MS : parseDuration(c.timeout)!;
    const base = { on: [...new Set(on)], timeoutMs, pos: src.valuePos(path) };
    if (c.email) {
      const to = list(c.email.to);
      const cc = list(c.email.cc);
      if (to.length === 0) error([...path, 'email', 'to'], 'email has no recipient', 'list them under to:');
      for (const [key, addresses] of [
        ['to', to],
        ['cc', cc],
      ] as const) {
        addresses.forEach((a, j) => {
          if (!ADDRESS.test(a.trim())) {
            error(
              [...path, 'email', key, ...(Array.isArray(c.email![key]) ? [j] : [])],
              `"${a}" is not a mail address`,
              'write it as name@example.ac.uk',
            );
          }
        });
      }
      if (c.email.from !== undefined && !ADDRESS.test(c.email.from.trim())) {
        error([...path, 'email', 'from'], `"${c.email.from}" is not a mail address`, 'write it as flow@example.ac.uk');
      }
      out.push({
        ...base,
        name: `email ${to.join(', ')}`,
        email: {
          to,
          cc,
          ...(c.email.from !== undefined && { from: c.email.from }),
          ...(c.email.subject !== undefined && { subject: c.email.subject }),
        },
      });
    } else {
      const format = c.webhook!.format ?? 'json';
      out.push({ ...base, name: `webhook $${c.webhook!.url_env} (${format})`, webhook: { urlEnv: c.webhook!.url_env, format } });
    }
  });
  return out;
}
