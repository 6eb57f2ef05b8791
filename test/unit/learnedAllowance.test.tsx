import { LearnedAllowance } from '../../nodes/QwenImageMax/transport/learnedAllowance';
import { DEFAULT_TIMING } from '../../nodes/QwenImageMax/timing';

const tuning = DEFAULT_TIMING.rateLimit;

describe('LearnedAllowance (a limit the API announces only by 429 + Retry-After)', () => {
	it('knows no limit before a 429', () => {
		const learnt = new LearnedAllowance(tuning);
		for (let t = 0; t < 100; t++) learnt.send(t * 100);
		expect(learnt.allowance(10_000)).toBeUndefined();
	});

	it('takes the requests accepted before the refused one as the limit, and Retry-After as the end of their window', () => {
		const learnt = new LearnedAllowance(tuning);
		// 60 requests half a second apart from t = 0; the 61st, at 30 s, is refused: "retry in 30 s".
		for (let i = 0; i < 60; i++) learnt.send(i * 500);
		learnt.refused(learnt.send(30_000), 30_000, 30_000);
		expect(learnt.limit).toEqual({ limit: 60, windowMs: 60_000 });
		expect(learnt.allowance(59_000)).toEqual({ free: 0, refillAt: 60_000 });
		// Past 60 s the first request has left the window: one fits, the next when the second leaves.
		expect(learnt.allowance(60_001)).toEqual({ free: 1, refillAt: 60_500 });
	});

	it('does not count requests sent after the refused one, nor ones refused in the same burst', () => {
		const learnt = new LearnedAllowance(tuning);
		const burst = Array.from({ length: 10 }, () => learnt.send(1000));
		// The API took five; answers arrive in any order.
		learnt.refused(burst[7], 1100, 2000);
		learnt.refused(burst[5], 1110, 2000);
		for (const request of [burst[6], burst[8], burst[9]]) learnt.refused(request, 1120, 2000);
		expect(learnt.limit?.limit).toBe(5);
		expect(learnt.allowance(1200)?.free).toBe(0);
	});

	it('forgets what it learnt after some windows without a 429', () => {
		const learnt = new LearnedAllowance(tuning);
		const first = learnt.send(0);
		learnt.refused(learnt.send(10), 20, 1000);
		expect(first.refused).toBe(false);
		const windowMs = learnt.limit!.windowMs;
		expect(learnt.allowance(20 + windowMs * tuning.learntLimitWindows)).toBeDefined();
		expect(learnt.allowance(21 + windowMs * tuning.learntLimitWindows)).toBeUndefined();
	});
});
