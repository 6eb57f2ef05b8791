import type { RunStop } from '../utils/runStop';

export type HeaderBag = Record<string, unknown>;

function header(headers: HeaderBag, name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
	return value === undefined || value === null ? undefined : String(value);
}

/** `Retry-After` is either delta-seconds or an HTTP date; returns milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * `X-RateLimit-Reset` is an epoch timestamp for some APIs and a delta in seconds for others;
 * values too small to be a recent epoch are read as a delta.
 */
export function parseRateLimitReset(value: string | undefined, now: number): number | undefined {
	const raw = Number(value);
	if (value === undefined || !Number.isFinite(raw)) return undefined;
	const EPOCH_2001_SECONDS = 1e9;
	if (raw > EPOCH_2001_SECONDS * 1000) return raw;
	if (raw > EPOCH_2001_SECONDS) return raw * 1000;
	return now + raw * 1000;
}

/**
 * What a request is for. A submit starts a job that will need at least one poll, so when the
 * allowance is short it must leave room for the polls the run already owes.
 */
export type RequestPurpose = 'submit' | 'poll';

/** A poll that finds the job done and, about every other job, one that finds it still running. */
const EXPECTED_POLLS_PER_JOB = 1.5;

/** What the run still has to do, as far as requests go. */
export interface RunOutlook {
	/** Items that have no job yet (a submit in flight included). */
	itemsWithoutJob: number;
	/** Jobs submitted and not yet seen finished: each owes at least one poll. */
	runningJobs: number;
}

/** Reports a request's outcome to the budget; call exactly once, with the response headers if any. */
export type SettleRequest = (status: number | undefined, headers?: HeaderBag) => void;

/**
 * One budget for every request of a node run, shared by all items: the API meters requests
 * per key, so a 429 seen by one item must hold back all of them, and the remaining allowance
 * announced by `X-RateLimit-*` is spent only by requests that are sure to fit. A submit is
 * sent only while the allowance also covers the polls of every job still running, its own
 * included: otherwise new jobs would take the requests that finished jobs need to be noticed,
 * and under a sliding window the run would stall on jobs that are done but not yet seen.
 */
export class RequestBudget {
	private pausedUntil = 0;
	private remaining: number | undefined;
	private resetAt = 0;
	private inFlight = 0;
	private submitsInFlight = 0;
	private rateLimitedCount = 0;
	private lastLimitedAt = Number.NEGATIVE_INFINITY;
	private wakeWaiters: () => void = () => {};
	private changed = this.nextChange();

	constructor(
		private readonly outlook: () => RunOutlook = () => ({ itemsWithoutJob: 0, runningJobs: 0 }),
		private readonly now: () => number = Date.now,
	) {}

	get rateLimited(): number {
		return this.rateLimitedCount;
	}

	/**
	 * True while the rate limit, not the jobs, is what holds the run back: a 429 came lately, or
	 * the announced allowance is less than twice what the run can expect to still send (a
	 * submit per item without a job, and about one and a half polls per job, since some polls
	 * find the job still running). Twice, because the allowance is the key's, not the run's
	 * alone, and a run that spends most of it leaves nothing for the key's other workflows.
	 */
	isScarce(): boolean {
		const RECENT_MS = 60_000;
		const HEADROOM = 2;
		if (this.now() - this.lastLimitedAt < RECENT_MS) return true;
		if (this.remaining === undefined) return false;
		const { itemsWithoutJob, runningJobs } = this.outlook();
		const jobsToSubmit = Math.max(0, itemsWithoutJob - this.submitsInFlight);
		const demand = jobsToSubmit * (1 + EXPECTED_POLLS_PER_JOB) + (runningJobs + this.submitsInFlight) * EXPECTED_POLLS_PER_JOB;
		return this.remaining - this.inFlight < HEADROOM * demand;
	}

	/** Waits until a request for `purpose` may be sent; returns the function to report its outcome. */
	async acquire(stop: RunStop, purpose: RequestPurpose): Promise<SettleRequest> {
		for (;;) {
			stop.throwIfStopped();
			const wait = this.waitBeforeNextRequest(purpose);
			if (wait <= 0) break;
			// A response may lift the limit before the timer does (a fresh allowance, a job seen finished).
			await Promise.race([stop.sleep(wait), this.changed]);
		}
		this.inFlight++;
		if (purpose === 'submit') this.submitsInFlight++;
		let settled = false;
		return (status, headers = {}) => {
			if (settled) return;
			settled = true;
			this.inFlight--;
			if (purpose === 'submit') this.submitsInFlight--;
			this.settle(status, headers);
		};
	}

	private settle(status: number | undefined, headers: HeaderBag): void {
		const now = this.now();
		const remaining = Number(header(headers, 'x-ratelimit-remaining'));
		const resetAt = parseRateLimitReset(header(headers, 'x-ratelimit-reset'), now);
		if (Number.isFinite(remaining)) {
			this.remaining = remaining;
			this.resetAt = resetAt ?? now + 1000;
		}
		if (status === 429) {
			this.rateLimitedCount++;
			this.lastLimitedAt = now;
			const retryAfter = parseRetryAfter(header(headers, 'retry-after'), now);
			const fallback = resetAt !== undefined ? resetAt - now : 1000;
			this.pauseFor(retryAfter ?? fallback);
		}
		this.notifyChange();
	}

	/** Something a waiting submit depends on changed outside the budget (a job was seen finished). */
	notifyChange(): void {
		this.wakeWaiters();
		this.changed = this.nextChange();
	}

	private nextChange(): Promise<void> {
		return new Promise((resolve) => {
			this.wakeWaiters = resolve;
		});
	}

	private pauseFor(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
	}

	private waitBeforeNextRequest(purpose: RequestPurpose): number {
		const now = this.now();
		if (this.pausedUntil > now) return this.pausedUntil - now;
		if (this.remaining === undefined) return 0;
		if (this.resetAt <= now) {
			// Past the announced reset at least one more request fits than last heard; send and
			// let the response tell the new allowance, instead of a burst that collects 429s.
			const PROBE_RECHECK_MS = 1000;
			this.remaining = Math.max(this.remaining, this.inFlight) + 1;
			this.resetAt = now + PROBE_RECHECK_MS;
		}
		const free = this.remaining - this.inFlight;
		if (purpose === 'poll' ? free > 0 : free - 1 >= this.pollsOwedAfterSubmit()) return 0;
		return this.resetAt - now;
	}

	/** Polls to keep for the running jobs, those being submitted and the one about to be. */
	private pollsOwedAfterSubmit(): number {
		return (this.outlook().runningJobs + this.submitsInFlight + 1) * EXPECTED_POLLS_PER_JOB;
	}
}
