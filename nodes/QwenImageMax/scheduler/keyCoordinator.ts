import type { Timing } from '../timing';
import { RequestBudget } from '../transport/requestBudget';
import { PollPlanner } from './pollPlanner';
import { Slots } from './slots';

/** A job this process submitted: when, and on which generation path (durations are learnt per path). */
export interface JobOrigin {
	submittedAt: number;
	path: string;
}

/** Far more than the jobs one process has running; past it, the oldest go first. */
const MAX_REMEMBERED_ORIGINS = 10_000;

/** What one node call tells its key's coordinator while it runs. */
export interface CallLoad {
	/** Its items that have no job yet. */
	readonly itemsWithoutJob: number;
	/** Its Max Concurrency: jobs in flight at once. */
	readonly maxConcurrency: number;
	/** n8n processes (queue-mode workers) the operator says share the key. */
	readonly processesSharingKey: number;
}

/**
 * Everything the node learns about one API key in this n8n process, shared by every call of
 * the node that uses the key: loop batches, executions started at once, sub-workflows, the AI
 * tool. One request budget (the API meters requests per key), one learnt duration model per
 * generation path, and one limit on the key's jobs in flight: the largest Max Concurrency of
 * the calls running (divided among the processes sharing the key), so twenty executions don't
 * put twenty jobs against a capacity each of them was told about. Each call keeps its own
 * cancel signal, deadlines and Max Concurrency (see JobScheduler).
 */
export class KeyCoordinator {
	readonly budget: RequestBudget;
	readonly jobSlots: Slots;
	private readonly planners = new Map<string, PollPlanner>();
	private readonly calls = new Set<CallLoad>();
	private readonly origins = new Map<string, JobOrigin>();
	private idleSince: number | undefined;

	constructor(
		private readonly timing: Timing,
		private readonly now: () => number = Date.now,
	) {
		this.idleSince = now();
		this.budget = new RequestBudget(
			() => ({
				itemsWithoutJob: this.sum((call) => call.itemsWithoutJob),
				runningJobs: [...this.planners.values()].reduce((total, planner) => total + planner.runningJobs, 0),
				processesSharingKey: this.processesSharingKey(),
			}),
			timing.rateLimit,
		);
		this.jobSlots = new Slots(() => this.jobLimit());
	}

	/** A call starts using the key; the returned function ends that. */
	join(call: CallLoad): () => void {
		this.calls.add(call);
		this.idleSince = undefined;
		this.jobSlots.grantWaiting();
		return () => {
			if (!this.calls.delete(call)) return;
			if (this.calls.size === 0) this.idleSince = this.now();
			this.budget.notifyChange();
		};
	}

	/** The duration model for one generation path (the LoRA path and each model may run at their own pace). */
	plannerFor(path: string): PollPlanner {
		let planner = this.planners.get(path);
		if (!planner) {
			planner = new PollPlanner(this.timing.poll);
			this.planners.set(path, planner);
		}
		return planner;
	}

	/**
	 * Remembers where a job came from, so that a later Poll of it (Submit → store → Poll, or a
	 * job returned pending) waits for it as Generate and Wait would, instead of polling at once.
	 */
	rememberOrigin(jobId: string, origin: JobOrigin): void {
		this.origins.delete(jobId);
		this.origins.set(jobId, origin);
		// A Map iterates in insertion order: the first entry is the oldest.
		for (const oldest of this.origins.keys()) {
			if (this.origins.size <= MAX_REMEMBERED_ORIGINS) break;
			this.origins.delete(oldest);
		}
	}

	originOf(jobId: string): JobOrigin | undefined {
		return this.origins.get(jobId);
	}

	/** True once no call has used the key for the coordinator's idle time. */
	isIdleFor(ms: number): boolean {
		return this.idleSince !== undefined && this.now() - this.idleSince >= ms;
	}

	get lastActiveAt(): number {
		return this.idleSince ?? this.now();
	}

	private jobLimit(): number {
		let limit = 1;
		for (const call of this.calls) limit = Math.max(limit, Math.ceil(call.maxConcurrency / call.processesSharingKey));
		return limit;
	}

	private processesSharingKey(): number {
		let processes = 1;
		for (const call of this.calls) processes = Math.max(processes, call.processesSharingKey);
		return processes;
	}

	private sum(of: (call: CallLoad) => number): number {
		let total = 0;
		for (const call of this.calls) total += of(call);
		return total;
	}
}
