import type { JobResponse } from '../schemas/apiResponses';
import { jobState } from '../schemas/apiResponses';
import type { PollTuning } from '../timing';
import type { RequestScope } from '../transport/failures';
import type { PixelDojoClient } from '../transport/pixelDojoClient';
import type { RequestBudget } from '../transport/requestBudget';
import { RunStop } from '../utils/runStop';
import type { CallLoad, JobOrigin, KeyCoordinator } from './keyCoordinator';
import type { PollPlanner, TrackedJob } from './pollPlanner';
import { Slots } from './slots';

export interface SchedulerSettings {
	/** Jobs in flight at once for this call: from the submit until the job is seen finished. */
	maxConcurrency: number;
	/** Image downloads at once, across all jobs of the call. */
	maxDownloads: number;
	/** n8n processes the operator says share the key (see KeyCoordinator). */
	processesSharingKey: number;
}

export interface WaitOutcome {
	job: JobResponse;
	/** The deadline passed while the job was still running. */
	timedOut: boolean;
}

export type ItemOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * One scheduler per node call, shared by its input items: it bounds the call's jobs in flight
 * and downloads, and stops everything at once when the execution is cancelled or an item fails
 * the call. What outlives the call (the request budget, the learnt durations, the key's job
 * slots) belongs to the key's coordinator, which every call of the node in this process shares.
 */
export class JobScheduler implements CallLoad {
	readonly stop: RunStop;
	private readonly stopRun = new AbortController();
	private readonly callJobSlots: Slots;
	private readonly downloadSlots: Slots;
	private readonly jobsByItem = new Map<number, string>();
	private firstFailure: unknown;
	private itemsWithoutJobCount = 0;

	constructor(
		private readonly settings: SchedulerSettings,
		executionSignal: AbortSignal | undefined,
		private readonly coordinator: KeyCoordinator,
		private readonly tuning: PollTuning,
	) {
		this.callJobSlots = new Slots(() => settings.maxConcurrency);
		this.downloadSlots = new Slots(() => settings.maxDownloads);
		this.stop = new RunStop(executionSignal ? AbortSignal.any([executionSignal, this.stopRun.signal]) : this.stopRun.signal);
	}

	get budget(): RequestBudget {
		return this.coordinator.budget;
	}

	get itemsWithoutJob(): number {
		return this.itemsWithoutJobCount;
	}

	get maxConcurrency(): number {
		return this.settings.maxConcurrency;
	}

	get processesSharingKey(): number {
		return this.settings.processesSharingKey;
	}

	/**
	 * Runs every item's task concurrently (slots do the limiting) and returns the outcomes in
	 * input order. Unless failures are to be continued past, the first failure stops the rest.
	 */
	async runItems<T>(count: number, task: (itemIndex: number) => Promise<T>, continueOnFail: boolean): Promise<Array<ItemOutcome<T>>> {
		this.itemsWithoutJobCount = count;
		const leave = this.coordinator.join(this);
		try {
			return await Promise.all(
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
						if (!this.jobsByItem.has(itemIndex)) this.itemsWithoutJobCount--;
					}
				}),
			);
		} finally {
			leave();
		}
	}

	/** The failure that stopped the run, as opposed to the cancellations it caused. */
	get stoppingFailure(): unknown {
		return this.firstFailure;
	}

	/** A slot of this call's and of the key's: the call's Max Concurrency and the key's job limit both hold. */
	withJobSlot<T>(task: () => Promise<T>): Promise<T> {
		return this.callJobSlots.use(this.stop, () => this.coordinator.jobSlots.use(this.stop, task));
	}

	withDownloadSlot<T>(task: () => Promise<T>): Promise<T> {
		return this.downloadSlots.use(this.stop, task);
	}

	/** Remembers which job an item works on, so no failure of that item can lose the job ID. */
	noteJob(itemIndex: number, jobId: string): void {
		if (!this.jobsByItem.has(itemIndex)) this.itemsWithoutJobCount--;
		this.jobsByItem.set(itemIndex, jobId);
	}

	jobOf(itemIndex: number): string | undefined {
		return this.jobsByItem.get(itemIndex);
	}

	/** Jobs of items other than `exceptItem`, to report when the run stops early. */
	otherJobs(exceptItem: number): string[] {
		return [...this.jobsByItem].filter(([itemIndex]) => itemIndex !== exceptItem).map(([, jobId]) => jobId);
	}

	/** A job this process just submitted: a later wait for it, in this call or another, knows its age. */
	rememberSubmitted(jobId: string, origin: JobOrigin): void {
		this.coordinator.rememberOrigin(jobId, origin);
	}

	/**
	 * Polls a job until it finishes or the scope's deadline passes. The origin is known for jobs
	 * submitted from this process, given or remembered by the key's coordinator (their durations
	 * teach the planner of their path); any other job is polled at once and then backs off on its own.
	 */
	async waitForJob(client: PixelDojoClient, jobId: string, scope: RequestScope, knownOrigin?: JobOrigin): Promise<WaitOutcome> {
		const origin = knownOrigin ?? this.coordinator.originOf(jobId);
		const planner = this.coordinator.plannerFor(origin?.path ?? 'job given by ID');
		const tracked = origin === undefined ? undefined : planner.track(origin.submittedAt);
		const job: TrackedJob = tracked ?? { submittedAt: Date.now(), sequence: -1, seenRunningMs: 0, misses: 0 };
		try {
			for (let polls = 0; ; polls++) {
				if (polls > 0 || tracked) await this.untilNextPoll(job, scope.deadline, planner);
				const response = await client.getJob(jobId, scope);
				const elapsed = Date.now() - job.submittedAt;
				if (jobState(response) !== 'running') {
					if (tracked) planner.sawFinished(tracked, elapsed);
					return { job: response, timedOut: false };
				}
				if (tracked) planner.sawRunning(tracked, elapsed);
				if (Date.now() >= scope.deadline) return { job: response, timedOut: true };
			}
		} finally {
			if (tracked) {
				planner.forget(tracked);
				// A submit may be waiting for the poll this job no longer needs.
				this.budget.notifyChange();
			}
		}
	}

	private async untilNextPoll(job: TrackedJob, deadline: number, planner: PollPlanner): Promise<void> {
		for (;;) {
			const remaining = deadline - Date.now();
			const delay = planner.nextPollDelay(job, this.budget.isScarce());
			if (delay !== undefined) return await this.stop.sleep(Math.max(0, Math.min(delay, remaining)));
			if (remaining <= 0) return;
			// Nothing is known yet and other jobs are scouting: wait for what their polls show.
			await Promise.race([this.stop.sleep(Math.min(remaining, this.tuning.newsRecheckMs)), planner.changed]);
		}
	}
}
