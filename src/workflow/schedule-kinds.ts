// The words of a `schedule:` section, apart from the schema (as notify-kinds.ts).

export const catchupPolicies = ['none', 'latest', 'all'] as const;
export const overlapPolicies = ['skip', 'queue', 'cancel_running', 'allow'] as const;
/** Missed fire times run at most, under `catchup: all`, when a trigger says nothing. */
export const DEFAULT_MAX_CATCHUP = 10;
