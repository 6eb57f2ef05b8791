import type { PollTuning } from '../timing';
import { DEFAULT_TIMING } from '../timing';
import type { DurationInterval, LogNormal } from './latencyModel';
import { durationAtSurvival, fitLogNormal, survival } from './latencyModel';

/**
 * Decides when to poll a running job. Jobs of one run take similar times, so the planner fits
 * the run's duration distribution to what its polls have seen (see latencyModel) and places
 * each poll where the job has probably finished, given how long it has already been seen
 * running. Until a first job has finished there is nothing to fit: then only a few scout
 * jobs poll, backing off, and the others wait for the scouts' news instead of each paying
 * for the same lesson. One planner serves every node call of a key's coordinator (see
 * scheduler/keyCoordinator.ts) for one generation path, so a loop batch or a new execution
 * starts from what earlier ones learnt.
 */

/** A job submitted from this process, from submission until it is seen finished. */
export interface TrackedJob {
	submittedAt: number;
	/** Submission order (submissions within one millisecond are common). */
	sequence: number;
	/** Milliseconds after submission of the last poll that found it running (0: none yet). */
	seenRunningMs: number;
	/** Polls that found it running. */
	misses: number;
}

export class PollPlanner {
	private readonly finished: DurationInterval[] = [];
	private readonly running = new Set<TrackedJob>();
	private tracked = 0;
	private model: LogNormal | undefined;
	private modelIsCurrent = true;
	private wakeWaiters: () => void = () => {};
	private news = this.nextNews();

	constructor(
		private readonly tuning: PollTuning = DEFAULT_TIMING.poll,
		private readonly random: () => number = Math.random,
		private readonly now: () => number = Date.now,
	) {}

	/** Jobs submitted and not yet seen finished: each still needs at least one poll. */
	get runningJobs(): number {
		return this.running.size;
	}

	/** Resolves when a poll has taught the planner something: jobs told to wait should ask again. */
	get changed(): Promise<void> {
		return this.news;
	}

	track(submittedAt: number): TrackedJob {
		const job = { submittedAt, sequence: this.tracked++, seenRunningMs: 0, misses: 0 };
		this.running.add(job);
		return job;
	}

	sawRunning(job: TrackedJob, elapsedMs: number): void {
		job.seenRunningMs = elapsedMs;
		job.misses++;
		this.learn();
	}

	sawFinished(job: TrackedJob, elapsedMs: number): void {
		this.running.delete(job);
		this.finished.push({ afterMs: job.seenRunningMs, byMs: elapsedMs });
		if (this.finished.length > this.tuning.memory) this.finished.shift();
		this.learn();
	}

	/** Stops counting a job that ended otherwise (timed out, failed to poll): it says nothing about durations. */
	forget(job: TrackedJob): void {
		if (this.running.delete(job)) this.learn();
	}

	/**
	 * Milliseconds to wait before polling `job` next, or undefined when it should wait for news
	 * (`changed`) instead: nothing is known yet and other jobs are scouting. A job not tracked
	 * here (given by ID, its submission unknown) is its own scout.
	 */
	nextPollDelay(job: TrackedJob, scarce: boolean): number | undefined {
		const { tuning } = this;
		const elapsed = this.now() - job.submittedAt;
		const isTracked = this.running.has(job);
		const model = isTracked ? this.currentModel() : undefined;
		let delay: number;
		if (model) {
			const hitRate = scarce ? tuning.scarceHitRate : tuning.hitRate;
			const target = durationAtSurvival(model, (1 - hitRate) * survival(model, job.seenRunningMs));
			// While requests are plentiful a job seen running is looked at again soon, so that
			// the slow ones are noticed quickly too; when they are scarce, only the odds count.
			const missGap =
				Math.max(tuning.minMissGapMs, tuning.missGapFraction * Math.exp(model.mu)) * tuning.missBackoff ** Math.max(0, job.misses - 1);
			delay = (job.seenRunningMs > 0 && !scarce ? Math.min(target, job.seenRunningMs + missGap) : target) - elapsed;
		} else {
			if (isTracked && !this.isScout(job)) return undefined;
			const stretch = scarce ? tuning.scarceStretch : 1;
			delay = Math.max(tuning.priorFirstPollMs * stretch - elapsed, elapsed * tuning.backoffFraction * stretch);
		}
		const bounded = Math.min(tuning.maxGapMs, Math.max(tuning.minGapMs, delay));
		return bounded * (1 - tuning.jitter + 2 * tuning.jitter * this.random());
	}

	/** The scouts are the longest-running jobs: they are the likeliest to finish first. */
	private isScout(job: TrackedJob): boolean {
		let olderJobs = 0;
		for (const other of this.running) if (other.sequence < job.sequence) olderJobs++;
		return olderJobs < this.tuning.scouts;
	}

	private currentModel(): LogNormal | undefined {
		if (!this.modelIsCurrent) {
			const stillRunning = [...this.running]
				.filter((job) => job.seenRunningMs > 0)
				.map((job) => ({ afterMs: job.seenRunningMs, byMs: Number.POSITIVE_INFINITY }));
			this.model = fitLogNormal([...this.finished, ...stillRunning], this.tuning);
			this.modelIsCurrent = true;
		}
		return this.model;
	}

	private learn(): void {
		this.modelIsCurrent = false;
		this.wakeWaiters();
		this.news = this.nextNews();
	}

	private nextNews(): Promise<void> {
		return new Promise((resolve) => {
			this.wakeWaiters = resolve;
		});
	}
}
