import { DEFAULT_POLL_TUNING, PollPlanner } from '../../nodes/QwenImageMax/scheduler/pollPlanner';

const noJitter = { ...DEFAULT_POLL_TUNING, jitter: 0 };

describe('PollPlanner', () => {
	it('polls first after the prior until jobs of the run have finished', () => {
		const planner = new PollPlanner(noJitter);
		expect(planner.nextPollDelay(0, false)).toBe(DEFAULT_POLL_TUNING.priorFirstPollMs);
	});

	it('learns the first poll from finished jobs, later when requests are scarce', () => {
		const planner = new PollPlanner(noJitter);
		for (const seconds of [6, 7, 8, 9, 10, 11, 12, 13, 14, 15]) planner.recordCompletion(seconds * 1000, seconds * 1000);
		const plentiful = planner.nextPollDelay(0, false);
		const scarce = planner.nextPollDelay(0, true);
		expect(plentiful).toBe(12_000);
		expect(scarce).toBe(15_000);
	});

	it('backs off in proportion to the time already waited, within the gap limits', () => {
		const planner = new PollPlanner(noJitter);
		planner.recordCompletion(1000, 1000);
		planner.recordCompletion(1000, 1000);
		expect(planner.nextPollDelay(10_000, false)).toBe(1500);
		expect(planner.nextPollDelay(1000, false)).toBe(DEFAULT_POLL_TUNING.minGapMs);
		expect(planner.nextPollDelay(1_000_000, false)).toBe(DEFAULT_POLL_TUNING.maxGapMs);
	});

	it('jitters so that jobs submitted together do not poll in lockstep', () => {
		const planner = new PollPlanner(DEFAULT_POLL_TUNING, () => 1);
		expect(planner.nextPollDelay(0, false)).toBeCloseTo(DEFAULT_POLL_TUNING.priorFirstPollMs * 1.1);
	});
});
