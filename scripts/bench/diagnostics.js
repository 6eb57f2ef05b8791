// @ts-check
'use strict';

// Where the time and the requests of one run went, from the sandbox's job records and request
// log: polls that found the job still running, first polls that came too early or too late,
// queueing, how busy the capacity was, and the tail after the last job finished.

const { quantile } = require('./metrics');

/**
 * @param {any} stats `sandbox.stats()`
 * @param {{ capacity: number, wallFrom: number | null, wallTo: number | null }} o epoch ms
 */
function diagnose(stats, { capacity, wallFrom, wallTo }) {
	const jobs = /** @type {any[]} */ (stats.jobs);
	/** @type {Map<string, number[]>} */
	const pollTimes = new Map();
	for (const r of stats.requestLog) {
		if (r.route !== 'poll') continue;
		const id = String(String(r.path).split('?')[0].split('/').pop());
		if (!pollTimes.has(id)) pollTimes.set(id, []);
		/** @type {number[]} */ (pollTimes.get(id)).push(r.at);
	}
	const done = jobs.filter((j) => j.completedAt !== null);
	let earlyPolls = 0;
	let firstPollHits = 0;
	/** @type {number[]} */
	const firstPollAfterSubmit = [];
	/** @type {number[]} */
	const firstPollVsCompletion = [];
	for (const j of jobs) {
		const times = pollTimes.get(j.jobId) ?? [];
		if (!times.length) continue;
		firstPollAfterSubmit.push(times[0] - j.submittedAt);
		if (j.completedAt !== null) {
			firstPollVsCompletion.push(times[0] - j.completedAt);
			if (times[0] >= j.completedAt) firstPollHits++;
		}
		earlyPolls += times.filter((t) => j.completedAt === null || t < j.completedAt).length;
	}
	const queueMs = jobs.filter((j) => j.startedAt !== null).map((j) => j.startedAt - j.submittedAt);
	const lastCompletion = done.length ? Math.max(...done.map((j) => j.completedAt)) : null;
	const busyMs = done.reduce((s, j) => s + j.durationMs, 0);
	const apiTimes = stats.requestLog.filter((/** @type {any} */ r) => r.origin === 'api').map((/** @type {any} */ r) => r.at);
	const span = wallFrom !== null && wallTo !== null ? wallTo - wallFrom : null;
	return {
		/** polls that found the job not finished yet, per job */
		earlyPollsPerJob: jobs.length ? earlyPolls / jobs.length : null,
		/** share of jobs whose first poll already saw them finished (first poll late or just right) */
		firstPollHitShare: done.length ? firstPollHits / done.length : null,
		firstPollAfterSubmitP50Ms: quantile(firstPollAfterSubmit, 0.5),
		/** first poll minus completion: negative = too early, positive = late */
		firstPollVsCompletionP50Ms: quantile(firstPollVsCompletion, 0.5),
		queueP50Ms: quantile(queueMs, 0.5),
		queueMaxMs: queueMs.length ? Math.max(...queueMs) : null,
		/** Σ job durations / (capacity × wall): how busy the plan's slots were */
		capacityUtilisation: Number.isFinite(capacity) && span ? busyMs / (capacity * span) : null,
		/** wall start → first API request */
		leadMs: wallFrom !== null && apiTimes.length ? Math.min(...apiTimes) - wallFrom : null,
		/** last job completion → end of the wall time (last detection + download) */
		tailMs: wallTo !== null && lastCompletion !== null ? wallTo - lastCompletion : null,
		/** API requests per minute of wall time */
		requestsPerMinute: span ? (stats.apiRequests / span) * 60_000 : null,
	};
}

module.exports = { diagnose };
