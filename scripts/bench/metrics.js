// @ts-check
'use strict';

// Turns a sandbox's stats into the benchmark's per-run figures.

const crypto = require('node:crypto');

/** @param {number[]} values @param {number} q 0..1, nearest-rank */
function quantile(values, q) {
	if (!values.length) return null;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** The per-job detection target: max(1 s, 15 % of the job's own duration). @param {number} durationMs */
const detectionTargetMs = (durationMs) => Math.max(1000, 0.15 * durationMs);

/**
 * @param {any} stats `sandbox.stats()`
 * @param {number} items prompts in the run
 */
function sandboxMetrics(stats, items) {
	const jobs = /** @type {any[]} */ (stats.jobs);
	const detected = jobs.filter((j) => j.detectionDelayMs !== null);
	const delays = detected.map((j) => j.detectionDelayMs);
	const met = detected.filter((j) => j.detectionDelayMs <= detectionTargetMs(j.durationMs)).length;
	const apiTimes = stats.requestLog.filter((/** @type {any} */ r) => r.origin === 'api').map((/** @type {any} */ r) => r.at);
	const images = /** @type {any[]} */ (stats.images);
	return {
		apiRequests: stats.apiRequests,
		requestsPerItem: stats.apiRequests / items,
		rateLimited: stats.rateLimited,
		jobsCreated: stats.jobsCreated,
		pollsPerJob: jobs.length ? jobs.reduce((s, j) => s + j.polls, 0) / jobs.length : null,
		maxInFlight: stats.maxInFlight,
		maxRunning: stats.maxRunning,
		detectionP50Ms: quantile(delays, 0.5),
		detectionP95Ms: quantile(delays, 0.95),
		detectionMaxMs: delays.length ? Math.max(...delays) : null,
		detectionMetShare: detected.length ? met / detected.length : null,
		jobsDetected: detected.length,
		imagesComplete: images.filter((i) => i.complete).length,
		firstApiRequestAt: apiTimes.length ? Math.min(...apiTimes) : null,
		lastApiRequestAt: apiTimes.length ? Math.max(...apiTimes) : null,
		/** drawn durations in submit order (the store keeps insertion order), ms */
		durations: jobs.map((j) => j.durationMs),
		requests: stats.requests,
	};
}

/**
 * Which prompt an image's bytes belong to, by what the sandbox served: the bytes of every image
 * it sent in full, the job each image URL belongs to, and each job's prompt. Bytes the sandbox
 * never served (a corrupted or someone else's image) have no prompt.
 * @param {any} stats `sandbox.stats()`
 * @returns {(bytes: Buffer) => string | undefined}
 */
function promptOfImage(stats) {
	const images = /** @type {any[]} */ (stats.images);
	const jobOfImage = new Map(images.filter((image) => image.complete).map((image) => [image.sha256, /\/images\/(.+)-\d+\.\w+$/.exec(image.path)?.[1]]));
	const promptOfJob = new Map(/** @type {any[]} */ (stats.jobs).map((job) => [job.jobId, job.body.prompt]));
	return (bytes) => promptOfJob.get(jobOfImage.get(crypto.createHash('sha256').update(bytes).digest('hex')) ?? '');
}

module.exports = { sandboxMetrics, quantile, detectionTargetMs, promptOfImage };
