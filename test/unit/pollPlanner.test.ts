import { DEFAULT_POLL_TUNING, PollPlanner } from '../../nodes/QwenImageMax/scheduler/pollPlanner';

const noJitter = { ...DEFAULT_POLL_TUNING, jitter: 0 };

function plannerAt(now: { value: number }) {
	return new PollPlanner(noJitter, Math.random, () => now.value);
}

/** Finishes one job per entry, each seen done exactly at its duration. */
function finishJobs(planner: PollPlanner, seconds: number[]) {
	for (const duration of seconds) planner.finish(planner.track(0), duration * 1000, duration * 1000);
}

describe('PollPlanner', () => {
	it('waits the prior before the first poll while nothing is known', () => {
		const planner = plannerAt({ value: 0 });
		expect(planner.nextPollDelay(0, false)).toBe(DEFAULT_POLL_TUNING.priorFirstPollMs);
	});

	it('places the first poll where the hit rate of finished jobs is reached, later when requests are scarce', () => {
		const planner = plannerAt({ value: 100_000 });
		finishJobs(planner, [6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
		// 65 % of ten finished jobs: the 7th shortest; 90 %: the 9th.
		expect(planner.nextPollDelay(0, false)).toBe(12_000);
		expect(planner.nextPollDelay(0, true)).toBe(14_000);
	});

	it('conditions on the time a job has already run', () => {
		const planner = plannerAt({ value: 100_000 });
		finishJobs(planner, [6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
		// Of the jobs that ran longer than 10 s (11..15), 65 % had finished by 14 s.
		expect(planner.nextPollDelay(10_000, false)).toBe(4000);
	});

	it('counts jobs still running as "at least this long", so early short finishers do not make it poll early', () => {
		const now = { value: 0 };
		const planner = plannerAt(now);
		const stillRunning = Array.from({ length: 8 }, () => planner.track(0));
		now.value = 9000;
		finishJobs(planner, [3, 4]);
		expect(stillRunning).toHaveLength(8);
		// Two of ten jobs finished early; eight have run 9 s: no estimate yet, so it backs off.
		expect(planner.nextPollDelay(0, false)).toBe(DEFAULT_POLL_TUNING.priorFirstPollMs);
		expect(planner.nextPollDelay(20_000, false)).toBe(6000);
	});

	it('stretches the prior and the backoff when requests are scarce and nothing is known', () => {
		const planner = plannerAt({ value: 0 });
		expect(planner.nextPollDelay(0, true)).toBe(DEFAULT_POLL_TUNING.priorFirstPollMs * DEFAULT_POLL_TUNING.scarceStretch);
		expect(planner.nextPollDelay(20_000, true)).toBe(20_000 * DEFAULT_POLL_TUNING.backoffFraction * DEFAULT_POLL_TUNING.scarceStretch);
	});

	it('stays within the gap limits', () => {
		const planner = plannerAt({ value: 0 });
		expect(planner.nextPollDelay(1_000_000, false)).toBe(DEFAULT_POLL_TUNING.maxGapMs);
		finishJobs(planner, [1, 1, 1]);
		expect(planner.nextPollDelay(990, false)).toBe(DEFAULT_POLL_TUNING.minGapMs);
	});

	it('jitters so that jobs submitted together do not poll in lockstep', () => {
		const planner = new PollPlanner(DEFAULT_POLL_TUNING, () => 1);
		expect(planner.nextPollDelay(0, false)).toBeCloseTo(DEFAULT_POLL_TUNING.priorFirstPollMs * 1.1);
	});
});
