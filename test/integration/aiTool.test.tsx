import type { IDataObject } from 'n8n-workflow';

import { IMAGE_URL_LIFETIME_MS } from '../../nodes/QwenImageMax/output/agentItems';
import type { Sandbox } from '../support/sandbox';
import { startSandbox } from '../support/sandbox';
import { runQwen } from '../support/runQwen';

// The node under the type n8n gives it on an AI Agent's tool connector (…qwenImageMaxTool), run
// as n8n 2.x's agent runs a tool: an ordinary execution whose input item holds the tool's arguments.
let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ jobDurationMs: 200 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const asTool = (parameters: object, items: IDataObject[] = [{ prompt: 'ignored: the node reads its parameters' }]) =>
	runQwen({ baseUrl: sandbox.apiUrl, apiKey: sandbox.apiKey, parameters: parameters as never, items, asTool: true });

describe('as an AI Agent tool', () => {
	it('Generate and Wait gives the model the prompt, job ID, URL, its expiry and a Markdown image, and downloads nothing', async () => {
		const before = Date.now();
		const { output, failure } = await asTool({ operation: 'generateAndWait', prompt: 'A red fox (in the snow)' });
		const after = Date.now();
		expect(failure).toBeUndefined();
		expect(output).toHaveLength(1);
		const { json, binary, pairedItem } = output[0];
		const [job] = sandbox.stats().jobs;
		const imageUrl = json.imageUrl as string;
		expect(json).toEqual({
			jobId: job.jobId,
			prompt: 'A red fox (in the snow)',
			imageUrl: expect.stringMatching(new RegExp(`^${sandbox.imageOrigin}/`)),
			expiresAt: expect.any(String),
			markdown: `![A red fox (in the snow)](${imageUrl})`,
		});
		const expiresAt = Date.parse(json.expiresAt as string);
		expect(expiresAt).toBeGreaterThanOrEqual(before + IMAGE_URL_LIFETIME_MS);
		expect(expiresAt).toBeLessThanOrEqual(after + IMAGE_URL_LIFETIME_MS);
		expect(binary).toBeUndefined();
		expect(pairedItem).toEqual({ item: 0 });
		expect(sandbox.stats().images).toEqual([]);
		expect(sandbox.stats().jobsCreated).toBe(1);
	});

	it('downloads the image when Download Images was added and on, and still gives the model the compact item', async () => {
		const { output } = await asTool({ operation: 'generateAndWait', prompt: 'a red fox', options: { downloadImages: true } });
		expect(Object.keys(output[0].json).sort()).toEqual(['expiresAt', 'imageUrl', 'jobId', 'markdown', 'prompt']);
		expect(output[0].binary?.data).toMatchObject({ mimeType: 'image/png', fileName: `${output[0].json.jobId}-0.png` });
		expect(sandbox.stats().images).toHaveLength(1);
	});

	it('a job still running at the timeout comes back pending, with its ID for a later poll (On Timeout not added)', async () => {
		sandbox.configure({ jobDurationMs: 60_000 });
		const { output, failure } = await asTool({ operation: 'generateAndWait', prompt: 'a slow fox', options: { timeoutSeconds: 1 } });
		expect(failure).toBeUndefined();
		expect(output.map((item) => item.json)).toEqual([
			{ jobId: sandbox.stats().jobs[0].jobId, prompt: 'a slow fox', status: 'pending', timedOut: true, note: expect.stringContaining('poll this jobId') },
		]);
	});

	it('On Timeout set to Error still fails the item, naming the job', async () => {
		sandbox.configure({ jobDurationMs: 60_000 });
		const { failure } = await asTool({ operation: 'generateAndWait', prompt: 'a slow fox', options: { timeoutSeconds: 1, onTimeout: 'error' } });
		expect(failure).toContain(sandbox.stats().jobs[0].jobId);
	});

	it('Submit gives the job ID and what to do next; Poll of the finished job gives its image', async () => {
		sandbox.configure({ jobDurationMs: 300 });
		const submitted = await asTool({ operation: 'submit', prompt: 'a red fox' });
		const { jobId } = submitted.output[0].json;
		expect(submitted.output[0].json).toEqual({ jobId, prompt: 'a red fox', status: 'pending', note: expect.stringContaining('poll this jobId') });

		const polled = await asTool({ operation: 'poll', jobId, waitForCompletion: true });
		const imageUrl = polled.output[0].json.imageUrl as string;
		expect(polled.output[0].json).toEqual({ jobId, imageUrl, expiresAt: expect.any(String), markdown: `![Generated image](${imageUrl})` });
		expect(sandbox.stats().images).toEqual([]);
	});

	it('every image of a LoRA job is one item with its own Markdown', async () => {
		const { output } = await asTool({
			operation: 'generateAndWait',
			prompt: 'four foxes',
			useLora: true,
			loraWeights: 'owner/fox-lora',
			numberOfImages: 4,
		});
		expect(output).toHaveLength(4);
		expect(new Set(output.map((item) => item.json.imageUrl)).size).toBe(4);
		for (const { json } of output) expect(json.markdown).toBe(`![four foxes](${json.imageUrl})`);
	});
});

it('the same node on a workflow connector keeps the workflow item and downloads the image', async () => {
	const { output } = await runQwen({ baseUrl: sandbox.apiUrl, apiKey: sandbox.apiKey, parameters: { operation: 'generateAndWait', prompt: 'a red fox' } });
	expect(output[0].json).toMatchObject({ status: 'completed', imageIndex: 0, imageUrls: [output[0].json.imageUrl] });
	expect(output[0].json.markdown).toBeUndefined();
	expect(output[0].binary?.data).toBeDefined();
});
