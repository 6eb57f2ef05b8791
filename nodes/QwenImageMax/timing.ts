/**
 * Every timing and pacing knob of the node, in one place. The router passes one `Timing` down
 * to the coordinator, the scheduler, the poll planner, the request budget and the client, so a
 * test or a benchmark can run the node with other values (see test/support/runQwen.ts).
 */

/** When to poll a running job (see scheduler/pollPlanner.ts). */
export interface PollTuning {
	/** Chance that the next poll finds the job done, while requests are plentiful. */
	hitRate: number;
	/** The same when the rate limit is what holds the run back: a wasted poll then costs time. */
	scarceHitRate: number;
	/** After a poll that found the job running, the next comes within this share of the typical duration... */
	missGapFraction: number;
	/** ...but no sooner than this: a job seen running is not polled again at once. */
	minMissGapMs: number;
	/** Each further poll that finds the job running widens that gap by this factor (a queued or stuck job). */
	missBackoff: number;
	/** Jobs that poll while no duration is known yet. */
	scouts: number;
	/** A scout's first poll comes this long after submission... */
	priorFirstPollMs: number;
	/** ...and each later one waits this fraction of the time the job has run so far. */
	backoffFraction: number;
	/** With requests scarce, the scouts' prior and backoff are stretched by this factor. */
	scarceStretch: number;
	/** The spread of durations assumed before the run shows its own (log-normal sigma). */
	priorSigma: number;
	/** How many jobs' worth of evidence that assumption weighs. */
	priorWeight: number;
	/** Finished jobs the fit looks at: the latest ones, so the cost of a fit stays bounded. */
	memory: number;
	minGapMs: number;
	maxGapMs: number;
	jitter: number;
	/** A job told to wait for the scouts' news asks again after this long anyway. */
	newsRecheckMs: number;
}

/** How the request budget paces requests against the key's rate limit (see transport/requestBudget.ts). */
export interface RateLimitTuning {
	/** After a 429, requests count as scarce for this long. */
	scarceAfterLimitMs: number;
	/** Requests count as scarce below this multiple of what the work still needs (the key serves other workflows too). */
	scarcityHeadroom: number;
	/** Polls a job needs on average: one that finds it done and, about every other job, one that finds it running. */
	expectedPollsPerJob: number;
	/** Past an announced reset with no fresh figure, one probe request goes, then this long until the next. */
	probeRecheckMs: number;
	/** The pause after a 429 that names no Retry-After and no reset. */
	fallbackPauseMs: number;
	/**
	 * The window a limit without `X-RateLimit-*` headers is assumed to slide over: the allowance is
	 * then learnt as what this window had accepted when the 429 came (the vendor speaks of
	 * requests per minute).
	 */
	assumedWindowMs: number;
	/** A learnt limit is forgotten after this many of its windows without a 429, and learnt anew at the next one. */
	learntLimitWindows: number;
	/**
	 * After a shared pause, waiting requests come back spread over this share of the pause
	 * (at most `maxReleaseSpreadMs`), so workers that share the key don't return all at once.
	 */
	releaseSpreadFraction: number;
	maxReleaseSpreadMs: number;
	/** Send times remembered to learn an allowance: bounds memory whatever the request rate. */
	maxRememberedRequests: number;
}

/** Retries of single HTTP requests after transient failures; unrelated to poll spacing. */
export interface HttpRetryTuning {
	maxAttempts: number;
	firstDelayMs: number;
	maxDelayMs: number;
	/** Each delay is drawn within ± this share, so retrying items do not hit the API in lockstep. */
	jitter: number;
	requestTimeoutMs: number;
	downloadTimeoutMs: number;
}

export interface Timing {
	poll: PollTuning;
	rateLimit: RateLimitTuning;
	httpRetry: HttpRetryTuning;
	/** A key's coordinator that no node call has used for this long is dropped, with what it learnt. */
	coordinatorIdleMs: number;
}

export const DEFAULT_TIMING: Timing = {
	poll: {
		hitRate: 0.65,
		scarceHitRate: 0.9,
		missGapFraction: 0.2,
		minMissGapMs: 800,
		missBackoff: 1.3,
		scouts: 2,
		priorFirstPollMs: 2500,
		backoffFraction: 0.3,
		scarceStretch: 2,
		priorSigma: 0.4,
		priorWeight: 2,
		memory: 100,
		minGapMs: 500,
		maxGapMs: 30_000,
		jitter: 0.1,
		newsRecheckMs: 30_000,
	},
	rateLimit: {
		scarceAfterLimitMs: 60_000,
		scarcityHeadroom: 2,
		expectedPollsPerJob: 1.5,
		probeRecheckMs: 1000,
		fallbackPauseMs: 1000,
		assumedWindowMs: 60_000,
		learntLimitWindows: 10,
		releaseSpreadFraction: 0.1,
		maxReleaseSpreadMs: 3000,
		maxRememberedRequests: 2000,
	},
	httpRetry: {
		maxAttempts: 6,
		firstDelayMs: 500,
		maxDelayMs: 8000,
		jitter: 0.25,
		requestTimeoutMs: 60_000,
		downloadTimeoutMs: 180_000,
	},
	coordinatorIdleMs: 15 * 60_000,
};
