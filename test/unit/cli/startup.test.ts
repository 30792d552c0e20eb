// `flow --help` and `--version` must start fast: they load neither Ink nor anything of Jupyter.
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staticGraph } from '../../helpers/module-graph.js';
import { cliPath, repoRoot } from '../../helpers/paths.js';

describe('CLI start-up', () => {
  it('the entry point statically loads no Ink, React, kernel client or command implementation', () => {
    // `flow run` and `flow exec` load the server's start (early-server.ts) dynamically, first.
    for (const entry of ['src/cli/main.ts', 'src/cli/cli.ts']) {
      const { packages, files } = staticGraph(entry);
      const heavy = [...packages].filter((p) => /^(ink|react|ws$|@marcbachmann\/|zod|@dagrejs\/|execa|yaml)/.test(p));
      expect(heavy, entry).toEqual([]);
      const rel = [...files].map((f) => f.slice(repoRoot.length + 1));
      expect(
        rel.filter((f) => /^src\/(kernel|ui|report|engine|workflow|notebook|ledger|graph)\//.test(f) || f === 'src/cli/early-server.ts'),
        entry,
      ).toEqual([]);
    }
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const r = await execa('node', [cliPath, '--version']);
    expect(r.stdout).toBe(version);
  });

  it('--help lists every command and the exit codes', async () => {
    const r = await execa('node', [cliPath, '--help']);
    for (const c of ['run', 'resume', 'exec', 'validate', 'graph', 'schema', 'inspect', 'runs', 'show']) {
      expect(r.stdout).toMatch(new RegExp(`flow ${c}\\b`));
    }
    // yargs wraps the epilogue to the terminal's width.
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(
      'Exit codes: 0 success, 1 a node failed, 2 invalid workflow or usage, 70 a bug in flow (please report it), 130',
    );
  });

  it('an unknown command is a usage error (exit 2) without a stack trace', async () => {
    const r = await execa('node', [cliPath, 'rnu', 'x.yml'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('Did you mean run?');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a -p without NAME=VALUE is a usage error (exit 2) that says what to write', async () => {
    const r = await execa('node', [cliPath, 'run', join(repoRoot, 'test', 'fixtures', 'two-node', 'wf.yml'), '-p', 'rows'], {
      reject: false,
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('error: -p rows: expected NAME=VALUE — e.g. -p period=P2');
  });
});
