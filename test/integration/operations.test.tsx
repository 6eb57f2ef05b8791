import type { IBinaryData, IDataObject } from 'n8n-workflow';

import { readBinaryData } from '../harness';
import type { Sandbox } from '../support/sandbox';
import { startSandbox } from '../support/sandbox';
import { DOWNSTREAM, NODE_NAME, runQwen } from '../support/runQwen';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ jobDurationMs: 200 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const run = (parameters: object, extra: { items?: IDataObject[]; continueOnFail?: boolean } = {}) =>
	runQwen({ baseUrl: sandbox.apiUrl, apiKey: sandbox.apiKey, parameters: parameters as never, ...extra });

async function expectServedBytes(binary: IBinaryData | undefined, url: string) {
	expect(binary).toBeDefined();
	const stored = await readBinaryData(binary!);
	expect(stored.equals(sandbox.imageBytesFor(url)!)).toBe(true);
}

describe('Submit', () => {
	it('returns the job ID at once, with the credits the API reported', async () => {
		sandbox.configure({ jobDurationMs: 60_000 });
		const { output } = await run({ operation: 'submit', prompt: 'a red fox' });
		expect(output).toHaveLength(1);
		expect(output[0].json).toEqual({
			jobId: expect.stringMatching(/^job_/),
			prompt: 'a red fox',
			status: 'pending',
			statusUrl: `${sandbox.apiUrl}/jobs/${output[0].json.jobId}`,
			creditCost: 2,
			creditsRemaining: 999_998,
		});
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(sandbox.stats().jobsCreated).toBe(1);
		expect(sandbox.stats().requests.poll).toBeUndefined();
	});
});

describe('Poll', () => {
	it('without waiting returns the current status of a running job', async () => {
		sandbox.configure({ jobDurationMs: 60_000 });
		const submitted = await run({ operation: 'submit', prompt: 'a red fox' });
		const jobId = submitted.output[0].json.jobId;
		const { output } = await run({ operation: 'poll' }, { items: [{ jobId }] });
		expect(output).toEqual([{ json: { jobId, status: 'pending', creditCost: 2 }, pairedItem: { item: 0 } }]);
	});

	it('with waiting returns the images, byte for byte what the API served', async () => {
		const submitted = await run({ operation: 'submit', prompt: 'a red fox', aspectRatio: '16:9' });
		const jobId = submitted.output[0].json.jobId as string;
		const { output } = await run({ operation: 'poll', jobId, waitForCompletion: true });
		expect(output).toHaveLength(1);
		const [image] = output;
		expect(image.json).toMatchObject({ jobId, status: 'completed', imageIndex: 0, creditCost: 2 });
		expect(image.json.imageUrls).toEqual([image.json.imageUrl]);
		expect(image.binary?.data).toMatchObject({ mimeType: 'image/png', fileName: `${jobId}-0.png` });
		await expectServedBytes(image.binary?.data, image.json.imageUrl as string);
	});

	it('reads the job ID from the incoming item by default', async () => {
		const submitted = await run({ operation: 'submit', prompt: 'a red fox' });
		const { output } = await run(
			{ operation: 'poll', jobId: '={{ $json.jobId }}', waitForCompletion: true, options: { downloadImages: false } },
			{ items: [submitted.output[0].json] },
		);
		expect(output[0].json.jobId).toBe(submitted.output[0].json.jobId);
		expect(output[0].binary).toBeUndefined();
	});
});

describe('Generate and Wait', () => {
	it('submits, waits and returns the image as binary data paired to its input', async () => {
		const { output, outputOf } = await run({ operation: 'generateAndWait', prompt: 'a red fox' }, { items: [{ tag: 'the row' }] });
		expect(output).toHaveLength(1);
		const { json, binary, pairedItem } = output[0];
		expect(json).toMatchObject({ prompt: 'a red fox', status: 'completed', imageIndex: 0, creditCost: 2, creditsRemaining: 999_998 });
		expect(pairedItem).toEqual({ item: 0 });
		await expectServedBytes(binary?.data, json.imageUrl as string);
		expect(outputOf(DOWNSTREAM)[0].json.note).toBe('the row');
	});

	it('gives three items for a LoRA job of three images, all paired to their input, in order', async () => {
		const { output, outputOf } = await run(
			{
				operation: 'generateAndWait',
				prompt: '={{ $json.prompt }}',
				useLora: true,
				loraWeights: 'owner/qwen-lora',
				numberOfImages: 3,
				aspectRatio: '21:9',
			},
			{ items: [{ prompt: 'first', tag: 'row 1' }, { prompt: 'second', tag: 'row 2' }] },
		);
		expect(output).toHaveLength(6);
		expect(output.map((item) => [item.pairedItem, item.json.imageIndex])).toEqual([
			[{ item: 0 }, 0],
			[{ item: 0 }, 1],
			[{ item: 0 }, 2],
			[{ item: 1 }, 0],
			[{ item: 1 }, 1],
			[{ item: 1 }, 2],
		]);
		const bodies = sandbox.stats().jobs.map((job) => job.body.prompt);
		expect(bodies.sort()).toEqual(['first', 'second']);
		// Each image says which prompt made it.
		expect(output.map((item) => item.json.prompt)).toEqual(['first', 'first', 'first', 'second', 'second', 'second']);
		for (const item of output) await expectServedBytes(item.binary?.data, item.json.imageUrl as string);
		const fileNames = output.map((item) => item.binary?.data.fileName);
		expect(new Set(fileNames).size).toBe(6);
		expect(outputOf(DOWNSTREAM).map((item) => item.json.note)).toEqual(['row 1', 'row 1', 'row 1', 'row 2', 'row 2', 'row 2']);
	});

	it('a job still running at the timeout, returned pending, carries its prompt', async () => {
		sandbox.configure({ jobDurationMs: 60_000 });
		const { output } = await run({ operation: 'generateAndWait', prompt: 'a slow fox', options: { timeoutSeconds: 1, onTimeout: 'returnPending' } });
		expect(output[0].json).toMatchObject({ prompt: 'a slow fox', timedOut: true, jobId: expect.stringMatching(/^job_/) });
	});

	it('writes to the binary property chosen in the options', async () => {
		const { output } = await run({ operation: 'generateAndWait', prompt: 'x', options: { binaryPropertyName: 'image' } });
		expect(Object.keys(output[0].binary ?? {})).toEqual(['image']);
	});

	it('returns JPEG images as image/jpeg with a .jpg name', async () => {
		sandbox.configure({ imageFormat: 'jpeg' });
		const { output } = await run({ operation: 'generateAndWait', prompt: 'x' });
		expect(output[0].binary?.data).toMatchObject({ mimeType: 'image/jpeg', fileExtension: 'jpg' });
		expect(output[0].binary?.data.fileName).toMatch(/-0\.jpg$/);
		await expectServedBytes(output[0].binary?.data, output[0].json.imageUrl as string);
	});

	it('recognises an image by its bytes when the host labels it application/octet-stream', async () => {
		sandbox.configure({ imageContentType: 'application/octet-stream' });
		const { output } = await run({ operation: 'generateAndWait', prompt: 'x' });
		expect(output[0].binary?.data.mimeType).toBe('image/png');
		await expectServedBytes(output[0].binary?.data, output[0].json.imageUrl as string);
	});

	it.each(['image', 'assets'])('finds the images when the API returns them as %s', async (outputShape) => {
		sandbox.configure({ outputShape });
		const { output } = await run({ operation: 'generateAndWait', prompt: 'x' });
		expect(output).toHaveLength(1);
		await expectServedBytes(output[0].binary?.data, output[0].json.imageUrl as string);
	});

	it('accepts a submit answered with HTTP 202', async () => {
		sandbox.configure({ submitStatusCode: 202 });
		const { output } = await run({ operation: 'generateAndWait', prompt: 'x' });
		expect(output[0].json.status).toBe('completed');
	});
});

describe('On Error', () => {
	it('"Continue (using error output)" sends failed items to the error output, the others to the main one', async () => {
		const result = await runQwen({
			baseUrl: sandbox.apiUrl,
			apiKey: sandbox.apiKey,
			parameters: { operation: 'generateAndWait', prompt: '={{ $json.prompt }}', options: { downloadImages: false } },
			items: [{ prompt: 'fine' }, { prompt: 'this one [fail]s' }, { prompt: 'fine too' }],
			errorOutput: true,
		});
		expect(result.outputOf(NODE_NAME, 0).map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		const failed = result.outputOf(NODE_NAME, 1);
		expect(failed).toHaveLength(1);
		expect(failed[0].json).toEqual({
			prompt: 'this one [fail]s',
			error: { message: expect.stringMatching(/failed: Generation failed: content policy violation/), code: 'job_failed', jobId: expect.stringMatching(/^job_/) },
		});
		expect(failed[0].pairedItem).toEqual({ item: 1 });
	});
});
