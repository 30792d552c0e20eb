// Preloaded into flow's node process by the benchmark (node --import): on exit, writes the
// process's peak resident memory (VmHWM, kB) to the file named by BENCH_HWM_FILE.
import { readFileSync, writeFileSync } from 'node:fs';

const out = process.env.BENCH_HWM_FILE;
if (out) {
  process.on('exit', () => {
    const m = /VmHWM:\s+(\d+)\s*kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) writeFileSync(out, m[1]);
  });
}
