import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { Sandbox } from '../support/sandbox';
import { startSandbox } from '../support/sandbox';
import { runQwen } from '../support/runQwen';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ jobDurationMs: 60_000 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const submit = (parameters: INodeParameters, items?: IDataObject[]) =>
	runQwen({ baseUrl: sandbox.apiUrl, apiKey: sandbox.apiKey, parameters: { operation: 'submit', ...parameters }, items });

async function sentBody(parameters: INodeParameters): Promise<Record<string, unknown>> {
	const result = await submit(parameters);
	expect(result.failure).toBeUndefined();
	const { jobs } = sandbox.stats();
	expect(jobs).toHaveLength(1);
	return jobs[0].body;
}

async function expectRefusedBeforeAnyRequest(parameters: INodeParameters, message: RegExp) {
	const result = await submit(parameters);
	expect(result.failure).toMatch(message);
	expect(sandbox.stats().apiRequests).toBe(0);
}

describe('every field reaches its API name with the right JSON type', () => {
	it('DashScope path: only its own fields, defaults equal to the API defaults', async () => {
		const body = await sentBody({ prompt: 'a fox' });
		expect(body).toEqual({ prompt: 'a fox', generation_model: 'qwen-image-plus', aspect_ratio: '1:1' });
	});

	it('DashScope path with every field set', async () => {
		const body = await sentBody({
			prompt: 'a fox',
			generationModel: 'qwen-image-max-2025-12-30',
			aspectRatio: '9:16',
			additionalFields: { negativePrompt: 'blurry', promptExtend: false, watermark: true, seed: 42 },
		});
		expect(body).toEqual({
			prompt: 'a fox',
			generation_model: 'qwen-image-max-2025-12-30',
			aspect_ratio: '9:16',
			negative_prompt: 'blurry',
			prompt_extend: false,
			watermark: true,
			seed: 42,
		});
	});

	it('LoRA path with every field set: LoRA fields sent, generation_model and prompt_extend never', async () => {
		const body = await sentBody({
			prompt: 'a fox',
			useLora: true,
			generationModel: 'qwen-image-max',
			aspectRatio: '21:9',
			loraWeights: 'https://huggingface.co/owner/repo/resolve/main/lora.safetensors',
			loraScale: 1.25,
			numberOfImages: 4,
			numInferenceSteps: 50,
			guidance: 2.5,
			goFast: true,
			additionalFields: { negativePrompt: 'text', promptExtend: true, watermark: false, seed: 0 },
		});
		expect(body).toEqual({
			prompt: 'a fox',
			aspect_ratio: '21:9',
			lora_weights: 'https://huggingface.co/owner/repo/resolve/main/lora.safetensors',
			lora_scale: 1.25,
			numberOfImages: 4,
			num_inference_steps: 50,
			guidance: 2.5,
			go_fast: true,
			negative_prompt: 'text',
			watermark: false,
			seed: 0,
		});
	});

	it('LoRA-only fields are never sent on the DashScope path, even when set', async () => {
		const body = await sentBody({
			prompt: 'a fox',
			useLora: false,
			loraWeights: 'owner/repo',
			loraScale: 2,
			numberOfImages: 3,
			numInferenceSteps: 40,
			guidance: 4,
			goFast: true,
		});
		expect(Object.keys(body).sort()).toEqual(['aspect_ratio', 'generation_model', 'prompt']);
	});

	it.each([null, ''])('a Seed added but left empty (%p) sends no seed, so every run gets a new one', async (seed) => {
		const body = await sentBody({ prompt: 'a fox', additionalFields: { seed, negativePrompt: '' } });
		expect(body).toEqual({ prompt: 'a fox', generation_model: 'qwen-image-plus', aspect_ratio: '1:1' });
	});

	it('counts a negative prompt in characters as a user does: 500 emoji are sent', async () => {
		const body = await sentBody({ prompt: 'a fox', additionalFields: { negativePrompt: '🦊'.repeat(500) } });
		expect(body.negative_prompt).toBe('🦊'.repeat(500));
	});

	it('numbers and booleans given as text by expressions are sent as JSON numbers and booleans', async () => {
		const body = await sentBody({
			prompt: 'a fox',
			useLora: true,
			loraWeights: 'owner/repo',
			numberOfImages: '={{ "2" }}',
			guidance: '={{ "3.5" }}',
			goFast: '={{ "true" }}',
			additionalFields: { seed: '={{ "7" }}' },
		});
		expect(body).toMatchObject({ numberOfImages: 2, guidance: 3.5, go_fast: true, seed: 7 });
	});
});

describe('input the API would reject is refused with no request sent', () => {
	const lora = { prompt: 'a fox', useLora: true, loraWeights: 'owner/repo' };

	it.each<[string, INodeParameters, RegExp]>([
		['21:9 without LoRA', { prompt: 'x', aspectRatio: '21:9' }, /Aspect Ratio \(aspect_ratio\) must be one of 1:1, 16:9, 9:16, 4:3, 3:4 without LoRA/],
		['an empty prompt from an expression', { prompt: '={{ $json.missing }}' }, /Prompt \(prompt\) must not be empty/],
		['a blank prompt', { prompt: '   ' }, /Prompt \(prompt\) must not be empty/],
		['a 501-character negative prompt', { prompt: 'x', additionalFields: { negativePrompt: 'n'.repeat(501) } }, /Negative Prompt \(negative_prompt\) must be at most 500 characters; got 501 characters/],
		['501 emoji as a negative prompt', { prompt: 'x', additionalFields: { negativePrompt: '🦊'.repeat(501) } }, /must be at most 500 characters; got 501 characters: "🦊🦊/],
		['a timeout over 7 days', { prompt: 'x', options: { timeoutSeconds: 604801 } }, /Timeout \(timeoutSeconds\) must be an integer from 1 to 604800; got 604801/],
		['an unknown On Timeout', { operation: 'generateAndWait', prompt: 'x', options: { onTimeout: 'wait' } }, /On Timeout \(onTimeout\) must be one of error, returnPending; got "wait"/],
		['a seed below 0', { prompt: 'x', additionalFields: { seed: -1 } }, /Seed \(seed\) must be an integer from 0 to 2147483647; got -1/],
		['a seed above 2147483647', { prompt: 'x', additionalFields: { seed: 2147483648 } }, /Seed \(seed\).*got 2147483648/],
		['LoRA scale 2.01', { ...lora, loraScale: 2.01 }, /LoRA Scale \(lora_scale\) must be a number from 0 to 2; got 2.01/],
		['LoRA scale -0.01', { ...lora, loraScale: -0.01 }, /LoRA Scale \(lora_scale\)/],
		['5 images', { ...lora, numberOfImages: 5 }, /Number of Images \(numberOfImages\) must be an integer from 1 to 4; got 5/],
		['0 images', { ...lora, numberOfImages: 0 }, /Number of Images \(numberOfImages\)/],
		['27 steps', { ...lora, numInferenceSteps: 27 }, /Inference Steps \(num_inference_steps\) must be an integer from 28 to 50; got 27/],
		['51 steps', { ...lora, numInferenceSteps: 51 }, /Inference Steps \(num_inference_steps\)/],
		['guidance 1.99', { ...lora, guidance: 1.99 }, /Guidance \(guidance\) must be a number from 2 to 4; got 1.99/],
		['guidance 4.01', { ...lora, guidance: 4.01 }, /Guidance \(guidance\)/],
		['LoRA weights empty from an expression', { prompt: 'x', useLora: true, loraWeights: '={{ "" }}' }, /LoRA Weights \(lora_weights\) is required/],
		['a number of images that is not a number', { ...lora, numberOfImages: '={{ "three" }}' }, /Number of Images \(numberOfImages\)/],
	])('%s', async (_, parameters, message) => {
		await expectRefusedBeforeAnyRequest(parameters, message);
	});

	it.each([
		['Prompt', { prompt: '' }],
		['LoRA Weights', { prompt: 'x', useLora: true, loraWeights: '' }],
	])('a literally empty required %s is refused by n8n itself before the node runs', async (label, parameters) => {
		await expect(submit(parameters)).rejects.toThrow(`Parameter "${label}" is required`);
		expect(sandbox.stats().apiRequests).toBe(0);
	});

	it.each<[string, INodeParameters, RegExp]>([
		['LoRA scale 0 and 2', { ...lora, loraScale: 2 }, /./],
		['1 and 4 images', { ...lora, numberOfImages: 1 }, /./],
		['28 steps', { ...lora, numInferenceSteps: 28 }, /./],
		['50 steps', { ...lora, numInferenceSteps: 50 }, /./],
		['guidance 2', { ...lora, guidance: 2 }, /./],
		['guidance 4', { ...lora, guidance: 4 }, /./],
		['seed 2147483647', { prompt: 'x', additionalFields: { seed: 2147483647 } }, /./],
		['a 500-character negative prompt', { prompt: 'x', additionalFields: { negativePrompt: 'n'.repeat(500) } }, /./],
	])('just inside: %s is sent', async (_, parameters) => {
		const result = await submit(parameters);
		expect(result.failure).toBeUndefined();
		expect(sandbox.stats().jobsCreated).toBe(1);
	});

	it('validates every item before the first request: one bad row, no job for the good ones', async () => {
		const result = await submit({ prompt: '={{ $json.prompt }}' }, [{ prompt: 'good' }, { prompt: '' }, { prompt: 'good too' }]);
		expect(result.failure).toMatch(/Prompt \(prompt\) must not be empty/);
		expect(sandbox.stats().apiRequests).toBe(0);
	});

	it('under Continue On Fail, the bad row becomes an error item and the others are submitted', async () => {
		const result = await runQwen({
			baseUrl: sandbox.apiUrl,
			apiKey: sandbox.apiKey,
			parameters: { operation: 'submit', prompt: '={{ $json.prompt }}' },
			items: [{ prompt: 'good' }, { prompt: '' }, { prompt: 'good too' }],
			continueOnFail: true,
		});
		expect(result.output.map((item) => [item.pairedItem, item.json.code ?? item.json.status])).toEqual([
			[{ item: 0 }, 'pending'],
			[{ item: 1 }, 'validation'],
			[{ item: 2 }, 'pending'],
		]);
		expect(result.output[1].json.error).toMatch(/Prompt \(prompt\) must not be empty/);
		expect(result.output[1].json.jobId).toBeUndefined();
		expect(sandbox.stats().jobsCreated).toBe(2);
	});
});
