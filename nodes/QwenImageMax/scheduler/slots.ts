import type { RunStop } from '../utils/runStop';

/**
 * A FIFO counting semaphore whose limit may change (a key's job slots follow the node calls
 * using the key). Waiters are served in the order they asked, so items start in input order,
 * and a waiter whose run stops leaves the queue at once: a cancelled execution must not wait
 * for another execution's jobs to end.
 */
export class Slots {
	private inUse = 0;
	private readonly waiters: Array<() => void> = [];

	constructor(private readonly limit: () => number) {}

	async use<T>(stop: RunStop, task: () => Promise<T>): Promise<T> {
		await this.acquire(stop);
		try {
			return await task();
		} finally {
			this.release();
		}
	}

	/** The limit may have grown: let waiters in. */
	grantWaiting(): void {
		while (this.waiters.length > 0 && this.inUse < this.limit()) {
			this.inUse++;
			this.waiters.shift()!();
		}
	}

	private async acquire(stop: RunStop): Promise<void> {
		stop.throwIfStopped();
		if (this.waiters.length === 0 && this.inUse < this.limit()) {
			this.inUse++;
			return;
		}
		let grant: () => void = () => {};
		const granted = new Promise<void>((resolve) => (grant = resolve));
		this.waiters.push(grant);
		let acquired = false;
		try {
			await stop.race(granted);
			acquired = true;
		} finally {
			if (!acquired) this.leaveQueue(grant);
		}
	}

	/** A stopped waiter leaves the queue, or, granted just as it stopped, hands its slot on. */
	private leaveQueue(grant: () => void): void {
		const index = this.waiters.indexOf(grant);
		if (index >= 0) this.waiters.splice(index, 1);
		else this.release();
	}

	private release(): void {
		this.inUse--;
		this.grantWaiting();
	}
}
