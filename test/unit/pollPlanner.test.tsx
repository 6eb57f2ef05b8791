import type { TrackedJob } from '../../nodes/QwenImageMax/scheduler/pollPlanner';
import { PollPlanner } from '../../nodes/QwenImageMax/scheduler/pollPlanner';
import { DEFAULT_TIMING } from '../../nodes/QwenImageMax/timing';
import { durationAtSurvival, normalQuantile } from '../../nodes/QwenImageMax/scheduler/latencyModel';

const TUNING = { ...DEFAULT_TIMING.poll, jitter: 0 };

function plannerAt(now: { value: number }, tuning = TUNING) {
	return new PollPlanner(tuning, Math.random, () => now.value);
}

/** Jobs seen finished within ±50 ms of durations spread log-normally around `medianMs`. */
function learnDurations(planner: PollPlanner, count: number, medianMs: number, sigma: number) {
	for (let index = 0; index < count; index++) {
		const ms = medianMs * Math.exp(sigma * normalQuantile((index + 0.5) / count));
		const job = planner.track(0);
		planner.sawRunning(job, ms - 50);
		planner.sawFinished(job, ms + 50);
	}
}

describe('PollPlanner', () => {
	it('before any job has finished, lets only the scouts poll, on the prior', () => {
		const planner = plannerAt({ value: 0 });
		const jobs = Array.from({ length: 5 }, () => planner.track(0));
		const delays = jobs.map((job) => planner.nextPollDelay(job, false));
		expect(delays.slice(0, TUNING.scouts)).toEqual(Array(TUNING.scouts).fill(TUNING.priorFirstPollMs));
		expect(delays.slice(TUNING.scouts)).toEqual(Array(5 - TUNING.scouts).fill(undefined));
	});

	it('backs a scout off in proportion to the time it has run, more when requests are scarce', () => {
		const now = { value: 20_000 };
		const planner = plannerAt(now);
		const scout = planner.track(0);
		planner.sawRunning(scout, 20_000);
		expect(planner.nextPollDelay(scout, false)).toBe(20_000 * TUNING.backoffFraction);
		expect(planner.nextPollDelay(scout, true)).toBe(20_000 * TUNING.backoffFraction * TUNING.scarceStretch);
	});

	it('polls a job given by ID (not tracked) on its own, as its own scout', () => {
		const planner = plannerAt({ value: 0 });
		for (let i = 0; i < 5; i++) planner.track(0);
		const untracked: TrackedJob = { submittedAt: 0, sequence: -1, seenRunningMs: 0, misses: 0 };
		expect(planner.nextPollDelay(untracked, false)).toBe(TUNING.priorFirstPollMs);
		// The run's durations say nothing about a job whose submission it did not see.
		learnDurations(planner, 20, 8000, 0.3);
		expect(planner.nextPollDelay(untracked, false)).toBe(TUNING.priorFirstPollMs);
	});

	it('tells waiting jobs when a scout has news, and then plans them from it', async () => {
		const now = { value: 0 };
		const planner = plannerAt(now);
		const [scout, , waiting] = [planner.track(0), planner.track(0), planner.track(3000)];
		expect(planner.nextPollDelay(waiting, false)).toBeUndefined();
		const news = planner.changed;
		now.value = 4000;
		planner.sawRunning(scout, 3000);
		planner.sawFinished(scout, 4000);
		await news;
		// The scout took 3–4 s; the waiting job has run 1 s: its poll is a few seconds away.
		const delay = planner.nextPollDelay(waiting, false)!;
		expect(delay).toBeGreaterThan(1500);
		expect(delay).toBeLessThan(5000);
	});

	it('places the first poll where the hit rate of the fitted durations is reached, later when requests are scarce', () => {
		const planner = plannerAt({ value: 0 });
		learnDurations(planner, 40, 8000, 0.3);
		const job = planner.track(0);
		const plentiful = planner.nextPollDelay(job, false)!;
		const scarce = planner.nextPollDelay(job, true)!;
		const fitted = (share: number) => durationAtSurvival({ mu: Math.log(8000), sigma: 0.3 }, 1 - share);
		expect(plentiful).toBeGreaterThan(fitted(TUNING.hitRate) * 0.95);
		expect(plentiful).toBeLessThan(fitted(TUNING.hitRate) * 1.05);
		expect(scarce).toBeGreaterThan(fitted(TUNING.scarceHitRate) * 0.95);
		expect(scarce).toBeLessThan(fitted(TUNING.scarceHitRate) * 1.05);
	});

	it('after a poll finds the job running, looks again within the miss gap, widening it with each miss', () => {
		const now = { value: 0 };
		const planner = plannerAt(now);
		learnDurations(planner, 40, 8000, 0.3);
		const job = planner.track(0);
		const missGap = TUNING.missGapFraction * 8000;
		const gaps: number[] = [];
		for (let miss = 1; miss <= 3; miss++) {
			now.value += 10_000;
			planner.sawRunning(job, now.value);
			gaps.push(planner.nextPollDelay(job, false)!);
		}
		// (The fitted median drifts a little as this job keeps running: 10 % tolerance.)
		const near = (value: number, expected: number) => Math.abs(value / expected - 1) < 0.1;
		expect(near(gaps[0], missGap)).toBe(true);
		expect(near(gaps[1], missGap * TUNING.missBackoff)).toBe(true);
		expect(near(gaps[2], missGap * TUNING.missBackoff ** 2)).toBe(true);
		// With requests scarce only the odds count: a job far into the tail waits longer.
		expect(planner.nextPollDelay(job, true)!).toBeGreaterThan(gaps[2]);
	});

	it('stays within the gap limits', () => {
		const now = { value: 0 };
		const planner = plannerAt(now);
		learnDurations(planner, 20, 1000, 0.2);
		now.value = 5000;
		const overdue = planner.track(0);
		expect(planner.nextPollDelay(overdue, false)).toBe(TUNING.minGapMs);
		now.value = 10_000_000;
		const fresh = plannerAt(now);
		expect(fresh.nextPollDelay(fresh.track(0), false)).toBe(TUNING.maxGapMs);
	});

	it('jitters so that jobs submitted together do not poll in lockstep', () => {
		const planner = new PollPlanner(DEFAULT_TIMING.poll, () => 1, () => 0);
		expect(planner.nextPollDelay(planner.track(0), false)).toBeCloseTo(DEFAULT_TIMING.poll.priorFirstPollMs * (1 + DEFAULT_TIMING.poll.jitter));
	});

	it('counts running jobs until they are seen finished or forgotten', () => {
		const planner = plannerAt({ value: 0 });
		const [finished, forgotten] = [planner.track(0), planner.track(0), planner.track(0)];
		planner.sawFinished(finished, 1000);
		planner.forget(forgotten);
		expect(planner.runningJobs).toBe(1);
	});
});
