import { sleep } from 'n8n-workflow';

/** Raised in place of whatever reason the signal carries, so callers can tell "stopped" from a failure. */
export class RunStopped extends Error {
	constructor() {
		super('The execution was cancelled');
		this.name = 'RunStopped';
	}
}

/**
 * The stop condition of one node run. Every wait races one shared promise, so hundreds of
 * concurrent sleeps add no listener each to the signal.
 * (`sleepWithAbort` would do this per call, and n8n 2.x no longer exports it.)
 */
export class RunStop {
	private readonly stopped: Promise<never>;

	constructor(readonly signal: AbortSignal) {
		this.stopped = new Promise<never>((_, reject) => {
			if (signal.aborted) reject(new RunStopped());
			else signal.addEventListener('abort', () => reject(new RunStopped()), { once: true });
		});
		// Handled by whoever races it; without a racer the rejection is expected and harmless.
		this.stopped.catch(() => undefined);
	}

	throwIfStopped(): void {
		if (this.signal.aborted) throw new RunStopped();
	}

	/** `sleep` from n8n-workflow that ends early, rejecting with RunStopped, when the run stops. */
	async sleep(ms: number): Promise<void> {
		await this.race(sleep(ms));
	}

	/** Waits for `promise`, or rejects with RunStopped as soon as the run stops. */
	async race<T>(promise: Promise<T>): Promise<T> {
		this.throwIfStopped();
		return await Promise.race([promise, this.stopped]);
	}
}
