import type { INodeParameters } from 'n8n-workflow';

import type { Sandbox } from '../support/sandbox';
import { startSandbox, withSandbox as withOwnSandbox } from '../support/sandbox';
import type { QwenRun } from '../support/runQwen';
import { NODE_NAME, runQwen } from '../support/runQwen';

/*
 * The API key stays secret, Authorization goes to the API origin only, and no field value an
 * expression can produce makes the node send a request the API documents as invalid.
 *
 * The scenarios that wait for jobs run concurrently, each against a sandbox of its own.
 */

const API_KEY = 'pdk_SECRET_1234567890';
const WRONG_KEY = 'pdk_WRONGKEY_0987654321';
const SECRETS = [API_KEY, WRONG_KEY];

const withSandbox = <T,>(options: object, scenario: (sandbox: Sandbox) => Promise<T>) =>
	withOwnSandbox({ jobDurationMs: 100, apiKeys: [API_KEY], ...options }, scenario);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface RunExtra {
	continueOnFail?: boolean;
	apiKey?: string;
	items?: object[];
	abortSignal?: AbortSignal;
}

const generate = (sandbox: Sandbox, parameters: INodeParameters = {}, extra: RunExtra = {}) =>
	runQwen({
		baseUrl: sandbox.apiUrl,
		apiKey: extra.apiKey ?? API_KEY,
		parameters: { operation: 'generateAndWait', prompt: 'a red fox', ...parameters },
		items: extra.items as never,
		continueOnFail: extra.continueOnFail,
		abortSignal: extra.abortSignal,
	});

/**
 * Every string reachable from a value, Error properties included (message, stack,
 * description and cause are not all enumerable).
 */
function everyString(value: unknown, seen = new Set<unknown>(), out: string[] = []): string[] {
	if (typeof value === 'string') out.push(value);
	else if (value !== null && typeof value === 'object' && !seen.has(value)) {
		seen.add(value);
		const keys =
			value instanceof Error
				? [...new Set([...Object.getOwnPropertyNames(value), 'message', 'stack', 'description', 'cause'])]
				: Object.keys(value);
		for (const key of keys) {
			out.push(key);
			everyString((value as Record<string, unknown>)[key], seen, out);
		}
	}
	return out;
}

/** Where `needle` occurs in `text`, with some context (undefined if it does not): short failure output. */
function around(text: string, needle: string | RegExp): string | undefined {
	const index = typeof needle === 'string' ? text.indexOf(needle) : text.search(needle);
	return index < 0 ? undefined : `…${text.slice(Math.max(0, index - 100), index + 60)}…`;
}

/** The whole run as stored, every error's message/description/stack, and the output items. */
function expectNoSecretIn(results: QwenRun[]) {
	for (const result of results) {
		const error = result.nodeError(NODE_NAME);
		const texts = [
			JSON.stringify(result.run),
			result.failure ?? '',
			...[error, result.error].flatMap((e) => (e ? [e.message, String(e.description ?? ''), String(e.stack ?? '')] : [])),
			...everyString(result.run),
			...everyString(error),
			...everyString(result.error),
		];
		for (const text of texts) {
			for (const secret of SECRETS) expect(around(text, secret)).toBeUndefined();
			expect(around(text, /TypeError|Cannot read properties/)).toBeUndefined();
		}
	}
}

// ── the API key never appears ──────────────────────────────────────────────────────────────

type Scenario = (sandbox: Sandbox) => Promise<QwenRun[]>;

/** A single Generate and Wait after the given faults, with and without Continue On Fail (in turn). */
const afterFaults =
	(faults: object[], parameters: INodeParameters = {}): Scenario =>
	async (sandbox) => {
		const results: QwenRun[] = [];
		for (const continueOnFail of [false, true]) {
			sandbox.reset();
			for (const fault of faults) sandbox.addFault(fault);
			results.push(await generate(sandbox, parameters, { continueOnFail }));
		}
		return results;
	};

const ECHOES_KEY = `the key ${API_KEY} was used`;

const SECRET_SCENARIOS: Array<[string, Scenario]> = [
	[
		'a successful LoRA run of two images',
		async (sandbox) => [await generate(sandbox, { useLora: true, loraWeights: 'owner/repo', numberOfImages: 2 })],
	],
	['a wrong API key (401)', async (sandbox) => [await generate(sandbox, {}, { apiKey: WRONG_KEY }), await generate(sandbox, {}, { apiKey: WRONG_KEY, continueOnFail: true })]],
	['a 401 for the right key', afterFaults([{ route: 'submit', kind: 'status', status: 401 }])],
	[
		'too few credits (402)',
		async (sandbox) => {
			sandbox.configure({ credits: 1 });
			return [await generate(sandbox), await generate(sandbox, {}, { continueOnFail: true })];
		},
	],
	['a 400 whose error text echoes the key', afterFaults([{ route: 'submit', kind: 'status', status: 400, body: { error: ECHOES_KEY, code: 'invalid_request' } }])],
	['a 404 on submit', afterFaults([{ route: 'submit', kind: 'status', status: 404 }])],
	[
		'429 until the timeout',
		afterFaults([{ route: 'submit', kind: 'status', status: 429, times: 1000, headers: { 'Retry-After': '1' } }], { options: { timeoutSeconds: 1 } }),
	],
	['a 500 on submit', afterFaults([{ route: 'submit', kind: 'status', status: 500 }])],
	['a connection reset after the submit created the job', afterFaults([{ route: 'submit', kind: 'reset', afterCreate: true }])],
	['malformed JSON on submit', afterFaults([{ route: 'submit', kind: 'malformedJson' }])],
	['an HTML page on submit', afterFaults([{ route: 'submit', kind: 'html' }])],
	['a submit answer of an unexpected shape that echoes the key', afterFaults([{ route: 'submit', kind: 'shape', body: { note: ECHOES_KEY } }])],
	[
		'a 503, a reset and a 429 on poll and a 502 on download, then success',
		afterFaults([
			{ route: 'poll', kind: 'status', status: 503 },
			{ route: 'poll', kind: 'reset' },
			{ route: 'poll', kind: 'status', status: 429, headers: { 'Retry-After': '1' } },
			{ route: 'download', kind: 'status', status: 502 },
		]),
	],
	['malformed JSON on poll', afterFaults([{ route: 'poll', kind: 'malformedJson' }])],
	['an HTML page on poll until the timeout', afterFaults([{ route: 'poll', kind: 'html', times: 1000 }], { options: { timeoutSeconds: 3 } })],
	['a poll answer of an unexpected shape that echoes the key', afterFaults([{ route: 'poll', kind: 'shape', body: { note: ECHOES_KEY } }])],
	[
		'a failed job whose error text echoes the key',
		afterFaults([{ route: 'poll', kind: 'shape', body: { jobId: 'job_0123456789abcdef01234567', status: 'failed', error: ECHOES_KEY } }]),
	],
	['a job that failed ([fail])', afterFaults([], { prompt: 'a [fail] fox' })],
	[
		'an unknown job ID on Poll (404)',
		afterFaults([], { operation: 'poll', jobId: 'job_0123456789abcdef01234567', waitForCompletion: true }),
	],
	['an expired image URL (403)', afterFaults([{ route: 'download', kind: 'status', status: 403, times: 100 }])],
	['a redirect to another origin', afterFaults([{ route: 'download', kind: 'redirect', to: 'otherOrigin' }])],
	['a truncated image', afterFaults([{ route: 'download', kind: 'truncate' }])],
	['a download reset', afterFaults([{ route: 'download', kind: 'reset' }])],
	['a page that is not an image and echoes the key', afterFaults([{ route: 'download', kind: 'contentType', times: 100, body: `<html>${ECHOES_KEY}</html>` }])],
	[
		'an image over the size cap',
		async (sandbox) => {
			sandbox.configure({ imageBytes: 2_000_000 });
			return [await generate(sandbox, { options: { maxImageSizeMb: 1 } }, { continueOnFail: true })];
		},
	],
	[
		'a timeout, as an error and as a pending job',
		async (sandbox) => {
			sandbox.configure({ jobDurationMs: 60_000 });
			return await Promise.all([
				generate(sandbox, { options: { timeoutSeconds: 1 } }),
				generate(sandbox, { options: { timeoutSeconds: 1, onTimeout: 'returnPending' } }),
			]);
		},
	],
	[
		'a cancelled execution',
		async (sandbox) => {
			sandbox.configure({ jobDurationMs: 60_000 });
			const controller = new AbortController();
			const running = generate(sandbox, {}, { abortSignal: controller.signal });
			while (sandbox.stats().jobsCreated === 0) await sleep(10);
			controller.abort();
			return [await running];
		},
	],
];

it.concurrent.each(SECRET_SCENARIOS)('the API key appears nowhere in the run, its errors or their stacks: %s', async (_, scenario) =>
	await withSandbox({}, async (sandbox) => {
		const results = await scenario(sandbox);
		expect(results.length).toBeGreaterThan(0);
		expectNoSecretIn(results);
	}),
);

// ── Authorization only to the API origin ───────────────────────────────────────────────────

it.concurrent('Authorization goes to the API origin only: images, redirects to other origins, a foreign statusUrl', async () =>
	await withSandbox({}, async (sandbox) => {
		sandbox.configure({ statusUrlOrigin: sandbox.foreignOrigin });
		sandbox.addFault({ route: 'download', kind: 'redirect', to: 'otherOrigin' });
		sandbox.addFault({ route: 'download', kind: 'redirect', to: 'sameOrigin', status: 307 });
		sandbox.addFault({ route: 'download', kind: 'redirect', to: 'otherOrigin', status: 308 });
		const submitted = await runQwen({ baseUrl: sandbox.apiUrl, apiKey: API_KEY, parameters: { operation: 'submit', prompt: 'polled later' } });
		expect(submitted.output[0].json.statusUrl).toMatch(new RegExp(`^${sandbox.foreignOrigin}`));

		const results = await Promise.all([
			generate(sandbox, { useLora: true, loraWeights: 'owner/repo', numberOfImages: 3 }),
			generate(sandbox),
			runQwen({
				baseUrl: sandbox.apiUrl,
				apiKey: API_KEY,
				parameters: { operation: 'poll', jobId: '={{ $json.jobId }}', waitForCompletion: true },
				items: [submitted.output[0].json],
			}),
		]);
		for (const result of results) expect(result.failure).toBeUndefined();
		expect(results.flatMap((result) => result.output)).toHaveLength(5);

		const { images, authorizationByOrigin, requestLog, requests } = sandbox.stats();
		// The redirects were taken, and reached the third-party origin.
		expect(requests.download).toMatchObject({ 302: 1, 307: 1, 308: 1 });
		expect(requests.foreign).toMatchObject({ 200: 2 });
		expect(images.length).toBe(8);
		expect(images.filter((image) => image.authorization)).toEqual([]);
		expect(authorizationByOrigin.image).toEqual({ with: 0, without: expect.any(Number) });
		expect(authorizationByOrigin.foreign).toEqual({ with: 0, without: 2 });
		// Every API request carried it, and nothing went to the foreign statusUrl.
		expect(authorizationByOrigin.api).toEqual({ with: expect.any(Number), without: 0 });
		expect(requestLog.filter((entry) => entry.origin === 'foreign' && entry.path.startsWith('/api/'))).toEqual([]);
		expectNoSecretIn([submitted, ...results]);
	}),
);

// ── fuzzing the fields through n8n expressions ─────────────────────────────────────────────

const DASHSCOPE_MODELS = ['qwen-image-plus', 'qwen-image-plus-2026-01-09', 'qwen-image-max', 'qwen-image-max-2025-12-30', 'qwen-image'];
const DASHSCOPE_RATIOS = ['1:1', '16:9', '9:16', '4:3', '3:4'];
const LORA_ONLY = ['lora_scale', 'num_inference_steps', 'guidance', 'go_fast'];
const DASHSCOPE_ONLY = ['generation_model', 'prompt_extend'];
const KNOWN_FIELDS = ['prompt', 'negative_prompt', 'aspect_ratio', 'watermark', 'seed', 'numberOfImages', 'lora_weights', ...LORA_ONLY, ...DASHSCOPE_ONLY];

const isIntegerIn = (min: number, max: number) => (value: unknown) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
const isNumberIn = (min: number, max: number) => (value: unknown) =>
	typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
const isBoolean = (value: unknown) => typeof value === 'boolean';

/** What in a submit body the documentation (/work/shared/api/qwen-image-max.md) does not allow. */
function documentedViolations(body: Record<string, unknown>): string[] {
	const lora = 'lora_weights' in body;
	const rules: Record<string, (value: unknown) => boolean> = {
		prompt: (value) => typeof value === 'string' && value.trim() !== '',
		generation_model: (value) => DASHSCOPE_MODELS.includes(value as string),
		aspect_ratio: (value) => [...DASHSCOPE_RATIOS, ...(lora ? ['21:9'] : [])].includes(value as string),
		negative_prompt: (value) => typeof value === 'string' && [...value].length <= 500,
		prompt_extend: isBoolean,
		watermark: isBoolean,
		go_fast: isBoolean,
		num_inference_steps: isIntegerIn(28, 50),
		guidance: isNumberIn(2, 4),
		numberOfImages: isIntegerIn(1, lora ? 4 : 1),
		seed: isIntegerIn(0, 2147483647),
		lora_weights: (value) => typeof value === 'string' && value.trim() !== '',
		lora_scale: isNumberIn(0, 2),
	};
	const problems = Object.entries(body)
		.filter(([field, value]) => !KNOWN_FIELDS.includes(field) || !rules[field](value))
		.map(([field, value]) => `${field}=${JSON.stringify(value)}`);
	if (!('prompt' in body)) problems.push('prompt missing');
	// Fields of the other path: ignored by the API at best, so never sent.
	for (const field of lora ? DASHSCOPE_ONLY : LORA_ONLY) if (field in body) problems.push(`${field} on the wrong path`);
	return problems;
}

interface FuzzCase {
	/** The API field whose name (in parentheses) a refusal must contain. */
	field: string;
	parameters: INodeParameters;
	/** Set when the input is plainly valid: it must be sent, with these values. */
	sent?: Record<string, unknown>;
}

const DASH: INodeParameters = { prompt: 'a fox' };
const LORA: INodeParameters = { prompt: 'a fox', useLora: true, loraWeights: 'owner/repo' };
const LONG_PROMPT = 'a fox in the snow, '.repeat(527).slice(0, 10_000);
const NON_LATIN_PROMPT = '富士山の夕焼け، مرحبا بالعالم، Привет мир, नमस्ते 🦊🏔️';

const FUZZ: Array<[string, FuzzCase]> = [
	['numberOfImages NaN', { field: 'numberOfImages', parameters: { ...LORA, numberOfImages: '={{ NaN }}' } }],
	['numberOfImages -1', { field: 'numberOfImages', parameters: { ...LORA, numberOfImages: '={{ -1 }}' } }],
	['numberOfImages -0', { field: 'numberOfImages', parameters: { ...LORA, numberOfImages: '={{ -0 }}' } }],
	['numberOfImages 1e309 (Infinity)', { field: 'numberOfImages', parameters: { ...LORA, numberOfImages: '={{ 1e309 }}' } }],
	['numberOfImages "1e309" as text', { field: 'numberOfImages', parameters: { ...LORA, numberOfImages: '={{ "1e309" }}' } }],
	['numberOfImages 1e21', { field: 'numberOfImages', parameters: { ...LORA, numberOfImages: '={{ 1e21 }}' } }],
	['numberOfImages 9007199254740993', { field: 'numberOfImages', parameters: { ...LORA, numberOfImages: '={{ 9007199254740993 }}' } }],
	['numberOfImages 2.5', { field: 'numberOfImages', parameters: { ...LORA, numberOfImages: '={{ 2.5 }}' } }],
	['numberOfImages " 3 " as text', { field: 'numberOfImages', parameters: { ...LORA, numberOfImages: '={{ " 3 " }}' }, sent: { numberOfImages: 3 } }],
	['numberOfImages [2]', { field: 'numberOfImages', parameters: { ...LORA, numberOfImages: '={{ [2] }}' } }],
	['numberOfImages { n: 2 }', { field: 'numberOfImages', parameters: { ...LORA, numberOfImages: '={{ { n: 2 } }}' } }],
	['numberOfImages true', { field: 'numberOfImages', parameters: { ...LORA, numberOfImages: '={{ true }}' } }],
	['numberOfImages "true" as text', { field: 'numberOfImages', parameters: { ...LORA, numberOfImages: '={{ "true" }}' } }],
	['numberOfImages empty text', { field: 'numberOfImages', parameters: { ...LORA, numberOfImages: '={{ "" }}' } }],
	['numberOfImages null', { field: 'numberOfImages', parameters: { ...LORA, numberOfImages: '={{ null }}' } }],
	['numberOfImages 4 without LoRA (not sent)', { field: 'numberOfImages', parameters: { ...DASH, numberOfImages: 4 }, sent: {} }],
	['guidance "2.5e0" as text', { field: 'guidance', parameters: { ...LORA, guidance: '={{ "2.5e0" }}' }, sent: { guidance: 2.5 } }],
	['guidance NaN', { field: 'guidance', parameters: { ...LORA, guidance: '={{ NaN }}' } }],
	['guidance Infinity', { field: 'guidance', parameters: { ...LORA, guidance: '={{ Infinity }}' } }],
	['guidance -Infinity', { field: 'guidance', parameters: { ...LORA, guidance: '={{ -Infinity }}' } }],
	['guidance "4.0000001" as text', { field: 'guidance', parameters: { ...LORA, guidance: '={{ "4.0000001" }}' } }],
	['guidance "abc"', { field: 'guidance', parameters: { ...LORA, guidance: '={{ "abc" }}' } }],
	['guidance null', { field: 'guidance', parameters: { ...LORA, guidance: '={{ null }}' } }],
	['guidance [3]', { field: 'guidance', parameters: { ...LORA, guidance: '={{ [3] }}' } }],
	['seed -0', { field: 'seed', parameters: { ...DASH, additionalFields: { seed: '={{ -0 }}' } }, sent: { seed: 0 } }],
	['seed -1', { field: 'seed', parameters: { ...DASH, additionalFields: { seed: '={{ -1 }}' } } }],
	['seed 2147483647.5', { field: 'seed', parameters: { ...DASH, additionalFields: { seed: '={{ 2147483647.5 }}' } } }],
	['seed 1e309', { field: 'seed', parameters: { ...DASH, additionalFields: { seed: '={{ 1e309 }}' } } }],
	['seed 9007199254740993', { field: 'seed', parameters: { ...DASH, additionalFields: { seed: '={{ 9007199254740993 }}' } } }],
	['seed "42" as text', { field: 'seed', parameters: { ...DASH, additionalFields: { seed: '={{ "42" }}' } }, sent: { seed: 42 } }],
	['seed empty text (unset)', { field: 'seed', parameters: { ...DASH, additionalFields: { seed: '={{ "" }}' } }, sent: {} }],
	['seed "abc"', { field: 'seed', parameters: { ...DASH, additionalFields: { seed: '={{ "abc" }}' } } }],
	['seed [1]', { field: 'seed', parameters: { ...DASH, additionalFields: { seed: '={{ [1] }}' } } }],
	['seed true', { field: 'seed', parameters: { ...DASH, additionalFields: { seed: '={{ true }}' } } }],
	['seed null', { field: 'seed', parameters: { ...DASH, additionalFields: { seed: '={{ null }}' } } }],
	['loraScale -0', { field: 'lora_scale', parameters: { ...LORA, loraScale: '={{ -0 }}' }, sent: { lora_scale: 0 } }],
	['loraScale 2.0000001', { field: 'lora_scale', parameters: { ...LORA, loraScale: '={{ 2.0000001 }}' } }],
	['loraScale NaN', { field: 'lora_scale', parameters: { ...LORA, loraScale: '={{ NaN }}' } }],
	['numInferenceSteps 28.5', { field: 'num_inference_steps', parameters: { ...LORA, numInferenceSteps: '={{ 28.5 }}' } }],
	['numInferenceSteps "35" as text', { field: 'num_inference_steps', parameters: { ...LORA, numInferenceSteps: '={{ "35" }}' }, sent: { num_inference_steps: 35 } }],
	['numInferenceSteps 1e2', { field: 'num_inference_steps', parameters: { ...LORA, numInferenceSteps: '={{ 1e2 }}' } }],
	['a 10 000-character prompt', { field: 'prompt', parameters: { prompt: LONG_PROMPT }, sent: { prompt: LONG_PROMPT } }],
	['a non-Latin prompt', { field: 'prompt', parameters: { prompt: NON_LATIN_PROMPT }, sent: { prompt: NON_LATIN_PROMPT } }],
	['a prompt with control characters', { field: 'prompt', parameters: { prompt: 'a\u0000fox\u0007\t"quoted"\\' }, sent: { prompt: 'a\u0000fox\u0007\t"quoted"\\' } }],
	['a prompt that is a number', { field: 'prompt', parameters: { prompt: '={{ 123 }}' } }],
	['a prompt that is an array', { field: 'prompt', parameters: { prompt: '={{ ["a", "fox"] }}' } }],
	['a prompt that is an object', { field: 'prompt', parameters: { prompt: '={{ { text: "a fox" } }}' } }],
	['a prompt that is null', { field: 'prompt', parameters: { prompt: '={{ null }}' } }],
	['an empty prompt from an expression', { field: 'prompt', parameters: { prompt: '={{ "" }}' } }],
	['a negative prompt of 500 emoji', { field: 'negative_prompt', parameters: { ...DASH, additionalFields: { negativePrompt: '🦊'.repeat(500) } } }],
	['a 10 000-character negative prompt', { field: 'negative_prompt', parameters: { ...DASH, additionalFields: { negativePrompt: 'x'.repeat(10_000) } } }],
	['a negative prompt that is a number', { field: 'negative_prompt', parameters: { ...DASH, additionalFields: { negativePrompt: '={{ 5 }}' } } }],
	['watermark "true" as text', { field: 'watermark', parameters: { ...DASH, additionalFields: { watermark: '={{ "true" }}' } }, sent: { watermark: true } }],
	['watermark "yes"', { field: 'watermark', parameters: { ...DASH, additionalFields: { watermark: '={{ "yes" }}' } } }],
	['watermark 1', { field: 'watermark', parameters: { ...DASH, additionalFields: { watermark: '={{ 1 }}' } } }],
	['goFast "false" as text', { field: 'go_fast', parameters: { ...LORA, goFast: '={{ "false" }}' }, sent: { go_fast: false } }],
	['goFast 0', { field: 'go_fast', parameters: { ...LORA, goFast: '={{ 0 }}' } }],
	['promptExtend "FALSE"', { field: 'prompt_extend', parameters: { ...DASH, additionalFields: { promptExtend: '={{ "FALSE" }}' } } }],
	['aspect ratio " 16:9 " with spaces', { field: 'aspect_ratio', parameters: { ...DASH, aspectRatio: '={{ " 16:9 " }}' } }],
	['aspect ratio 21:9 without LoRA', { field: 'aspect_ratio', parameters: { ...DASH, aspectRatio: '={{ "21:9" }}' } }],
	['aspect ratio 1 (a number)', { field: 'aspect_ratio', parameters: { ...DASH, aspectRatio: '={{ 1 }}' } }],
	['generation model in capitals', { field: 'generation_model', parameters: { ...DASH, generationModel: '={{ "QWEN-IMAGE-MAX" }}' } }],
	['generation model empty text', { field: 'generation_model', parameters: { ...DASH, generationModel: '={{ "" }}' } }],
	['LoRA weights that are a number', { field: 'lora_weights', parameters: { prompt: 'x', useLora: true, loraWeights: '={{ 123 }}' } }],
	['LoRA weights that are blank', { field: 'lora_weights', parameters: { prompt: 'x', useLora: true, loraWeights: '={{ "   " }}' } }],
	['use LoRA "true" as text', { field: 'lora_weights', parameters: { ...LORA, useLora: '={{ "true" }}' }, sent: { lora_weights: 'owner/repo' } }],
	['use LoRA "yes"', { field: 'lora_weights', parameters: { ...LORA, useLora: '={{ "yes" }}' } }],
];

describe('fuzzing the fields through n8n expressions: a valid request, or a refusal naming the field and nothing sent', () => {
	let sandbox: Sandbox;
	const messages: string[] = [];
	beforeAll(async () => {
		sandbox = await startSandbox({ jobDurationMs: 60_000, apiKeys: [API_KEY] });
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.reset());

	it('has at least 40 cases', () => expect(FUZZ.length).toBeGreaterThanOrEqual(40));

	it.each(FUZZ)('%s', async (_, { field, parameters, sent }) => {
		const result = await runQwen({ baseUrl: sandbox.apiUrl, apiKey: API_KEY, parameters: { operation: 'submit', ...parameters } });
		const stats = sandbox.stats();
		if (result.failure !== undefined) {
			messages.push(result.failure);
			expect(result.failure).not.toMatch(/TypeError|Cannot read properties/);
			expect({ refusal: result.failure, plainlyValid: sent !== undefined }).toEqual({ refusal: expect.stringContaining(`(${field})`), plainlyValid: false });
			expect(stats.apiRequests).toBe(0);
		} else {
			expect(stats.jobs).toHaveLength(1);
			const { body } = stats.jobs[0];
			expect(documentedViolations(body)).toEqual([]);
			if (sent) expect(body).toMatchObject(sent);
		}
		expectNoSecretIn([result]);
	});

	it('no refusal message reads like a crash', () => {
		expect(messages.length).toBeGreaterThan(20);
		for (const message of messages) expect(message).not.toMatch(/TypeError|Cannot read properties|undefined is not/);
	});
});
