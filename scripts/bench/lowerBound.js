// @ts-check
'use strict';

// The shortest wall time the sandbox allows for N jobs, from its capacity, its rate limit and
// the job durations it actually drew (in submit order). Overheads (HTTP, downloads, n8n) are
// taken as zero, so no client can beat it.

/**
 * Capacity term: jobs start in submit order (the sandbox's queue is FIFO and the i-th submit
 * gets the i-th drawn duration, whoever sends it), each as soon as a slot is free. Starting a
 * job earlier never delays a later one, so this greedy schedule is the earliest possible end.
 * It is at least max(sum(d)/capacity, max(d)).
 * @param {number[]} durations in submit order, ms
 * @param {number} capacity running jobs per key (Infinity = unlimited)
 */
function capacityMakespan(durations, capacity) {
	if (!Number.isFinite(capacity) || capacity >= durations.length) return Math.max(0, ...durations);
	const slotFreeAt = new Array(capacity).fill(0);
	let end = 0;
	for (const d of durations) {
		let slot = 0;
		for (let i = 1; i < capacity; i++) if (slotFreeAt[i] < slotFreeAt[slot]) slot = i;
		slotFreeAt[slot] += d;
		end = Math.max(end, slotFreeAt[slot]);
	}
	return end;
}

/**
 * Rate term: every job needs at least 2 counted requests (its submit and one poll that sees it
 * finished), so R = 2N requests. The sandbox's window is sliding: at most L requests in any W
 * ms, so request k + L comes at least W after request k, and the R-th request is no earlier
 * than W · floor((R − 1) / L) (for R ≤ L, no wait at all).
 * @param {number} jobs
 * @param {{ requestsPerMinute: number, windowMs?: number } | null} rateLimit
 */
function rateMakespan(jobs, rateLimit) {
	if (!rateLimit) return 0;
	const window = rateLimit.windowMs ?? 60_000;
	return window * Math.floor((2 * jobs - 1) / rateLimit.requestsPerMinute);
}

/**
 * @param {number[]} durations
 * @param {{ capacity: number, rateLimit: { requestsPerMinute: number, windowMs?: number } | null }} regime
 */
function lowerBound(durations, regime) {
	const capacityMs = capacityMakespan(durations, regime.capacity);
	const rateMs = rateMakespan(durations.length, regime.rateLimit);
	return { ms: Math.max(capacityMs, rateMs), capacityMs, rateMs, bindingTerm: rateMs > capacityMs ? 'rate' : 'capacity' };
}

const FORMULA = [
	'LB = max(C, R).',
	'C (capacity) = end of the greedy FIFO schedule of the N drawn durations d₁…d_N (in submit order) on `capacity` slots, zero overhead; ≥ max(Σd/capacity, max d); with unlimited capacity C = max d.',
	'R (rate) = W · ⌊(2N − 1)/L⌋ for a sliding window of L requests per W ms: each job needs ≥ 2 counted requests (submit + one poll), and request k+L cannot come before request k + W. (The token-bucket estimate (2N − L)/rate would be lower, but no client can reach it against a sliding window.)',
];

module.exports = { lowerBound, capacityMakespan, rateMakespan, FORMULA };
