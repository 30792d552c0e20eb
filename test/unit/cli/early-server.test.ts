// Which command lines get the embedded server started before yargs has parsed them.
import { describe, expect, it } from 'vitest';
import { earlyServerRequest } from '../../../src/cli/early-server.js';

describe('earlyServerRequest', () => {
  it('starts one for flow run and flow exec, with the --jupyter they name', () => {
    expect(earlyServerRequest(['run', 'wf.yml', '-p', 'x=1'])).toEqual({ jupyter: undefined, fork: true });
    expect(earlyServerRequest(['exec', 'in.ipynb', 'out.ipynb', '-p', 'a', '1'])).toEqual({ jupyter: undefined, fork: true });
    expect(earlyServerRequest(['run', 'wf.yml', '--jupyter', '/opt/venv'])).toEqual({ jupyter: '/opt/venv', fork: true });
    expect(earlyServerRequest(['exec', 'in.ipynb', '--jupyter=/opt/venv/bin/jupyter'])).toEqual({
      jupyter: '/opt/venv/bin/jupyter',
      fork: true,
    });
  });

  it('starts its server without a fork server for --no-fork', () => {
    expect(earlyServerRequest(['run', 'wf.yml', '--no-fork'])).toEqual({ jupyter: undefined, fork: false });
    expect(earlyServerRequest(['exec', 'in.ipynb', '--fork=false'])).toEqual({ jupyter: undefined, fork: false });
    expect(earlyServerRequest(['run', 'wf.yml', '--no-fork', '--fork'])).toEqual({ jupyter: undefined, fork: true });
  });

  it('starts none for other commands, help, dry runs, --prepare-only, or an existing server', () => {
    for (const argv of [
      [],
      ['validate', 'wf.yml'],
      ['resume', 'latest'],
      ['--help'],
      ['run', '--help'],
      ['run', 'wf.yml', '-h'],
      ['run', 'wf.yml', '--dry-run'],
      ['run', 'wf.yml', '--dryRun'],
      ['exec', 'in.ipynb', '--prepare-only'],
      ['run', 'wf.yml', '--server-url', 'http://127.0.0.1:8888'],
      ['run', 'wf.yml', '--server-url=http://127.0.0.1:8888'],
    ]) {
      expect(earlyServerRequest(argv), argv.join(' ')).toBeUndefined();
    }
  });

  it('reads no options after --', () => {
    expect(earlyServerRequest(['run', 'wf.yml', '--', '--dry-run'])).toEqual({ jupyter: undefined, fork: true });
  });
});
