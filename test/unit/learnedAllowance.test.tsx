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
		// 60 requests half a second apart from t = 0, each answered 20 ms later; the 61st, at 30 s,
		// is refused: "retry in 30 s".
		for (let i = 0; i < 60; i++) learnt.answered(learnt.send(i * 500), i * 500 + 20);
		learnt.refused(learnt.send(30_000), 30_000, 30_000);
		expect(learnt.limit).toEqual({ limit: 60, windowMs: 60_000 });
		expect(learnt.allowance(59_000)).toEqual({ free: 0, refillAt: 60_020 });
		// A window after the first answer, that request has surely left the API's window: one
		// fits, the next a window after the second answer.
		expect(learnt.allowance(60_021)).toEqual({ free: 1, refillAt: 60_520 });
	});

	it('lets a request out of the window only a window after its answer: the API may have counted it that late', () => {
		const learnt = new LearnedAllowance(tuning);
		// A busy process: the first request is sent for at 0 but answered (and so counted by the
		// API somewhere up to) 900 ms later; the second is answered at once.
		learnt.answered(learnt.send(0), 900);
		learnt.answered(learnt.send(100), 110);
		learnt.refused(learnt.send(200), 210, 59_800);
		expect(learnt.limit).toEqual({ limit: 2, windowMs: 60_010 });
		expect(learnt.allowance(60_011)?.free).toBe(0);
		expect(learnt.allowance(60_120)).toEqual({ free: 1, refillAt: 60_910 });
		expect(learnt.allowance(60_911)?.free).toBe(2);
	});

	it('counts a request still unanswered as in the window, for a window from now at least', () => {
		const learnt = new LearnedAllowance(tuning);
		learnt.send(0);
		learnt.refused(learnt.send(10), 20, 60_000);
		expect(learnt.allowance(70_000)).toEqual({ free: 0, refillAt: 70_000 + learnt.limit!.windowMs });
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
