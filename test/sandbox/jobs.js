// @ts-check
'use strict';

const crypto = require('node:crypto');
const { durationSampler } = require('./durations');
const { DEFAULTS } = require('./options');

// The lifecycle is computed, not timed: every read first replays, in time order, the
// completions that are due, and hands freed slots to queued jobs at the exact moment of the
// completion. No timers run, so the store needs no cleanup, and startedAt/completedAt are exact
// whenever a client happens to look.

/**
 * @typedef {object} Job
 * @property {string} jobId
 * @property {string} key
 * @property {Record<string, unknown>} body the submit body exactly as received
 * @property {string | null} contentType the submit request's Content-Type
 * @property {string[]} ignoredFields fields the real API would ignore on this job's path
 * @property {boolean} fails the prompt asked for a failure ([fail])
 * @property {number} creditCost
 * @property {number} durationMs
 * @property {number} submittedAt epoch ms, like every time below
 * @property {number | null} startedAt when it got a slot
 * @property {number | null} completedAt when it reached completed or failed
 * @property {number} polls
 * @property {number | null} firstTerminalPollAt
 * @property {import('./images').ImageSpec[]} images
 */

const FAILURE_MARKER = '[fail]';
const FAILURE_MESSAGE = 'Generation failed: content policy violation';
// Share of the run during which a started job still reports the first intermediate status.
const FIRST_STATUS_SHARE = 0.3;

class JobStore {
	constructor() {
		/** @type {Map<string, Job>} */
		this.jobs = new Map();
		/** @type {Set<Job>} */
		this.running = new Set();
		/** @type {Map<string, Job[]>} FIFO of jobs waiting for a slot, per key */
		this.queues = new Map();
		this.capacity = Infinity;
		/** @type {number | null} */
		this.ttlMs = null;
		this.sampleDuration = durationSampler(DEFAULTS.jobDurationMs);
		this.counters = emptyCounters();
	}

	/** @param {Partial<import('./options').SandboxOptions>} options */
	configure(options) {
		if ('capacity' in options) this.capacity = options.capacity ?? Infinity;
		if ('jobTtlMs' in options) this.ttlMs = options.jobTtlMs ?? null;
		if (options.jobDurationMs !== undefined) this.sampleDuration = durationSampler(options.jobDurationMs);
	}

	/**
	 * @param {object} input
	 * @param {string} input.key
	 * @param {Record<string, unknown>} input.body
	 * @param {string | null} input.contentType
	 * @param {string[]} input.ignoredFields
	 * @param {number} input.creditCost
	 * @param {(jobId: string, index: number) => import('./images').ImageSpec} input.imageSpec
	 * @param {number} now
	 */
	create(input, now) {
		this.advance(now);
		const jobId = `job_${crypto.randomBytes(12).toString('hex')}`;
		const imageCount = /** @type {number} */ (input.body.numberOfImages ?? 1);
		/** @type {Job} */
		const job = {
			jobId,
			key: input.key,
			body: input.body,
			contentType: input.contentType,
			ignoredFields: input.ignoredFields,
			fails: String(input.body.prompt).includes(FAILURE_MARKER),
			creditCost: input.creditCost,
			durationMs: 0,
			submittedAt: now,
			startedAt: null,
			completedAt: null,
			polls: 0,
			firstTerminalPollAt: null,
			images: Array.from({ length: imageCount }, (_, index) => input.imageSpec(jobId, index)),
		};
		job.durationMs = this.sampleDuration({ jobId, key: job.key, body: job.body });
		this.jobs.set(jobId, job);
		this.queueOf(job.key).push(job);
		const counters = this.counters;
		counters.maxInFlight = Math.max(counters.maxInFlight, ++counters.inFlight);
		this.fillSlots(job.key, now);
		return job;
	}

	/**
	 * A job as its owner sees it: undefined when unknown, another key's, or expired.
	 * @param {string} jobId
	 * @param {string | null} key null = any owner (image URLs carry no key)
	 * @param {number} now
	 */
	find(jobId, key, now) {
		this.advance(now);
		const job = this.jobs.get(jobId);
		if (!job || (key !== null && job.key !== key)) return undefined;
		if (this.ttlMs !== null && now - job.submittedAt >= this.ttlMs) return undefined;
		return job;
	}

	/**
	 * The status the API reports; call after find(), which brings the job up to `now`.
	 * @param {Job} job
	 * @param {number} now
	 * @param {string[]} statuses intermediate status names
	 */
	statusOf(job, now, statuses) {
		const phase = phaseOf(job);
		if (phase === 'completed' || phase === 'failed') return phase;
		if (job.startedAt === null) return statuses[0];
		const progress = (now - job.startedAt) / Math.max(1, job.durationMs);
		if (progress < FIRST_STATUS_SHARE || statuses.length === 1) return statuses[0];
		const later = Math.floor(((progress - FIRST_STATUS_SHARE) / (1 - FIRST_STATUS_SHARE)) * (statuses.length - 1));
		return statuses[Math.min(statuses.length - 1, 1 + later)];
	}

	/**
	 * Counts a poll; the first one that reports a terminal status ends the job's time in flight.
	 * @param {Job} job
	 * @param {boolean} terminal
	 * @param {number} now
	 */
	recordPoll(job, terminal, now) {
		job.polls++;
		if (terminal && job.firstTerminalPollAt === null) {
			job.firstTerminalPollAt = now;
			this.counters.inFlight--;
		}
	}

	/**
	 * Replays every completion due by `now`, oldest first, refilling slots as they free up.
	 * @param {number} now
	 */
	advance(now) {
		for (;;) {
			let next = null;
			for (const job of this.running) {
				if (next === null || endOf(job) < endOf(next)) next = job;
			}
			if (next === null || endOf(next) > now) break;
			const end = endOf(next);
			next.completedAt = end;
			this.running.delete(next);
			this.fillSlots(next.key, end);
		}
		// A raised capacity frees slots without any completion.
		for (const key of this.queues.keys()) this.fillSlots(key, now);
	}

	/**
	 * @param {string} key
	 * @param {number} at
	 */
	fillSlots(key, at) {
		const queue = this.queueOf(key);
		while (queue.length > 0 && this.runningCount(key) < this.capacity) {
			const job = /** @type {Job} */ (queue.shift());
			job.startedAt = at;
			this.running.add(job);
			this.counters.maxRunning = Math.max(this.counters.maxRunning, this.running.size);
		}
	}

	/** @param {string} key */
	queueOf(key) {
		let queue = this.queues.get(key);
		if (!queue) this.queues.set(key, (queue = []));
		return queue;
	}

	/** @param {string} key */
	runningCount(key) {
		let count = 0;
		for (const job of this.running) if (job.key === key) count++;
		return count;
	}

	/** @param {number} now */
	snapshot(now) {
		this.advance(now);
		const jobs = [...this.jobs.values()];
		/** @type {Record<string, number>} */
		const jobsByKey = {};
		for (const job of jobs) jobsByKey[job.key] = (jobsByKey[job.key] ?? 0) + 1;
		return {
			jobsCreated: jobs.length,
			jobsByKey,
			running: this.running.size,
			queued: [...this.queues.values()].reduce((sum, q) => sum + q.length, 0),
			...this.counters,
			jobs: jobs.map(jobStats),
		};
	}

	clear() {
		this.jobs.clear();
		this.running.clear();
		this.queues.clear();
		this.counters = emptyCounters();
	}
}

function emptyCounters() {
	// In flight: submitted, and not yet seen terminal by a poll — what a client's own
	// concurrency limit controls, unlike `running`, which the sandbox's capacity controls.
	return { maxRunning: 0, inFlight: 0, maxInFlight: 0 };
}

/** @param {Job} job */
const endOf = (job) => /** @type {number} */ (job.startedAt) + job.durationMs;

/** @param {Job} job */
function phaseOf(job) {
	if (job.completedAt !== null) return job.fails ? 'failed' : 'completed';
	return job.startedAt === null ? 'queued' : 'running';
}

/** @param {Job} job */
function jobStats(job) {
	return {
		jobId: job.jobId,
		key: job.key,
		body: job.body,
		contentType: job.contentType,
		ignoredFields: job.ignoredFields,
		status: phaseOf(job),
		creditCost: job.creditCost,
		durationMs: job.durationMs,
		submittedAt: job.submittedAt,
		startedAt: job.startedAt,
		completedAt: job.completedAt,
		polls: job.polls,
		firstTerminalPollAt: job.firstTerminalPollAt,
		detectionDelayMs:
			job.firstTerminalPollAt !== null && job.completedAt !== null ? job.firstTerminalPollAt - job.completedAt : null,
	};
}

module.exports = { JobStore, FAILURE_MESSAGE };
