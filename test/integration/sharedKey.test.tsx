import type { INodeParameters } from 'n8n-workflow';

import { DEFAULT_TIMING } from '../../nodes/QwenImageMax/timing';
import type { Sandbox } from '../support/sandbox';
import { withSandbox } from '../support/sandbox';
import type { QwenRunOptions } from '../support/runQwen';
import { runQwen } from '../support/runQwen';

// Many executions at once (webhook bursts, form submissions, Loop Over Items batches) each call
// the node separately; within one n8n process they share the key's coordinator.

/** One execution of a one-item workflow, as a webhook call starts it. */
const execution = (sandbox: Sandbox, prompt: string, options: INodeParameters = {}, extra: Partial<QwenRunOptions> = {}) =>
	runQwen({
		baseUrl: sandbox.apiUrl,
		apiKey: sandbox.apiKey,
		parameters: { operation: 'generateAndWait', prompt, options: { downloadImages: false, ...options } },
		...extra,
	});

const atOnce = (count: number, start: (index: number) => ReturnType<typeof execution>) =>
	Promise.all(Array.from({ length: count }, (_, index) => start(index)));

describe('executions sharing an API key', () => {
	it('keep to Max Concurrency together: twelve executions never have more than its jobs in flight', async () => {
		await withSandbox({ jobDurationMs: 400 }, async (sandbox) => {
			const runs = await atOnce(12, (index) => execution(sandbox, `burst ${index}`, { maxConcurrency: 3 }));
			expect(runs.map((run) => run.failure)).toEqual(Array(12).fill(undefined));
			const { maxInFlight, jobsCreated } = sandbox.stats();
			expect(jobsCreated).toBe(12);
			expect(maxInFlight).toBe(3);
		});
	});

	it('share one pause: a 429 seen by one execution holds back the requests of all', async () => {
		await withSandbox({ jobDurationMs: 5000 }, async (sandbox) => {
			sandbox.addFault({ route: 'poll', kind: 'status', status: 429, headers: { 'Retry-After': '4' } });
			const runs = await atOnce(3, (index) => execution(sandbox, `paused ${index}`));
			expect(runs.map((run) => run.output[0]?.json.status)).toEqual(Array(3).fill('completed'));
			const log = sandbox.stats().requestLog.filter((entry) => entry.origin === 'api');
			const limited = log.find((entry) => entry.status === 429)!;
			const since429 = (entry: { at: number }) => entry.at - limited.respondedAt!;
			// Requests sent before the 429 reached the node may arrive just after it left; nothing later within the pause.
			const IN_FLIGHT_MS = 300;
			expect(log.filter((entry) => since429(entry) > IN_FLIGHT_MS && since429(entry) < 3900)).toEqual([]);
		});
	});

	it('learn a rate limit that only answers 429 + Retry-After, and meet it once instead of every window', async () => {
		// A 2-second window, so the test sees several; the node assumes the same window length.
		const timing = { ...DEFAULT_TIMING, rateLimit: { ...DEFAULT_TIMING.rateLimit, assumedWindowMs: 2000 } };
		await withSandbox(
			{ jobDurationMs: 300, rateLimit: { requestsPerMinute: 6, windowMs: 2000, headers: false } },
			async (sandbox) => {
				const runs = await atOnce(8, (index) => execution(sandbox, `paced ${index}`, { maxConcurrency: 2 }, { timing }));
				expect(runs.map((run) => run.output[0]?.json.status)).toEqual(Array(8).fill('completed'));
				const log = sandbox.stats().requestLog.filter((entry) => entry.origin === 'api');
				const limitedAt = log.filter((entry) => entry.status === 429).map((entry) => entry.at);
				expect(limitedAt.length).toBeGreaterThan(0);
				// Every 429 comes in the first burst, before the node knew the limit: none a window later.
				expect(limitedAt.every((at) => at - limitedAt[0] < 1000)).toBe(true);
				expect(log.length).toBeGreaterThan(16);
			},
		);
	});
});
