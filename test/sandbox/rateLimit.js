// @ts-check
'use strict';

/**
 * @typedef {{ allowed: boolean, headers: Record<string, string> }} RateDecision
 */

/** Per-key sliding-window request counter. Rejected requests do not use up the window. */
class RateLimiter {
	constructor() {
		/** @type {Map<string, number[]>} request times inside the window, oldest first */
		this.windows = new Map();
	}

	/**
	 * Counts one request for `key` unless it is over the limit.
	 * @param {string} key
	 * @param {number} now epoch ms
	 * @param {import('./options').RateLimitOptions} limit
	 * @returns {RateDecision}
	 */
	hit(key, now, limit) {
		const windowMs = limit.windowMs ?? 60_000;
		const times = (this.windows.get(key) ?? []).filter((t) => t > now - windowMs);
		this.windows.set(key, times);
		const allowed = times.length < limit.requestsPerMinute;
		if (allowed) times.push(now);
		// The window frees its next slot when its oldest request leaves it.
		const freesAt = times[0] + windowMs;
		/** @type {Record<string, string>} */
		const headers =
			limit.headers === false
				? {}
				: {
						'X-RateLimit-Limit': String(limit.requestsPerMinute),
						'X-RateLimit-Remaining': String(limit.requestsPerMinute - times.length),
						'X-RateLimit-Reset': String(Math.ceil(freesAt / 1000)),
					};
		if (allowed) return { allowed, headers };
		const retryAfter =
			limit.retryAfter === 'http-date'
				? new Date(Math.ceil(freesAt / 1000) * 1000).toUTCString()
				: String(Math.max(1, Math.ceil((freesAt - now) / 1000)));
		return { allowed, headers: { ...headers, 'Retry-After': retryAfter } };
	}

	reset() {
		this.windows.clear();
	}
}

module.exports = { RateLimiter };
