// Runtime dirs of flow processes that died without cleaning up are removed; live ones stay.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { cleanStaleRuntimeDirs, RUNTIME_PREFIX } from '../../../src/kernel/stale-runtime.js';

it('removes the runtime dirs of dead flow processes only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flow-stale-'));
  // A pid that has just exited stands for a flow killed with SIGKILL.
  const dead = spawnSync('true').pid!;
  const stale = join(dir, `${RUNTIME_PREFIX}${dead}-abc`);
  const mine = join(dir, `${RUNTIME_PREFIX}${process.pid}-def`);
  const other = join(dir, 'someone-elses-dir');
  for (const d of [stale, mine, other]) mkdirSync(d);
  cleanStaleRuntimeDirs(dir);
  expect([existsSync(stale), existsSync(mine), existsSync(other)]).toEqual([false, true, true]);
});
