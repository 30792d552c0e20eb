// Whether a process id is alive on this machine: shared by stale-runtime clean-up and `flow runs`.

/** Signal 0 checks existence without signalling; EPERM means it exists but is another user's. */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
