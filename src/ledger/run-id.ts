// Run ids that sort by time: `20261126T093000Z-3f9a` (UTC second, then 4 random hex digits).
import { randomBytes } from 'node:crypto';

export function createRunId(at: Date = new Date(), random: () => string = () => randomBytes(2).toString('hex')): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `${stamp}-${random()}`;
}

/** The run's start time, read back from its id; undefined when `id` is not a run id. */
export function runIdTime(id: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-[0-9a-f]+$/.exec(id);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : undefined;
}
