import type { RateLimitTuning } from '../timing';

/** What may still be sent now, and when the next request will fit again. */
export interface Allowance {
	free: number;
	refillAt: number;
}

/**
 * The key's rate limit as learnt from 429s alone, for an API that announces none (the vendor
 * documents 429 + `Retry-After` and no `X-RateLimit-*`). At a 429, the limit is taken to be what
 * this process had sent within the window, and the window to end where `Retry-After` says a
 * request fits again: a sliding window frees its next slot when its oldest request leaves it.
 * Pacing by the same rule afterwards meets the limit once instead of every window. What it
 * learnt is forgotten after some windows without a 429, so a one-off 429 (an overloaded API)
 * does not slow the key down for ever.
 */
export class LearnedAllowance {
	/** Send times of requests that may count against the limit, oldest first. */
	private readonly sent: number[] = [];
	private learnt: { limit: number; windowMs: number; at: number } | undefined;

	constructor(private readonly tuning: RateLimitTuning) {}

	get limit(): { limit: number; windowMs: number } | undefined {
		return this.learnt;
	}

	sentAt(time: number): void {
		this.sent.push(time);
		if (this.sent.length > this.tuning.maxRememberedRequests) this.sent.shift();
	}

	/** The request sent at `time` was refused: a refused request does not use up the window. */
	refused(time: number): void {
		const index = this.sent.lastIndexOf(time);
		if (index >= 0) this.sent.splice(index, 1);
	}

	/** A 429 came at `now`; `retryAfterMs` is when it says a request fits again, if it says. */
	learn(now: number, retryAfterMs: number | undefined): void {
		const inWindow = this.sent.filter((time) => time > now - this.tuning.assumedWindowMs);
		if (inWindow.length === 0) return;
		const windowMs = retryAfterMs === undefined ? this.tuning.assumedWindowMs : now + retryAfterMs - inWindow[0];
		this.learnt = { limit: inWindow.length, windowMs: Math.max(1, windowMs), at: now };
	}

	allowance(now: number): Allowance | undefined {
		const learnt = this.learnt;
		if (!learnt) return undefined;
		if (now - learnt.at > learnt.windowMs * this.tuning.learntLimitWindows) {
			this.learnt = undefined;
			return undefined;
		}
		const inWindow = this.sent.filter((time) => time > now - learnt.windowMs);
		return {
			free: learnt.limit - inWindow.length,
			refillAt: inWindow.length > 0 ? inWindow[0] + learnt.windowMs : now,
		};
	}
}
