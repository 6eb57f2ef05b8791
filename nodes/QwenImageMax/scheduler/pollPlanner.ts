/**
 * Decides when to poll a running job. Jobs of one run tend to take similar times, so once a
 * few have finished, the first poll of the others waits until most jobs like them are done,
 * and later polls back off in proportion to the time already waited: detection stays within
 * a fraction of the job's duration while long jobs cost few requests.
 */
export interface PollTuning {
	/** First poll before any job of this run has finished. */
	priorFirstPollMs: number;
	/** Quantile of the observed durations for the first poll, while requests are plentiful. */
	firstPollQuantile: number;
	/** The same when the rate limit is what holds the run back: a wasted poll then costs time. */
	scarceFirstPollQuantile: number;
	/** Each further poll waits this fraction of the time the job has run so far. */
	backoffFraction: number;
	backoffFractionWithoutSamples: number;
	minGapMs: number;
	maxGapMs: number;
	/** Samples needed before the observed durations are trusted over the prior. */
	minSamples: number;
	jitter: number;
}

export const DEFAULT_POLL_TUNING: PollTuning = {
	priorFirstPollMs: 2500,
	firstPollQuantile: 0.65,
	scarceFirstPollQuantile: 0.9,
	backoffFraction: 0.15,
	backoffFractionWithoutSamples: 0.3,
	minGapMs: 500,
	maxGapMs: 30_000,
	minSamples: 2,
	jitter: 0.1,
};

export class PollPlanner {
	private readonly durations: number[] = [];

	constructor(
		private readonly tuning: PollTuning = DEFAULT_POLL_TUNING,
		private readonly random: () => number = Math.random,
	) {}

	/**
	 * A job seen finished at `detectedMs` after submission, last seen running at
	 * `lastRunningMs`: it finished somewhere in between.
	 */
	recordCompletion(lastRunningMs: number, detectedMs: number): void {
		const estimate = (lastRunningMs + detectedMs) / 2;
		const at = this.durations.findIndex((duration) => duration > estimate);
		this.durations.splice(at === -1 ? this.durations.length : at, 0, estimate);
	}

	/** Milliseconds to wait before the next poll of a job that has run `elapsedMs` since submission. */
	nextPollDelay(elapsedMs: number, scarce: boolean): number {
		const hasSamples = this.durations.length >= this.tuning.minSamples;
		const expected = hasSamples
			? this.quantile(scarce ? this.tuning.scarceFirstPollQuantile : this.tuning.firstPollQuantile)
			: this.tuning.priorFirstPollMs;
		const fraction = hasSamples ? this.tuning.backoffFraction : this.tuning.backoffFractionWithoutSamples;
		const backoff = Math.min(this.tuning.maxGapMs, Math.max(this.tuning.minGapMs, elapsedMs * fraction));
		const delay = Math.max(expected - elapsedMs, backoff);
		return delay * (1 - this.tuning.jitter + 2 * this.tuning.jitter * this.random());
	}

	private quantile(q: number): number {
		const position = Math.min(this.durations.length - 1, Math.floor(q * this.durations.length));
		return this.durations[position];
	}
}
