/**
 * Decides when to poll a running job. Jobs of one run take similar times, so the planner
 * estimates the run's duration distribution (Kaplan–Meier, so that jobs still running count
 * as "at least this long" and the first, short finishers do not make it poll too early) and
 * places each poll where most jobs that ran as long as this one had finished: a poll then
 * usually finds the job done, and the wait past completion stays within the spread of the
 * run's own durations. Where the estimate has nothing to say yet, polls back off in
 * proportion to the time already waited.
 */
export interface PollTuning {
	/** No poll comes earlier than this after submission, unless the run's own durations say so. */
	priorFirstPollMs: number;
	/** Chance that the next poll finds the job done, while requests are plentiful. */
	hitRate: number;
	/** The same when the rate limit is what holds the run back: a wasted poll then costs time. */
	scarceHitRate: number;
	/** Without an estimate, each poll waits this fraction of the time the job has run so far. */
	backoffFraction: number;
	/** Without an estimate and with requests scarce, the prior and the backoff are stretched by this factor. */
	scarceStretch: number;
	minGapMs: number;
	maxGapMs: number;
	jitter: number;
}

export const DEFAULT_POLL_TUNING: PollTuning = {
	priorFirstPollMs: 2500,
	hitRate: 0.65,
	scarceHitRate: 0.9,
	backoffFraction: 0.3,
	scarceStretch: 2,
	minGapMs: 500,
	maxGapMs: 30_000,
	jitter: 0.1,
};

/** A job this run submitted, from submission until it is seen finished. */
export interface TrackedJob {
	submittedAt: number;
}

/** Products of fractions like 9/10 · 8/9 · … miss their exact value by a few ulps. */
const ROUNDING = 1e-9;

export class PollPlanner {
	private readonly finished: number[] = [];
	private readonly running = new Set<TrackedJob>();

	constructor(
		private readonly tuning: PollTuning = DEFAULT_POLL_TUNING,
		private readonly random: () => number = Math.random,
		private readonly now: () => number = Date.now,
	) {}

	/** Jobs submitted and not yet seen finished: each still needs at least one poll. */
	get runningJobs(): number {
		return this.running.size;
	}

	track(submittedAt: number): TrackedJob {
		const job = { submittedAt };
		this.running.add(job);
		return job;
	}

	/** The job was last seen running `lastRunningMs` after submission, and finished at `detectedMs`: it finished in between. */
	finish(job: TrackedJob, lastRunningMs: number, detectedMs: number): void {
		this.running.delete(job);
		this.finished.push((lastRunningMs + detectedMs) / 2);
	}

	/** Stops counting a job that ended otherwise (timed out, failed to poll): it says nothing about durations. */
	forget(job: TrackedJob): void {
		this.running.delete(job);
	}

	/** Milliseconds to wait before the next poll of a job that has run `elapsedMs` since submission. */
	nextPollDelay(elapsedMs: number, scarce: boolean): number {
		const { tuning } = this;
		const estimated = this.timeToHit(elapsedMs, scarce ? tuning.scarceHitRate : tuning.hitRate);
		const stretch = scarce ? tuning.scarceStretch : 1;
		const delay =
			estimated !== undefined
				? estimated - elapsedMs
				: Math.max(tuning.priorFirstPollMs * stretch - elapsedMs, elapsedMs * tuning.backoffFraction * stretch);
		const bounded = Math.min(tuning.maxGapMs, Math.max(tuning.minGapMs, delay));
		return bounded * (1 - tuning.jitter + 2 * tuning.jitter * this.random());
	}

	/**
	 * The earliest duration by which, of the jobs that ran longer than `elapsedMs`, the share
	 * `hitRate` had finished, by the Kaplan–Meier survival estimate; undefined when the finished
	 * jobs do not reach that share yet.
	 */
	private timeToHit(elapsedMs: number, hitRate: number): number | undefined {
		const now = this.now();
		const events = [
			...this.finished.map((at) => ({ at, finished: true })),
			...[...this.running].map((job) => ({ at: now - job.submittedAt, finished: false })),
		].sort((a, b) => a.at - b.at || Number(b.finished) - Number(a.finished));
		let atRisk = events.length;
		let survival = 1;
		let survivalAtElapsed = 1;
		for (const event of events) {
			if (event.finished) {
				survival *= 1 - 1 / atRisk;
				if (event.at <= elapsedMs) survivalAtElapsed = survival;
				else if (survival <= survivalAtElapsed * (1 - hitRate) + ROUNDING) return event.at;
			}
			atRisk--;
		}
		return undefined;
	}
}
