import type { JobResponse } from '../schemas/apiResponses';
import { jobState } from '../schemas/apiResponses';
import type { PixelDojoClient, RequestScope } from '../transport/pixelDojoClient';
import { RequestBudget } from '../transport/requestBudget';
import { RunStop } from '../utils/runStop';
import type { TrackedJob } from './pollPlanner';
import { PollPlanner } from './pollPlanner';
import { Semaphore } from './semaphore';

export interface SchedulerSettings {
	/** Jobs in flight at once: from the submit until the job is seen finished. */
	maxConcurrency: number;
	/** Image downloads at once, across all jobs of the run. */
	maxDownloads: number;
}

export interface WaitOutcome {
	job: JobResponse;
	/** The deadline passed while the job was still running. */
	timedOut: boolean;
}

export type ItemOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * One scheduler per node run, shared by all input items: it bounds the jobs in flight and the
 * downloads, spends one request budget, learns job durations for the poll planner, and stops
 * everything at once when the execution is cancelled or an item fails the run.
 */
export class JobScheduler {
	readonly budget: RequestBudget;
	readonly stop: RunStop;
	private readonly stopRun = new AbortController();
	private readonly jobSlots: Semaphore;
	private readonly downloadSlots: Semaphore;
	private readonly jobsByItem = new Map<number, string>();
	private firstFailure: unknown;
	private itemsWithoutJob = 0;

	constructor(
		settings: SchedulerSettings,
		executionSignal: AbortSignal | undefined,
		readonly planner: PollPlanner = new PollPlanner(),
	) {
		this.budget = new RequestBudget(() => ({ itemsWithoutJob: this.itemsWithoutJob, runningJobs: this.planner.runningJobs }));
		this.jobSlots = new Semaphore(settings.maxConcurrency);
		this.downloadSlots = new Semaphore(settings.maxDownloads);
		this.stop = new RunStop(executionSignal ? AbortSignal.any([executionSignal, this.stopRun.signal]) : this.stopRun.signal);
	}

	/**
	 * Runs every item's task concurrently (slots do the limiting) and returns the outcomes in
	 * input order. Unless failures are to be continued past, the first failure stops the rest.
	 */
	async runItems<T>(count: number, task: (itemIndex: number) => Promise<T>, continueOnFail: boolean): Promise<Array<ItemOutcome<T>>> {
		this.itemsWithoutJob = count;
		const outcomes = await Promise.all(
			Array.from({ length: count }, async (_, itemIndex): Promise<ItemOutcome<T>> => {
				try {
					return { ok: true, value: await task(itemIndex) };
				} catch (error) {
					if (!continueOnFail && this.firstFailure === undefined) {
						this.firstFailure = error;
						this.stopRun.abort(error);
					}
					return { ok: false, error };
				} finally {
					if (!this.jobsByItem.has(itemIndex)) this.itemsWithoutJob--;
				}
			}),
		);
		return outcomes;
	}

	/** The failure that stopped the run, as opposed to the cancellations it caused. */
	get stoppingFailure(): unknown {
		return this.firstFailure;
	}

	withJobSlot<T>(task: () => Promise<T>): Promise<T> {
		return this.jobSlots.use(task);
	}

	withDownloadSlot<T>(task: () => Promise<T>): Promise<T> {
		return this.downloadSlots.use(task);
	}

	/** Remembers which job an item works on, so no failure of that item can lose the job ID. */
	noteJob(itemIndex: number, jobId: string): void {
		if (!this.jobsByItem.has(itemIndex)) this.itemsWithoutJob--;
		this.jobsByItem.set(itemIndex, jobId);
	}

	jobOf(itemIndex: number): string | undefined {
		return this.jobsByItem.get(itemIndex);
	}

	/** Jobs of items other than `exceptItem`, to report when the run stops early. */
	otherJobs(exceptItem: number): string[] {
		return [...this.jobsByItem].filter(([itemIndex]) => itemIndex !== exceptItem).map(([, jobId]) => jobId);
	}

	/**
	 * Polls a job until it finishes or the scope's deadline passes. `submittedAt` is known for
	 * jobs this run submitted (their durations teach the planner); a job given by ID is polled
	 * at once and then backs off on its own.
	 */
	async waitForJob(client: PixelDojoClient, jobId: string, scope: RequestScope, submittedAt?: number): Promise<WaitOutcome> {
		const tracked = submittedAt === undefined ? undefined : this.planner.track(submittedAt);
		const job: TrackedJob = tracked ?? { submittedAt: Date.now(), sequence: -1, seenRunningMs: 0, misses: 0 };
		try {
			for (let polls = 0; ; polls++) {
				if (polls > 0 || tracked) await this.untilNextPoll(job, scope.deadline);
				const response = await client.getJob(jobId, scope);
				const elapsed = Date.now() - job.submittedAt;
				if (jobState(response) !== 'running') {
					if (tracked) this.planner.sawFinished(tracked, elapsed);
					return { job: response, timedOut: false };
				}
				if (tracked) this.planner.sawRunning(tracked, elapsed);
				if (Date.now() >= scope.deadline) return { job: response, timedOut: true };
			}
		} finally {
			if (tracked) {
				this.planner.forget(tracked);
				// A submit may be waiting for the poll this job no longer needs.
				this.budget.notifyChange();
			}
		}
	}

	private async untilNextPoll(job: TrackedJob, deadline: number): Promise<void> {
		const NEWS_RECHECK_MS = 30_000;
		for (;;) {
			const remaining = deadline - Date.now();
			const delay = this.planner.nextPollDelay(job, this.budget.isScarce());
			if (delay !== undefined) return await this.stop.sleep(Math.max(0, Math.min(delay, remaining)));
			if (remaining <= 0) return;
			// Nothing is known yet and other jobs are scouting: wait for what their polls show.
			await Promise.race([this.stop.sleep(Math.min(remaining, NEWS_RECHECK_MS)), this.planner.changed]);
		}
	}
}
