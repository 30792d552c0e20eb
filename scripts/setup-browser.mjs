#!/usr/bin/env node
// Makes sure a Chromium is installed for the report page's browser tests (test/e2e/report-page.test.ts
// drives it with playwright-core). Debian's `chromium` package, installed with apt-get when this
// runs as root; otherwise it says what to run. Idempotent: nothing happens when it is there.
// FLOW_CHROMIUM=/path/to/chromium names another browser. Usage: node scripts/setup-browser.mjs
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const browser = process.env.FLOW_CHROMIUM ?? '/usr/bin/chromium';

function run(cmd, args) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return !r.error && r.status === 0;
}

if (existsSync(browser)) {
  console.log(`Chromium for the report tests: ${browser}`);
  process.exit(0);
}
if (process.env.FLOW_CHROMIUM) {
  console.error(`setup failed: FLOW_CHROMIUM names ${browser}, which does not exist.`);
  process.exit(1);
}
const root = typeof process.getuid === 'function' && process.getuid() === 0;
const apt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
if (!root || !apt) {
  console.error('The report page tests need Chromium, which is not installed.');
  console.error('Install it (Debian: `sudo apt-get install chromium`) or set FLOW_CHROMIUM=/path/to/chromium,');
  console.error('then run `node scripts/setup-browser.mjs` again. flow itself runs without it.');
  process.exit(1);
}
const install = ['install', '-y', '--no-install-recommends', 'chromium'];
// A fresh machine has no package lists yet: update them once when the install cannot find it.
if (!run('apt-get', install) && !(run('apt-get', ['update']) && run('apt-get', install))) {
  console.error('setup failed: `apt-get install chromium` did not succeed (see above).');
  process.exit(1);
}
if (!existsSync(browser)) {
  console.error(`setup failed: chromium was installed but ${browser} is not there; set FLOW_CHROMIUM.`);
  process.exit(1);
}
console.log(`Chromium for the report tests: ${browser}`);
