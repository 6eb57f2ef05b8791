import type { RateLimitTuning } from '../timing';
import { DEFAULT_TIMING } from '../timing';
import type { RunStop } from '../utils/runStop';
import type { Allowance, SentRequest } from './learnedAllowance';
import { LearnedAllowance } from './learnedAllowance';

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
export type RequestKind = 'submit' | 'poll';

/** What the work sharing the budget still has to do, as far as requests go. */
export interface RunOutlook {
	/** Items that have no job yet (a submit in flight included). */
	itemsWithoutJob: number;
	/** Jobs submitted and not yet seen finished: each owes at least one poll. */
	runningJobs: number;
	/**
	 * How many n8n processes (queue-mode workers) spend this key's allowance: an announced
	 * allowance is shared out between them.
	 */
	processesSharingKey?: number;
}

/** Reports a request's outcome to the budget; call exactly once, with the response headers if any. */
export type SettleRequest = (status: number | undefined, headers?: HeaderBag) => void;

export interface BudgetClock {
	now: () => number;
	random: () => number;
}

const NOTHING_TO_DO: RunOutlook = { itemsWithoutJob: 0, runningJobs: 0 };

/**
 * One budget for every request sent with a key from this n8n process, whichever node call
 * sends it: the API meters requests per key, so a 429 seen by one item holds back all of
 * them, and the remaining allowance (announced by `X-RateLimit-*`, or learnt from 429s when
 * the API announces none) is spent only by requests that are sure to fit. A submit is sent
 * only while the allowance also covers the polls of every job still running, its own
 * included: otherwise new jobs would take the requests that finished jobs need to be noticed,
 * and under a sliding window the run would stall on jobs that are done but not yet seen.
 */
export class RequestBudget {
	private pausedUntil = 0;
	private pauseSpreadMs = 0;
	private remaining: number | undefined;
	private resetAt = 0;
	private inFlight = 0;
	private submitsInFlight = 0;
	private rateLimitedCount = 0;
	private lastLimitedAt = Number.NEGATIVE_INFINITY;
	private readonly learnt: LearnedAllowance;
	private wakeWaiters: () => void = () => {};
	private changed = this.nextChange();

	constructor(
		private readonly outlook: () => RunOutlook = () => NOTHING_TO_DO,
		private readonly tuning: RateLimitTuning = DEFAULT_TIMING.rateLimit,
		private readonly clock: BudgetClock = { now: Date.now, random: Math.random },
	) {
		this.learnt = new LearnedAllowance(tuning);
	}

	get rateLimited(): number {
		return this.rateLimitedCount;
	}

	/**
	 * True while the rate limit, not the jobs, is what holds the work back: a 429 came lately,
	 * or the allowance is less than `scarcityHeadroom` times what the work can expect to still
	 * send (a submit per item without a job, and `expectedPollsPerJob` polls per job). The
	 * headroom is there because the allowance is the key's, not this work's alone: spending
	 * most of it would leave nothing for the key's other workflows.
	 */
	isScarce(): boolean {
		const now = this.clock.now();
		if (now - this.lastLimitedAt < this.tuning.scarceAfterLimitMs) return true;
		const allowance = this.allowance(now);
		if (!allowance) return false;
		const { itemsWithoutJob, runningJobs } = this.outlook();
		const polls = this.tuning.expectedPollsPerJob;
		const jobsToSubmit = Math.max(0, itemsWithoutJob - this.submitsInFlight);
		const demand = jobsToSubmit * (1 + polls) + (runningJobs + this.submitsInFlight) * polls;
		return allowance.free < this.tuning.scarcityHeadroom * demand;
	}

	/** Waits until a request of `kind` may be sent; returns the function to report its outcome. */
	async acquire(stop: RunStop, kind: RequestKind): Promise<SettleRequest> {
		// Each caller comes back from a shared pause at its own moment within the spread.
		let releaseAt = 0;
		for (;;) {
			stop.throwIfStopped();
			const now = this.clock.now();
			if (this.pausedUntil > releaseAt) releaseAt = this.pausedUntil + this.clock.random() * this.pauseSpreadMs;
			const wait = Math.max(releaseAt - now, this.waitBeforeNextRequest(kind, now));
			if (wait <= 0) break;
			// A response may lift the limit before the timer does (a fresh allowance, a job seen finished).
			await Promise.race([stop.sleep(wait), this.changed]);
		}
		const sent = this.learnt.send(this.clock.now());
		this.inFlight++;
		if (kind === 'submit') this.submitsInFlight++;
		let settled = false;
		return (status, headers = {}) => {
			if (settled) return;
			settled = true;
			this.inFlight--;
			if (kind === 'submit') this.submitsInFlight--;
			this.settle(status, headers, sent);
		};
	}

	private settle(status: number | undefined, headers: HeaderBag, sent: SentRequest): void {
		const now = this.clock.now();
		const remaining = Number(header(headers, 'x-ratelimit-remaining'));
		const resetAt = parseRateLimitReset(header(headers, 'x-ratelimit-reset'), now);
		if (Number.isFinite(remaining)) {
			this.remaining = Math.floor(remaining / Math.max(1, this.outlook().processesSharingKey ?? 1));
			this.resetAt = resetAt ?? now + this.tuning.probeRecheckMs;
		}
		if (status !== 429) this.learnt.answered(sent, now);
		else {
			this.rateLimitedCount++;
			this.lastLimitedAt = now;
			const retryAfter = parseRetryAfter(header(headers, 'retry-after'), now);
			this.learnt.refused(sent, now, retryAfter);
			const fallback = resetAt !== undefined ? resetAt - now : this.tuning.fallbackPauseMs;
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
		const until = this.clock.now() + ms;
		if (until <= this.pausedUntil) return;
		this.pausedUntil = until;
		this.pauseSpreadMs = Math.min(this.tuning.maxReleaseSpreadMs, ms * this.tuning.releaseSpreadFraction);
	}

	/** The announced allowance if the API sends one, else the one learnt from its 429s, else none. */
	private allowance(now: number): Allowance | undefined {
		if (this.remaining === undefined) return this.learnt.allowance(now);
		if (this.resetAt <= now) {
			// Past the announced reset at least one more request fits than last heard; send and
			// let the response tell the new allowance, instead of a burst that collects 429s.
			this.remaining = Math.max(this.remaining, this.inFlight) + 1;
			this.resetAt = now + this.tuning.probeRecheckMs;
		}
		return { free: this.remaining - this.inFlight, refillAt: this.resetAt };
	}

	private waitBeforeNextRequest(kind: RequestKind, now: number): number {
		if (this.pausedUntil > now) return this.pausedUntil - now;
		const allowance = this.allowance(now);
		if (!allowance) return 0;
		const { free } = allowance;
		if (kind === 'poll' ? free > 0 : free - 1 >= this.pollsOwedAfterSubmit()) return 0;
		return Math.max(1, allowance.refillAt - now);
	}

	/** Polls to keep for the running jobs, those being submitted and the one about to be. */
	private pollsOwedAfterSubmit(): number {
		return (this.outlook().runningJobs + this.submitsInFlight + 1) * this.tuning.expectedPollsPerJob;
	}
}
