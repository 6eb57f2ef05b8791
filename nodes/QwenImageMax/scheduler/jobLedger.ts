import type { SubmitResponse } from '../schemas/apiResponses';

/** A job an item has paid for: enough to pick it up again without a second submit. */
export interface RecordedJob {
	submitted: SubmitResponse;
	submittedAt: number;
}

/** The job, or a submit that broke off after it was sent: the job may exist, nobody knows its ID. */
export type LedgerEntry = { kind: 'job'; job: RecordedJob } | { kind: 'uncertain' };

interface Stored {
	entry: LedgerEntry;
	at: number;
}

/**
 * Which job each item of a node run paid for, kept for n8n's Retry On Fail: n8n runs the node
 * again with the same execution, node and run index, and an item that already has a job
 * running or done must get that job, not a second charge. The key names the item (see
 * actions/itemIdentity.ts), so two items with the same prompt stay two jobs, and a later Loop
 * Over Items batch or a new execution is new work. In memory, bounded in size and age (job IDs
 * expire after about a day anyway), pruned as entries are written: no timer.
 */
export class JobLedger {
	private readonly entries = new Map<string, Stored>();

	constructor(
		private readonly maxEntries = 10_000,
		private readonly maxAgeMs = 24 * 3600_000,
		private readonly now: () => number = Date.now,
	) {}

	get(key: string): LedgerEntry | undefined {
		const stored = this.entries.get(key);
		if (!stored) return undefined;
		if (this.now() - stored.at <= this.maxAgeMs) return stored.entry;
		this.entries.delete(key);
		return undefined;
	}

	recordJob(key: string, job: RecordedJob): void {
		this.write(key, { kind: 'job', job });
	}

	recordUncertain(key: string): void {
		this.write(key, { kind: 'uncertain' });
	}

	/** The job failed or is gone: a retry may pay for a new one. */
	forget(key: string): void {
		this.entries.delete(key);
	}

	get size(): number {
		return this.entries.size;
	}

	private write(key: string, entry: LedgerEntry): void {
		const now = this.now();
		this.entries.delete(key);
		this.entries.set(key, { entry, at: now });
		// A Map iterates in insertion order: the first entries are the oldest.
		for (const [oldKey, stored] of this.entries) {
			if (this.entries.size <= this.maxEntries && now - stored.at <= this.maxAgeMs) break;
			this.entries.delete(oldKey);
		}
	}
}

/** One ledger per n8n process: n8n retries a node in the process that ran it. */
export const jobLedger = new JobLedger();
