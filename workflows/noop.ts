export type NoopInput = Record<string, never>;

/** Completes in its first workflow task: start + one workflow task + completion. */
export async function noopWorkflow(_input: NoopInput = {}): Promise<void> {}
