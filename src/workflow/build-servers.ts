// The `servers:` pool → ServerSpecs, and every node's `server:` checked against it.
import { isAbsolute, resolve } from 'node:path';
import type { Diagnostic } from '../errors.js';
import { didYouMean } from './did-you-mean.js';
import type { RawWorkflow } from './schema.js';
import type { SourceMap } from './source-map.js';
import type { NodeSpec, ServerSpec } from './types.js';

/** Kernels a server of the pool may run at once for a run, when it says nothing. */
export const DEFAULT_MAX_KERNELS = 4;

export function buildServers(
  raw: NonNullable<RawWorkflow['servers']>,
  dir: string,
  src: SourceMap,
  diags: Diagnostic[],
): Record<string, ServerSpec> {
  const out: Record<string, ServerSpec> = {};
  for (const [name, s] of Object.entries(raw)) {
    const at = ['servers', name];
    if (s.url !== undefined) {
      let ok = false;
      try {
        ok = ['http:', 'https:'].includes(new URL(s.url).protocol);
      } catch {
        // said below
      }
      if (!ok)
        diags.push({
          severity: 'error',
          pos: src.valuePos([...at, 'url']),
          message: `servers.${name}.url: "${s.url}" is not an http(s) URL`,
          hint: 'e.g. http://compute-01:8888',
        });
      if (/[?&]token=/.test(s.url)) {
        diags.push({
          severity: 'error',
          pos: src.valuePos([...at, 'url']),
          message: `servers.${name}.url holds a token`,
          hint: 'a token is a credential: name the variable that holds it with token_env',
        });
      }
    } else if (s.token_env !== undefined || s.root_dir !== undefined) {
      diags.push({
        severity: 'warning',
        pos: src.keyPos(at),
        message: `servers.${name} has no url: it is flow's own server, which needs no token_env or root_dir`,
      });
    }
    out[name] = {
      name,
      ...(s.url !== undefined && { url: s.url.replace(/\/+$/, '') }),
      ...(s.token_env !== undefined && { tokenEnv: s.token_env }),
      maxKernels: s.max_kernels ?? DEFAULT_MAX_KERNELS,
      ...(s.root_dir !== undefined && { rootDir: isAbsolute(s.root_dir) ? s.root_dir : resolve(dir, s.root_dir) }),
      pos: src.keyPos(at),
    };
  }
  return out;
}

/** A node's `server:` must name a server of the pool. */
export function checkNodeServers(
  nodes: Readonly<Record<string, NodeSpec>>,
  servers: Readonly<Record<string, ServerSpec>> | undefined,
  src: SourceMap,
  diags: Diagnostic[],
): void {
  const names = Object.keys(servers ?? {});
  for (const n of Object.values(nodes)) {
    if (n.server === undefined || names.includes(n.server)) continue;
    diags.push({
      severity: 'error',
      pos: src.valuePos(['nodes', n.id, 'server']),
      message: `node "${n.id}": no server "${n.server}" in servers:`,
      hint: names.length
        ? (didYouMean(n.server, names) ?? `the servers are ${names.join(', ')}`)
        : 'declare it under servers: with its url',
    });
  }
}
