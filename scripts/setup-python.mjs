#!/usr/bin/env node
// Creates ./.venv with the pinned Python side of flow (Jupyter server, ipykernel, pandas…).
// Idempotent: re-running only installs what changed. Usage: node scripts/setup-python.mjs [--dev|--no-dev]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const venv = join(root, '.venv');
const isWin = process.platform === 'win32';
const venvPython = join(venv, isWin ? 'Scripts/python.exe' : 'bin/python');
// The test suite and benchmarks read notebooks back with papermill and scrapbook; a user who
// only runs workflows can skip them with --no-dev.
const dev = !process.argv.includes('--no-dev');
const requirements = join(root, 'python', dev ? 'requirements-dev.txt' : 'requirements.txt');

function run(cmd, args) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.error || r.status !== 0) {
    console.error(`\nsetup failed: \`${cmd} ${args.join(' ')}\` ${r.error ? r.error.message : `exited ${r.status}`}.`);
    console.error('flow needs Python 3.9+ with venv and pip (Debian: apt-get install python3-venv python3-pip).');
    console.error('Or use an existing Jupyter instead: see "Using an existing Jupyter" in README.md.');
    process.exit(1);
  }
}

function findPython() {
  for (const candidate of [process.env.PYTHON, 'python3', 'python'].filter(Boolean)) {
    const r = spawnSync(candidate, ['-c', 'import sys, venv; print(sys.version_info >= (3, 9))'], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim() === 'True') return candidate;
  }
  console.error('setup failed: no Python 3.9+ with the venv module was found on PATH (set PYTHON=/path/to/python3).');
  process.exit(1);
}

if (!existsSync(venvPython)) run(findPython(), ['-m', 'venv', venv]);

// Skip pip when the requirements have not changed since the last successful install.
const stamp = join(venv, '.flow-requirements.sha256');
const hash = createHash('sha256')
  .update(readFileSync(requirements))
  .update(readFileSync(join(root, 'python', 'requirements.txt')))
  .digest('hex');
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) {
  console.log(`Python environment is up to date: ${venv}`);
} else {
  run(venvPython, ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', '-r', requirements]);
  writeFileSync(stamp, hash);
  console.log(`Python environment ready: ${venv}`);
}
// pip installs bash_kernel (dev), but Jupyter finds a kernel by its kernelspec: register it in .venv.
if (dev && !existsSync(join(venv, 'share', 'jupyter', 'kernels', 'bash', 'kernel.json'))) {
  run(venvPython, ['-m', 'bash_kernel.install', '--sys-prefix']);
}
const check = spawnSync(join(venv, isWin ? 'Scripts/jupyter.exe' : 'bin/jupyter'), ['server', '--version'], {
  encoding: 'utf8',
});
if (check.status !== 0) {
  console.error(`setup failed: jupyter server does not run from .venv:\n${check.stderr || ''}`);
  process.exit(1);
}
console.log(`jupyter_server ${check.stdout.trim()} in .venv`);

// The scale-out tests run Jupyter Enterprise Gateway, which needs jupyter_server < 2: it gets an
// environment of its own, .venv-gateway, from python/requirements-gateway.txt (dev only).
if (dev) {
  const gateway = join(root, '.venv-gateway');
  const gatewayPython = join(gateway, isWin ? 'Scripts/python.exe' : 'bin/python');
  const gatewayReqs = join(root, 'python', 'requirements-gateway.txt');
  const gatewayStamp = join(gateway, '.flow-requirements.sha256');
  const gatewayHash = createHash('sha256').update(readFileSync(gatewayReqs)).digest('hex');
  if (!existsSync(gatewayPython)) run(findPython(), ['-m', 'venv', gateway]);
  if (existsSync(gatewayStamp) && readFileSync(gatewayStamp, 'utf8') === gatewayHash) {
    console.log(`Enterprise Gateway environment is up to date: ${gateway}`);
  } else {
    run(gatewayPython, ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', '-r', gatewayReqs]);
    writeFileSync(gatewayStamp, gatewayHash);
    console.log(`Enterprise Gateway environment ready: ${gateway}`);
  }
}
