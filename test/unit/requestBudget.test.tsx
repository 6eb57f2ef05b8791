import type { RequestKind } from '../../nodes/QwenImageMax/transport/requestBudget';
import { RequestBudget, parseRateLimitReset, parseRetryAfter } from '../../nodes/QwenImageMax/transport/requestBudget';
import { DEFAULT_TIMING } from '../../nodes/QwenImageMax/timing';
import { RunStop } from '../../nodes/QwenImageMax/utils/runStop';

const running = new RunStop(new AbortController().signal);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Retry-After and X-RateLimit-Reset parsing', () => {
	const now = Date.parse('2026-11-25T10:00:00Z');

	it('reads delta-seconds and HTTP dates', () => {
		expect(parseRetryAfter('3', now)).toBe(3000);
		expect(parseRetryAfter('Wed, 25 Nov 2026 10:00:07 GMT', now)).toBe(7000);
		expect(parseRetryAfter('Wed, 25 Nov 2026 09:59:00 GMT', now)).toBe(0);
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
	});

	it('reads epoch seconds, epoch milliseconds and deltas', () => {
		expect(parseRateLimitReset(String(now / 1000 + 5), now)).toBe(now + 5000);
		expect(parseRateLimitReset(String(now + 5000), now)).toBe(now + 5000);
		expect(parseRateLimitReset('5', now)).toBe(now + 5000);
		expect(parseRateLimitReset('x', now)).toBeUndefined();
	});
});

describe('RequestBudget', () => {
	async function timeAcquire(budget: RequestBudget, purpose: RequestKind = 'poll'): Promise<number> {
		const started = Date.now();
		await budget.acquire(running, purpose);
		return Date.now() - started;
	}

	/** Sends one request through the budget and answers it with `headers`. */
	async function answered(budget: RequestBudget, status: number, headers: Record<string, string>): Promise<void> {
		(await budget.acquire(running, 'poll'))(status, headers);
	}

	it('holds every caller back after a 429 until Retry-After has passed', async () => {
		const budget = new RequestBudget();
		await answered(budget, 429, { 'retry-after': '1' });
		const waits = await Promise.all([timeAcquire(budget), timeAcquire(budget, 'submit')]);
		for (const wait of waits) expect(wait).toBeGreaterThanOrEqual(950);
		expect(budget.rateLimited).toBe(1);
		expect(budget.isScarce()).toBe(true);
	});

	it('calls requests scarce when the announced allowance is less than twice what the run still has to send', async () => {
		const outlook = { itemsWithoutJob: 0, runningJobs: 0 };
		const budget = new RequestBudget(() => outlook);
		outlook.itemsWithoutJob = 1000;
		expect(budget.isScarce()).toBe(false);
		await answered(budget, 200, { 'x-ratelimit-limit': '80', 'x-ratelimit-remaining': '80', 'x-ratelimit-reset': '30' });
		// A submit and 1.5 polls per item without a job, 1.5 polls per running job: 40, then 41.5.
		Object.assign(outlook, { itemsWithoutJob: 10, runningJobs: 10 });
		expect(budget.isScarce()).toBe(false);
		Object.assign(outlook, { itemsWithoutJob: 10, runningJobs: 11 });
		expect(budget.isScarce()).toBe(true);
		// Sending a submit changes nothing: its request leaves the allowance and the demand alike.
		Object.assign(outlook, { itemsWithoutJob: 10, runningJobs: 10 });
		await budget.acquire(running, 'submit');
		expect(budget.isScarce()).toBe(false);
		Object.assign(outlook, { itemsWithoutJob: 10, runningJobs: 11 });
		expect(budget.isScarce()).toBe(true);
	});

	it('spends an announced allowance only on requests that fit, then waits for the reset', async () => {
		const budget = new RequestBudget();
		await answered(budget, 200, { 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '1', 'x-ratelimit-reset': '1' });
		expect(await timeAcquire(budget)).toBeLessThan(100);
		// The allowance of one is now in flight: the next caller waits for the window to reset.
		expect(await timeAcquire(budget)).toBeGreaterThanOrEqual(900);
	});

	it('wakes waiting callers as soon as a response brings a fresh allowance', async () => {
		const budget = new RequestBudget();
		const first = await budget.acquire(running, 'poll');
		const second = await budget.acquire(running, 'poll');
		// The first response says the window is used up; the second, a moment later, that it reset.
		first(200, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '3' });
		const waiting = timeAcquire(budget);
		second(200, { 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': '3' });
		expect(await waiting).toBeLessThan(500);
	});

	/** Resolves to 'sent' if `acquire` gets through within `ms`, else to 'waiting'. (Resets here are 2 s away, so no wait outlives its test by much.) */
	const within = (acquire: Promise<unknown>, ms = 200) =>
		Promise.race([acquire.then(() => 'sent'), sleep(ms).then(() => 'waiting')]);

	it('keeps about one and a half polls per running job: a submit waits while the allowance only covers them, a poll goes', async () => {
		const outlook = { itemsWithoutJob: 1, runningJobs: 3 };
		const budget = new RequestBudget(() => outlook);
		await answered(budget, 200, { 'x-ratelimit-remaining': '6', 'x-ratelimit-reset': '2' });
		// 6 left: the submit itself and (3 running + its own job) × 1.5 polls would need 7.
		const submit = budget.acquire(running, 'submit');
		expect(await within(submit)).toBe('waiting');
		expect(await within(budget.acquire(running, 'poll'))).toBe('sent');
		// Two of the three jobs are seen finished: 5 left covers the submit and 2 × 1.5 polls.
		outlook.runningJobs = 1;
		budget.notifyChange();
		expect(await within(submit)).toBe('sent');
	});

	it('counts submits in flight as owing their polls too', async () => {
		const budget = new RequestBudget(() => ({ itemsWithoutJob: 10, runningJobs: 0 }));
		await answered(budget, 200, { 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': '2' });
		// The k-th submit needs 1 + 1.5 k of what is left: 10, 9, 8, 7 left cover k = 1..4.
		for (let k = 1; k <= 4; k++) expect(await within(budget.acquire(running, 'submit'))).toBe('sent');
		expect(await within(budget.acquire(running, 'submit'))).toBe('waiting');
	});

	it('after the announced reset, lets one more request through to learn the new allowance', async () => {
		const budget = new RequestBudget();
		await answered(budget, 200, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' });
		const wait = await timeAcquire(budget);
		expect(wait).toBeGreaterThanOrEqual(900);
		expect(wait).toBeLessThan(1500);
		// No answer yet: the next request waits for that one's news.
		const next = await Promise.race([budget.acquire(running, 'poll').then(() => 'sent'), sleep(300).then(() => 'waiting')]);
		expect(next).toBe('waiting');
	});

	it('after a shared pause, lets waiting callers come back spread out, not all at once', async () => {
		// Draws 0 for the first caller and 1 for the second: the ends of the spread.
		const draws = [0, 1];
		const budget = new RequestBudget(undefined, DEFAULT_TIMING.rateLimit, { now: Date.now, random: () => draws.shift() ?? 0 });
		await answered(budget, 429, { 'retry-after': '2' });
		const [first, second] = await Promise.all([timeAcquire(budget), timeAcquire(budget)]);
		const spread = 2000 * DEFAULT_TIMING.rateLimit.releaseSpreadFraction;
		expect(first).toBeGreaterThanOrEqual(1950);
		expect(second - first).toBeGreaterThanOrEqual(spread - 50);
	});

	it('keeps to its share of an announced allowance when several n8n workers use the key', async () => {
		const budget = new RequestBudget(() => ({ itemsWithoutJob: 0, runningJobs: 0, processesSharingKey: 2 }));
		await answered(budget, 200, { 'x-ratelimit-remaining': '4', 'x-ratelimit-reset': '2' });
		expect(await within(budget.acquire(running, 'poll'))).toBe('sent');
		expect(await within(budget.acquire(running, 'poll'))).toBe('sent');
		expect(await within(budget.acquire(running, 'poll'))).toBe('waiting');
	});

	it('stops waiting when the run is cancelled', async () => {
		const budget = new RequestBudget();
		await answered(budget, 429, { 'retry-after': '2' });
		const controller = new AbortController();
		const waiting = budget.acquire(new RunStop(controller.signal), 'submit');
		controller.abort();
		await expect(waiting).rejects.toThrow('The execution was cancelled');
	});
});
