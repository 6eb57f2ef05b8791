import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { Sandbox } from '../support/sandbox';
import { startSandbox } from '../support/sandbox';
import { DOWNSTREAM, runQwen } from '../support/runQwen';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const prompts = (count: number) => Array.from({ length: count }, (_, index) => ({ prompt: `prompt ${index}`, tag: `row ${index}` }));

const generate = (items: IDataObject[], options: INodeParameters = {}, extra: object = {}) =>
	runQwen({
		baseUrl: sandbox.apiUrl,
		apiKey: sandbox.apiKey,
		parameters: { operation: 'generateAndWait', prompt: '={{ $json.prompt }}', options },
		items,
		...extra,
	});

describe('bulk runs', () => {
	it('keeps input order and pairedItem when jobs finish out of order under concurrency', async () => {
		// Later rows finish first: durations fall with the row number.
		sandbox.configure({ jobDurationMs: { distribution: 'uniform', min: 100, max: 1500, seed: 7 } });
		const items = prompts(12);
		const { output, outputOf } = await generate(items, { maxConcurrency: 6, downloadImages: false });
		const jobs = sandbox.stats().jobs;
		const completionOrder = [...jobs].sort((a, b) => a.completedAt! - b.completedAt!).map((job) => job.body.prompt);
		expect(completionOrder).not.toEqual(items.map((item) => item.prompt));
		const promptOfJob = new Map(jobs.map((job) => [job.jobId, job.body.prompt]));
		expect(output.map((item) => promptOfJob.get(item.json.jobId as string))).toEqual(items.map((item) => item.prompt));
		expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, index) => ({ item: index })));
		expect(outputOf(DOWNSTREAM).map((item) => item.json.note)).toEqual(items.map((item) => item.tag));
	});

	it('never has more than maxConcurrency jobs in flight, and does use them all', async () => {
		sandbox.configure({ jobDurationMs: 400 });
		const { output } = await generate(prompts(15), { maxConcurrency: 4, downloadImages: false });
		expect(output).toHaveLength(15);
		const { maxInFlight } = sandbox.stats();
		expect(maxInFlight).toBeLessThanOrEqual(4);
		expect(maxInFlight).toBe(4);
	});

	it('a 429 storm delays the run but fails no item', async () => {
		sandbox.configure({ jobDurationMs: 200, rateLimit: { requestsPerMinute: 8, windowMs: 2000 } });
		const { output, failure } = await generate(prompts(10), { maxConcurrency: 10, downloadImages: false });
		expect(failure).toBeUndefined();
		expect(output.map((item) => item.json.status)).toEqual(Array(10).fill('completed'));
		expect(sandbox.stats().jobsCreated).toBe(10);
	});

	it('shares one request budget: after a 429 every item waits for Retry-After', async () => {
		// Jobs long enough that an item which did not wait would poll again within the pause.
		sandbox.configure({ jobDurationMs: 6000 });
		sandbox.addFault({ route: 'poll', kind: 'status', status: 429, headers: { 'Retry-After': '5' } });
		const { output } = await generate(prompts(4), { maxConcurrency: 4, downloadImages: false });
		expect(output.map((item) => item.json.status)).toEqual(Array(4).fill('completed'));
		const log = sandbox.stats().requestLog.filter((entry) => entry.origin === 'api');
		const limited = log.find((entry) => entry.status === 429)!;
		const since429 = (entry: { at: number }) => entry.at - limited.respondedAt!;
		// Polls other items sent before the 429 reached the node may arrive just after it left:
		// at most one per other job, none from the limited item, and nothing later in the pause.
		const IN_FLIGHT_MS = 300;
		const inFlight = log.filter((entry) => since429(entry) > 0 && since429(entry) <= IN_FLIGHT_MS);
		expect(inFlight.filter((entry) => entry.path === limited.path)).toEqual([]);
		expect(new Set(inFlight.map((entry) => entry.path)).size).toBe(inFlight.length);
		expect(log.filter((entry) => since429(entry) > IN_FLIGHT_MS && since429(entry) < 4900)).toEqual([]);
		expect(log.filter((entry) => since429(entry) >= 4900).length).toBeGreaterThan(0);
	});
});
