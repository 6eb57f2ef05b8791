import type { RateLimitTuning } from '../timing';

/** What may still be sent now, and when the next request will fit again. */
export interface Allowance {
	free: number;
	refillAt: number;
}

/** One request sent: answered at `answeredAt`, refused if that answer was a 429. */
export interface SentRequest {
	at: number;
	answeredAt?: number;
	refused: boolean;
}

/**
 * The key's rate limit as learnt from 429s alone, for an API that announces none (the vendor
 * documents 429 + `Retry-After` and no `X-RateLimit-*`). A 429 says the window was full when
 * the refused request arrived: the limit is taken to be the requests this process had sent
 * before it within the window and that were not refused themselves (those still unanswered
 * count, as the API saw them first), and the window to end where `Retry-After` says a request
 * fits again, since a sliding window frees its next slot when its oldest request leaves it.
 * Pacing by the same rule afterwards meets the limit once instead of every window. The API
 * counts a request when it arrives, somewhere between its sending and its answer: the window
 * is learnt from send times (so it comes out no shorter than the API's) and a request is let
 * out of it a window after its answer (so never before the API lets it out), since on a busy
 * n8n a request can leave the process well after it was sent for. What it
 * learnt is forgotten after some windows without a 429, so a one-off 429 (an overloaded API)
 * does not slow the key down for ever.
 */
export class LearnedAllowance {
	/** Requests that may count against the limit, oldest first. */
	private readonly sent: SentRequest[] = [];
	private learnt: { limit: number; windowMs: number; at: number } | undefined;

	constructor(private readonly tuning: RateLimitTuning) {}

	get limit(): { limit: number; windowMs: number } | undefined {
		return this.learnt && { limit: this.learnt.limit, windowMs: this.learnt.windowMs };
	}

	send(at: number): SentRequest {
		const request = { at, refused: false };
		this.sent.push(request);
		if (this.sent.length > this.tuning.maxRememberedRequests) this.sent.shift();
		return request;
	}

	/** `request` got an answer (or failed) at `now`: a window from now it surely no longer counts. */
	answered(request: SentRequest, now: number): void {
		request.answeredAt = now;
	}

	/** A 429 answered `request` at `now`; `retryAfterMs` is when it says a request fits again, if it says. */
	refused(request: SentRequest, now: number, retryAfterMs: number | undefined): void {
		request.refused = true;
		request.answeredAt = now;
		const before = this.sent.indexOf(request);
		const counted = this.sent
			.slice(0, before < 0 ? this.sent.length : before)
			.filter((earlier) => !earlier.refused && earlier.at > now - this.tuning.assumedWindowMs);
		if (counted.length === 0) return;
		const windowMs = retryAfterMs === undefined ? this.tuning.assumedWindowMs : now + retryAfterMs - counted[0].at;
		this.learnt = { limit: counted.length, windowMs: Math.max(1, windowMs), at: now };
	}

	allowance(now: number): Allowance | undefined {
		const learnt = this.learnt;
		if (!learnt) return undefined;
		if (now - learnt.at > learnt.windowMs * this.tuning.learntLimitWindows) {
			this.learnt = undefined;
			return undefined;
		}
		// Unanswered requests leave the window no sooner than a window after now.
		const leavesAt = (request: SentRequest) => (request.answeredAt ?? now) + learnt.windowMs;
		const inWindow = this.sent.filter((request) => !request.refused && leavesAt(request) > now);
		return {
			free: learnt.limit - inWindow.length,
			refillAt: inWindow.length > 0 ? Math.min(...inWindow.map(leavesAt)) : now,
		};
	}
}
