import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { Sandbox } from '../support/sandbox';
import { withSandbox } from '../support/sandbox';
import type { QwenRunOptions } from '../support/runQwen';
import { runQwen } from '../support/runQwen';

// n8n's Retry On Fail runs the node again, in the same execution, with the same input. The
// node must then pick up the jobs it already paid for instead of submitting them again.

const RETRY = { retryOnFail: true, maxTries: 3, waitBetweenTries: 100 };

const generate = (sandbox: Sandbox, items: IDataObject[], extra: Partial<QwenRunOptions> = {}, options: INodeParameters = {}) =>
	runQwen({
		baseUrl: sandbox.apiUrl,
		apiKey: sandbox.apiKey,
		parameters: { operation: 'generateAndWait', prompt: '={{ $json.prompt }}', options: { downloadImages: false, ...options } },
		items,
		...extra,
	});

function submitsPerPrompt(sandbox: Sandbox): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const job of sandbox.stats().jobs) counts[String(job.body.prompt)] = (counts[String(job.body.prompt)] ?? 0) + 1;
	return counts;
}

describe('Retry On Fail', () => {
	it('submits each good item once when a failed job makes n8n run the node again', async () => {
		await withSandbox({ jobDurationMs: 600 }, async (sandbox) => {
			const items = [{ prompt: 'a fox' }, { prompt: 'a storm [fail]' }, { prompt: 'a bird' }];
			const { failure } = await generate(sandbox, items, { settings: RETRY });
			expect(failure).toMatch(/failed: Generation failed/);
			expect(submitsPerPrompt(sandbox)).toEqual({ 'a fox': 1, 'a storm [fail]': 3, 'a bird': 1 });
		});
	});

	it('with Continue On Fail too: n8n retries because the first item failed, the others keep their one job and still deliver', async () => {
		await withSandbox({ jobDurationMs: 300 }, async (sandbox) => {
			const items = [{ prompt: 'a storm [fail]' }, { prompt: 'a fox' }, { prompt: 'a bird' }];
			const { output } = await generate(sandbox, items, { settings: RETRY, continueOnFail: true });
			expect(output.map((item) => item.json.code ?? item.json.status)).toEqual(['job_failed', 'completed', 'completed']);
			expect(submitsPerPrompt(sandbox)).toEqual({ 'a storm [fail]': 3, 'a fox': 1, 'a bird': 1 });
			// The retried good items were polled, not submitted, and their images came from the first jobs.
			const jobs = new Map(sandbox.stats().jobs.map((job) => [String(job.body.prompt), job.jobId]));
			expect(output.slice(1).map((item) => item.json.jobId)).toEqual([jobs.get('a fox'), jobs.get('a bird')]);
		});
	});

	it('keeps two items with the same prompt as two jobs, and a new execution is new work', async () => {
		await withSandbox({ jobDurationMs: 200 }, async (sandbox) => {
			// The failing item first, so that n8n retries each execution three times.
			const items = [{ prompt: 'fails [fail]' }, { prompt: 'twice' }, { prompt: 'twice' }];
			await generate(sandbox, items, { settings: RETRY, continueOnFail: true });
			await generate(sandbox, items, { settings: RETRY, continueOnFail: true });
			// Retries within an execution add nothing for the good items; the second execution is new work.
			expect(submitsPerPrompt(sandbox)).toEqual({ 'fails [fail]': 6, twice: 4 });
		});
	});

	it('does not submit again after a submit whose answer broke off: the job may exist', async () => {
		await withSandbox({ jobDurationMs: 200 }, async (sandbox) => {
			sandbox.addFault({ route: 'submit', kind: 'reset', afterCreate: true });
			const { failure } = await generate(sandbox, [{ prompt: 'once only' }], { settings: RETRY });
			expect(failure).toMatch(/An earlier try of this node sent this item's submit/);
			expect(sandbox.stats().jobsCreated).toBe(1);
		});
	});

	it('a retried Submit returns the job its first try created, and submits only what had no job', async () => {
		await withSandbox({ jobDurationMs: 200 }, async (sandbox) => {
			// The second submit is refused (402): the node fails and n8n runs it again.
			sandbox.addFault({ route: 'submit', kind: 'delay', ms: 0 });
			sandbox.addFault({ route: 'submit', kind: 'status', status: 402 });
			const submitRun = await runQwen({
				baseUrl: sandbox.apiUrl,
				apiKey: sandbox.apiKey,
				parameters: { operation: 'submit', prompt: '={{ $json.prompt }}', options: { maxConcurrency: 1 } },
				items: [{ prompt: 'accepted' }, { prompt: 'refused once' }],
				settings: RETRY,
			});
			expect(submitRun.failure).toBeUndefined();
			expect(submitsPerPrompt(sandbox)).toEqual({ accepted: 1, 'refused once': 1 });
			expect(submitRun.output.map((item) => item.json.jobId)).toEqual(sandbox.stats().jobs.map((job) => job.jobId));
		});
	});
});

describe('Max Credits', () => {
	const prompts = (count: number) => Array.from({ length: count }, (_, index) => ({ prompt: `prompt ${index}` }));

	it('stops at exactly the job that would pass the cap, in input order, even with every item in flight at once', async () => {
		await withSandbox({ jobDurationMs: 200 }, async (sandbox) => {
			const { output } = await generate(sandbox, prompts(6), { continueOnFail: true }, { maxCredits: 7, maxConcurrency: 10 });
			expect(output.map((item) => item.json.code ?? item.json.status)).toEqual([
				'completed',
				'completed',
				'completed',
				'credit_limit',
				'credit_limit',
				'credit_limit',
			]);
			expect(output[3].json.error).toMatch(/Max Credits \(maxCredits\) of 7 reached: this run of the node has 3 image\(s\) generated or under way for 6 credits, and this item needs 2 more/);
			expect(output[3].json.jobId).toBeUndefined();
			const stats = sandbox.stats();
			expect([stats.jobsCreated, stats.creditsSpent]).toEqual([3, 6]);
		});
	});

	it('counts LoRA images at 2 credits each, and without Continue On Fail fails the node with the cap message', async () => {
		await withSandbox({ jobDurationMs: 200 }, async (sandbox) => {
			const { failure } = await runQwen({
				baseUrl: sandbox.apiUrl,
				apiKey: sandbox.apiKey,
				parameters: {
					operation: 'generateAndWait',
					prompt: '={{ $json.prompt }}',
					useLora: true,
					loraWeights: 'owner/lora',
					numberOfImages: 3,
					options: { downloadImages: false, maxCredits: 10, maxConcurrency: 1 },
				},
				items: prompts(2),
			});
			expect(failure).toMatch(/Max Credits \(maxCredits\) of 10 reached: this run of the node has 3 image\(s\) generated or under way for 6 credits, and this item needs 6 more/);
			expect(sandbox.stats().creditsSpent).toBe(6);
		});
	});

	it('gives back what a refused submit had set aside', async () => {
		await withSandbox({ jobDurationMs: 200 }, async (sandbox) => {
			sandbox.addFault({ route: 'submit', kind: 'status', status: 400 });
			const { output } = await generate(sandbox, prompts(3), { continueOnFail: true }, { maxCredits: 4, maxConcurrency: 1 });
			expect(output.map((item) => item.json.code ?? item.json.status)).toEqual(['invalid_request', 'completed', 'completed']);
		});
	});
});
