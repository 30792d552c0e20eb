// The words of a `notify:` section, apart from the schema so that the CLI's option parser can
// name them without loading zod.

export const notifyEvents = ['failure', 'success', 'always', 'recovered'] as const;
export const webhookFormats = ['slack', 'teams', 'json'] as const;
/** Per attempt, when a channel says nothing. */
export const DEFAULT_NOTIFY_TIMEOUT_MS = 10_000;
