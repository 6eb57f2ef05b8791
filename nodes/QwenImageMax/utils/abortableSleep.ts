import { sleep } from 'n8n-workflow';

/** Raised in place of whatever reason the signal carries, so callers can tell "stopped" from a failure. */
export class RunStopped extends Error {
	constructor() {
		super('The execution was cancelled');
		this.name = 'RunStopped';
	}
}

export function throwIfStopped(signal?: AbortSignal): void {
	if (signal?.aborted) throw new RunStopped();
}

/**
 * `sleep` from n8n-workflow that ends early, rejecting with RunStopped, when the signal aborts.
 * (n8n 1.x also has `sleepWithAbort`; n8n 2.x no longer exports it.)
 */
export async function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (!signal) return await sleep(ms);
	throwIfStopped(signal);
	let onAbort: () => void = () => {};
	const aborted = new Promise<never>((_, reject) => {
		onAbort = () => reject(new RunStopped());
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		await Promise.race([sleep(ms), aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}
