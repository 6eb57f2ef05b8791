import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { readBinaryData } from '../harness';
import type { Sandbox } from '../support/sandbox';
import { withSandbox as withOwnSandbox } from '../support/sandbox';
import type { QwenRun } from '../support/runQwen';
import { DOWNSTREAM, NODE_NAME, runQwen } from '../support/runQwen';

/*
 * Every fault the sandbox can inject, run through n8n's execution engine (Generate and Wait
 * unless a test says otherwise). Names start with the row of the fault table they cover.
 *
 * Generate and Wait polls for the first time about 2.5 s after its submit, so the tests run
 * concurrently, each scenario against a sandbox of its own (faults are a FIFO per sandbox and
 * a request log must belong to one scenario). Jest only runs concurrent tests of one describe
 * block together, hence a flat file.
 */

const API_KEY = 'pdk_faults_SECRET_7f3a9c21';
const WRONG_KEY = 'pdk_WRONG_0000000000';
const BUY_CREDITS_URL = 'https://pixeldojo.ai/api-platform/buy-credits';
const BOUNDED_MESSAGE_LENGTH = 600;

const withSandbox = <T,>(options: object, scenario: (sandbox: Sandbox) => Promise<T>) =>
	withOwnSandbox({ jobDurationMs: 100, apiKeys: [API_KEY], ...options }, scenario);

interface RunExtra {
	parameters?: INodeParameters;
	options?: INodeParameters;
	items?: IDataObject[];
	continueOnFail?: boolean;
	apiKey?: string;
	abortSignal?: AbortSignal;
}

/** Generate and Wait (unless `parameters.operation` says otherwise), the prompt read from each item. */
const run = (sandbox: Sandbox, extra: RunExtra = {}): Promise<QwenRun> =>
	runQwen({
		baseUrl: sandbox.apiUrl,
		apiKey: extra.apiKey ?? sandbox.apiKey,
		parameters: {
			operation: 'generateAndWait',
			prompt: '={{ $json.prompt }}',
			...(extra.options ? { options: extra.options } : {}),
			...extra.parameters,
		},
		items: extra.items ?? [{ prompt: 'a red fox' }],
		continueOnFail: extra.continueOnFail,
		abortSignal: extra.abortSignal,
	});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > until) throw new Error('condition not met in time');
		await sleep(10);
	}
}

const apiLog = (sandbox: Sandbox) => sandbox.stats().requestLog.filter((entry) => entry.origin === 'api');
const total = (counts: Record<string, number> | undefined) => Object.values(counts ?? {}).reduce((sum, n) => sum + n, 0);
const onlyJobId = (sandbox: Sandbox) => {
	const { jobs } = sandbox.stats();
	expect(jobs).toHaveLength(1);
	return jobs[0].jobId;
};
/** The sandbox's image records carry more than the support typing declares. */
const imageRecords = (sandbox: Sandbox) =>
	sandbox.stats().images as unknown as Array<{ at: number; origin: string; status: number; authorization: boolean; complete: boolean }>;

/** The node failure's message, description and stack, the run's error, and the `error` of every output item. */
function errorTexts(result: QwenRun): string[] {
	const texts: string[] = [];
	for (const error of [result.nodeError(NODE_NAME), result.error]) {
		if (!error) continue;
		texts.push(error.message, String(error.description ?? ''), String(error.stack ?? ''));
	}
	for (const item of result.output) if (item.json.error !== undefined) texts.push(String(item.json.error));
	return texts;
}

/** Message and description of the node failure: what n8n shows the user. */
function shownError(result: QwenRun): string {
	const error = result.nodeError(NODE_NAME);
	expect(error).toBeDefined();
	return `${error!.message} ${error!.description ?? ''}`;
}

/** No crash shows through as the message, and neither key appears anywhere in the run. */
function expectCleanErrors(result: QwenRun) {
	for (const text of errorTexts(result)) {
		expect(text).not.toMatch(/TypeError|Cannot read properties/);
		expect(text).not.toContain(API_KEY);
		expect(text).not.toContain(WRONG_KEY);
	}
	const serialised = JSON.stringify(result.run);
	expect(serialised).not.toContain(API_KEY);
	expect(serialised).not.toContain(WRONG_KEY);
}

async function expectServedBytes(sandbox: Sandbox, item: INodeExecutionData) {
	expect(item.json.status).toBe('completed');
	const binary = item.binary?.data;
	expect(binary).toBeDefined();
	const stored = await readBinaryData(binary!);
	const served = sandbox.imageBytesFor(item.json.imageUrl as string);
	expect(served).toBeDefined();
	expect(stored.length).toBe(served!.length);
	expect(stored.equals(served!)).toBe(true);
}

async function expectSuccess(sandbox: Sandbox, result: QwenRun) {
	expect(result.failure).toBeUndefined();
	expect(result.output).toHaveLength(1);
	await expectServedBytes(sandbox, result.output[0]);
	expectCleanErrors(result);
}

/** Backoff: the first retry waits at least ~0.4 s, the second longer still. */
function expectBackoff(times: number[]) {
	expect(times.length).toBeGreaterThanOrEqual(3);
	expect(times[1] - times[0]).toBeGreaterThanOrEqual(350);
	expect(times[2] - times[1]).toBeGreaterThanOrEqual(700);
}

// ── 1. 429 with Retry-After ──────────────────────────────────────────────────────────────────

it.concurrent.each([
	['submit', 'seconds'],
	['submit', 'an HTTP date'],
	['poll', 'seconds'],
	['poll', 'an HTTP date'],
])('[1] 429 on %s, Retry-After in %s: the next request waits until then, and the item succeeds', async (route, format) =>
	await withSandbox({}, async (sandbox) => {
		// An HTTP date has whole seconds only: aim it well after the moment the request is hit
		// (the submit at once, the first poll about 2.5 s later), so that the wait is a real one.
		const retryAt = format === 'seconds' ? undefined : new Date(Date.now() + (route === 'poll' ? 6000 : 3000)).toUTCString();
		sandbox.addFault({ route, kind: 'status', status: 429, headers: { 'Retry-After': retryAt ?? '2' } });

		const result = await run(sandbox);

		await expectSuccess(sandbox, result);
		expect(sandbox.stats().requests[route]).toMatchObject({ 429: 1 });
		const log = apiLog(sandbox);
		const limited = log.findIndex((entry) => entry.route === route);
		const [hit, next] = [log[limited], log[limited + 1]];
		expect(next.route).toBe(route);
		if (retryAt === undefined) {
			expect(next.at - hit.at).toBeGreaterThanOrEqual(2000);
		} else {
			expect(hit.at).toBeLessThan(Date.parse(retryAt));
			expect(next.at).toBeGreaterThanOrEqual(Date.parse(retryAt));
		}
	}),
);

// ── 2. transient server errors and resets on poll and download ─────────────────────────────

it.concurrent.each([500, 502, 503, 504])('[2] a burst of two %i on poll is retried with backoff; the item succeeds', async (status) =>
	await withSandbox({}, async (sandbox) => {
		sandbox.addFault({ route: 'poll', kind: 'status', status, times: 2 });
		const result = await run(sandbox);
		await expectSuccess(sandbox, result);
		expect(sandbox.stats().requests.poll).toMatchObject({ [status]: 2, 200: 1 });
		expectBackoff(apiLog(sandbox).filter((entry) => entry.route === 'poll').map((entry) => entry.at));
	}),
);

it.concurrent.each([500, 502, 503, 504])('[2] a burst of two %i on the image download is retried with backoff; the bytes are right', async (status) =>
	await withSandbox({}, async (sandbox) => {
		sandbox.addFault({ route: 'download', kind: 'status', status, times: 2 });
		const result = await run(sandbox);
		await expectSuccess(sandbox, result);
		expect(sandbox.stats().requests.download).toEqual({ [status]: 2, 200: 1 });
		expectBackoff(imageRecords(sandbox).map((image) => image.at));
	}),
);

it.concurrent('[2] two connection resets on poll are retried; the item succeeds', async () =>
	await withSandbox({}, async (sandbox) => {
		sandbox.addFault({ route: 'poll', kind: 'reset', times: 2 });
		const result = await run(sandbox);
		await expectSuccess(sandbox, result);
		expect(sandbox.stats().requests.poll).toMatchObject({ reset: 2, 200: 1 });
		expect(sandbox.stats().jobsCreated).toBe(1);
	}),
);

it.concurrent('[2] two connection resets on the image download are retried; the bytes are right', async () =>
	await withSandbox({}, async (sandbox) => {
		sandbox.addFault({ route: 'download', kind: 'reset', times: 2 });
		const result = await run(sandbox);
		await expectSuccess(sandbox, result);
		expect(sandbox.stats().requests.download).toEqual({ reset: 2, 200: 1 });
	}),
);

// ── 3. a submit that may have reached the API is never resent ──────────────────────────────
// (ECONNREFUSED and other failures before a byte was sent cannot be provoked with the sandbox.)

const SAYS_MAY_EXIST = /may (already )?exist/i;
const SAYS_NOT_RESENT = /not (been )?(submitted|sent|resent) again/i;

it.concurrent.each([
	['a 500', { route: 'submit', kind: 'status', status: 500 }, 0],
	['a connection reset after the job was created', { route: 'submit', kind: 'reset', afterCreate: true }, 1],
])('[3] %s on submit: one submit request only, and an error saying the job may exist (code submit_uncertain)', async (_, fault, jobsCreated) => {
	const [failed, continued] = await Promise.all(
		[false, true].map(
			async (continueOnFail) =>
				await withSandbox({}, async (sandbox) => {
					sandbox.addFault(fault);
					const result = await run(sandbox, { continueOnFail });
					expect(total(sandbox.stats().requests.submit)).toBe(1);
					expect(sandbox.stats().jobsCreated).toBe(jobsCreated);
					expect(sandbox.stats().requests.poll).toBeUndefined();
					expectCleanErrors(result);
					return result;
				}),
		),
	);
	expect(failed.failure).toMatch(SAYS_MAY_EXIST);
	expect(failed.failure).toMatch(SAYS_NOT_RESENT);
	expect(continued.output).toEqual([
		{ json: { code: 'submit_uncertain', error: expect.stringMatching(SAYS_MAY_EXIST) }, pairedItem: { item: 0 } },
	]);
});

// ── 4. answers that are not what the API documents ────────────────────────────────────────

const NOT_DOCUMENTED_ANSWERS: Array<[string, object, RegExp]> = [
	['malformed JSON', { kind: 'malformedJson' }, /\{"jobId":/],
	['an HTML error page', { kind: 'html' }, /502 Bad Gateway/],
	['an unexpected shape', { kind: 'shape', body: { ok: true, note: 'zebra-marker-42' } }, /zebra-marker-42/],
];

function expectClearSnippetError(message: string, snippet: RegExp) {
	expect(message).toMatch(snippet);
	expect(message.length).toBeLessThanOrEqual(BOUNDED_MESSAGE_LENGTH);
	expect(message).not.toMatch(/TypeError|Cannot read properties|undefined is not/);
	expect(message).not.toContain(API_KEY);
}

it.concurrent.each(NOT_DOCUMENTED_ANSWERS)('[4] %s on submit: a clear error quoting a short snippet; not sent again', async (_, fault, snippet) =>
	await withSandbox({}, async (sandbox) => {
		sandbox.addFault({ route: 'submit', ...fault });
		const result = await run(sandbox);
		expect(result.failure).toBeDefined();
		expectClearSnippetError(result.failure!, snippet);
		expect(total(sandbox.stats().requests.submit)).toBe(1);
		expectCleanErrors(result);
	}),
);

it.concurrent.each(NOT_DOCUMENTED_ANSWERS)('[4] %s on poll: a clear error quoting a short snippet, with the job ID', async (_, fault, snippet) =>
	await withSandbox({}, async (sandbox) => {
		// The HTML page is a 502, which is retried: it has to last until the item's timeout.
		sandbox.addFault({ route: 'poll', times: 1000, ...fault });
		const result = await run(sandbox, { continueOnFail: true, options: { timeoutSeconds: 4 } });
		expect(result.output).toHaveLength(1);
		const { json } = result.output[0];
		expect(json.jobId).toBe(onlyJobId(sandbox));
		expectClearSnippetError(String(json.error), snippet);
		expectCleanErrors(result);
	}),
);

// ── 5. job statuses ────────────────────────────────────────────────────────────────────────

it.concurrent('[5] statuses the API does not document ("queued", "running") mean "not finished yet"; then success', async () =>
	await withSandbox({ jobDurationMs: 3500, statuses: ['queued', 'running'] }, async (sandbox) => {
		const result = await run(sandbox);
		await expectSuccess(sandbox, result);
		// At least one poll saw the job unfinished, and the node kept waiting.
		expect(sandbox.stats().jobs[0].polls).toBeGreaterThanOrEqual(2);
	}),
);

it.concurrent('[5] a failed job: the API error text and the job ID (code job_failed); under Continue On Fail the other item goes on', async () => {
	await Promise.all([
		withSandbox({}, async (sandbox) => {
			const failed = await run(sandbox, { items: [{ prompt: 'a [fail] fox' }] });
			const jobId = onlyJobId(sandbox);
			expect(failed.failure).toContain('Generation failed: content policy violation');
			expect(failed.failure).toContain(jobId);
			expectCleanErrors(failed);
		}),
		withSandbox({}, async (sandbox) => {
			const continued = await run(sandbox, {
				continueOnFail: true,
				items: [
					{ prompt: 'a [fail] fox', tag: 'bad' },
					{ prompt: 'a fine fox', tag: 'good' },
				],
			});
			const failedJob = sandbox.stats().jobs.find((job) => String(job.body.prompt).includes('[fail]'))!;
			expect(continued.output).toHaveLength(2);
			expect(continued.output[0]).toEqual({
				json: { code: 'job_failed', jobId: failedJob.jobId, error: expect.stringContaining('Generation failed: content policy violation') },
				pairedItem: { item: 0 },
			});
			expect(continued.output[1].pairedItem).toEqual({ item: 1 });
			await expectServedBytes(sandbox, continued.output[1]);
			expect(continued.outputOf(DOWNSTREAM).map((item) => item.json.note)).toEqual(['bad', 'good']);
			expectCleanErrors(continued);
		}),
	]);
});

// ── 6. 404 on poll ─────────────────────────────────────────────────────────────────────────

const NOT_FOUND = /not found|no job|unknown job/i;

it.concurrent('[6] Poll of an unknown job ID: "job not found" naming the ID (code job_not_found)', async () =>
	await withSandbox({}, async (sandbox) => {
		const jobId = 'job_0123456789abcdef01234567';
		const parameters = { operation: 'poll', jobId, waitForCompletion: true };
		const failed = await run(sandbox, { parameters });
		expect(failed.failure).toMatch(NOT_FOUND);
		expect(failed.failure).toContain(jobId);
		expectCleanErrors(failed);

		const continued = await run(sandbox, { parameters, continueOnFail: true });
		expect(continued.output).toEqual([
			{ json: { code: 'job_not_found', jobId, error: expect.stringMatching(NOT_FOUND) }, pairedItem: { item: 0 } },
		]);
	}),
);

it.concurrent('[6] a job that expired while waiting (jobTtlMs): "job not found" naming the ID (code job_not_found)', async () => {
	await Promise.all([
		withSandbox({ jobTtlMs: 1000 }, async (sandbox) => {
			const failed = await run(sandbox);
			const jobId = onlyJobId(sandbox);
			expect(failed.failure).toMatch(NOT_FOUND);
			expect(failed.failure).toContain(jobId);
			expectCleanErrors(failed);
		}),
		withSandbox({ jobTtlMs: 1000 }, async (sandbox) => {
			const continued = await run(sandbox, { continueOnFail: true });
			expect(continued.output).toEqual([
				{ json: { code: 'job_not_found', jobId: onlyJobId(sandbox), error: expect.stringMatching(NOT_FOUND) }, pairedItem: { item: 0 } },
			]);
		}),
	]);
});

// ── 7. image downloads ─────────────────────────────────────────────────────────────────────

it.concurrent.each([403, 404])('[7] an image URL answering %i: a clear "expired" error with the job ID (code download_failed)', async (status) => {
	await Promise.all([
		withSandbox({}, async (sandbox) => {
			sandbox.addFault({ route: 'download', kind: 'status', status, times: 100 });
			const failed = await run(sandbox);
			expect(failed.failure).toMatch(/expired/i);
			// Without Continue On Fail the error is all the user has: it must name the paid-for job.
			expect(shownError(failed)).toContain(onlyJobId(sandbox));
			expectCleanErrors(failed);
		}),
		withSandbox({}, async (sandbox) => {
			sandbox.addFault({ route: 'download', kind: 'status', status, times: 100 });
			const continued = await run(sandbox, { continueOnFail: true });
			expect(continued.output).toEqual([
				{ json: { code: 'download_failed', jobId: onlyJobId(sandbox), error: expect.stringMatching(/expired/i) }, pairedItem: { item: 0 } },
			]);
		}),
	]);
});

it.concurrent.each(['sameOrigin', 'otherOrigin'])('[7] a redirect (%s) is followed: same bytes, no Authorization to the image hosts', async (to) =>
	await withSandbox({}, async (sandbox) => {
		sandbox.addFault({ route: 'download', kind: 'redirect', to });
		const result = await run(sandbox);
		await expectSuccess(sandbox, result);
		const images = imageRecords(sandbox);
		expect(images.map((image) => [image.origin, image.status])).toEqual([
			['image', 302],
			[to === 'sameOrigin' ? 'image' : 'foreign', 200],
		]);
		expect(images.map((image) => image.authorization)).toEqual([false, false]);
		const { authorizationByOrigin } = sandbox.stats();
		expect(authorizationByOrigin.image?.with ?? 0).toBe(0);
		expect(authorizationByOrigin.foreign?.with ?? 0).toBe(0);
	}),
);

it.concurrent('[7] a truncated image body is downloaded again; the item has every byte', async () =>
	await withSandbox({}, async (sandbox) => {
		sandbox.addFault({ route: 'download', kind: 'truncate' });
		const result = await run(sandbox);
		await expectSuccess(sandbox, result);
		expect(imageRecords(sandbox).map((image) => image.complete)).toEqual([false, true]);
	}),
);

it.concurrent('[7] a page that is not an image: a clear error (code not_an_image) with the job ID', async () => {
	await Promise.all([
		withSandbox({}, async (sandbox) => {
			sandbox.addFault({ route: 'download', kind: 'contentType', times: 100 });
			const failed = await run(sandbox);
			expect(failed.failure).toMatch(/not an image/i);
			expect(failed.failure!.length).toBeLessThanOrEqual(BOUNDED_MESSAGE_LENGTH);
			expectCleanErrors(failed);
		}),
		withSandbox({}, async (sandbox) => {
			sandbox.addFault({ route: 'download', kind: 'contentType', times: 100 });
			const continued = await run(sandbox, { continueOnFail: true });
			expect(continued.output).toEqual([
				{ json: { code: 'not_an_image', jobId: onlyJobId(sandbox), error: expect.stringMatching(/not an image/i) }, pairedItem: { item: 0 } },
			]);
		}),
	]);
});

it.concurrent('[7] an image larger than Max Image Size (MB): a clear error (code image_too_large) with the job ID', async () =>
	await withSandbox({ imageBytes: 2_000_000 }, async (sandbox) => {
		const continued = await run(sandbox, { continueOnFail: true, options: { maxImageSizeMb: 1 } });
		expect(continued.output).toEqual([
			{
				json: { code: 'image_too_large', jobId: onlyJobId(sandbox), error: expect.stringMatching(/limit|too large|larger/i) },
				pairedItem: { item: 0 },
			},
		]);
		expectCleanErrors(continued);
	}),
);

// ── 8. timeout ─────────────────────────────────────────────────────────────────────────────

it.concurrent('[8] a job still running at Timeout (Seconds): an error with the job ID (code timeout)', async () => {
	await Promise.all([
		withSandbox({ jobDurationMs: 60_000 }, async (sandbox) => {
			const startedAt = Date.now();
			const failed = await run(sandbox, { options: { timeoutSeconds: 2 } });
			expect(Date.now() - startedAt).toBeLessThan(6000);
			expect(failed.failure).toContain(onlyJobId(sandbox));
			expectCleanErrors(failed);
		}),
		withSandbox({ jobDurationMs: 60_000 }, async (sandbox) => {
			const continued = await run(sandbox, { continueOnFail: true, options: { timeoutSeconds: 2 } });
			const jobId = onlyJobId(sandbox);
			expect(continued.output).toEqual([
				{ json: { code: 'timeout', jobId, error: expect.stringContaining(jobId) }, pairedItem: { item: 0 } },
			]);
		}),
	]);
});

it.concurrent('[8] with On Timeout "Return Pending Job": an item { jobId, status, timedOut: true }', async () =>
	await withSandbox({ jobDurationMs: 60_000 }, async (sandbox) => {
		const result = await run(sandbox, { options: { timeoutSeconds: 2, onTimeout: 'returnPending' } });
		expect(result.failure).toBeUndefined();
		expect(result.output).toHaveLength(1);
		expect(result.output[0].json).toMatchObject({ jobId: onlyJobId(sandbox), status: expect.any(String), timedOut: true });
		expect(result.output[0].json.status).not.toMatch(/completed|failed/);
		expect(result.output[0].pairedItem).toEqual({ item: 0 });
	}),
);

// ── 9. cancelling the execution ────────────────────────────────────────────────────────────

it.concurrent.each([
	['right after the submit', (sandbox: Sandbox) => sandbox.stats().jobsCreated >= 1],
	['after the first poll', (sandbox: Sandbox) => (sandbox.stats().requests.poll?.['200'] ?? 0) >= 1],
])('[9] cancelling %s: no request reaches the sandbox from 1 s after the abort on, and the run ends', async (_, ready) =>
	await withSandbox({ jobDurationMs: 60_000 }, async (sandbox) => {
		const controller = new AbortController();
		const running = run(sandbox, { abortSignal: controller.signal });
		await waitFor(() => ready(sandbox), 10_000);
		const abortedAt = Date.now();
		controller.abort();

		const result = await Promise.race([running, sleep(3000).then(() => 'still running' as const)]);
		if (result === 'still running') throw new Error('the run did not end within 3 s of the abort');
		expect(Date.now() - abortedAt).toBeLessThan(1500);

		await sleep(Math.max(0, abortedAt + 1000 - Date.now()));
		const countAfterOneSecond = sandbox.stats().requestLog.length;
		// A poll loop that kept going would poll again within this (first poll at 2.5 s, then every ≤ 0.75 s).
		await sleep(3000);
		expect(sandbox.stats().requestLog.filter((entry) => entry.at > abortedAt + 1000)).toEqual([]);
		expect(sandbox.stats().requestLog.length).toBe(countAfterOneSecond);
		// Either n8n's own cancellation, or the node's error saying it was cancelled: nothing else.
		if (result.status !== 'canceled') expect(result.failure).toMatch(/cancel/i);
		expectCleanErrors(result);
	}),
);

// ── documented error codes on submit ─────────────────────────────────────────────────────────

interface CodeCase {
	/** Applied before the single-item run that checks the message. */
	setup: (sandbox: Sandbox) => void;
	/** Applied before the two-item Continue On Fail run (default: `setup`). */
	setupTwoItems?: (sandbox: Sandbox) => void;
	apiKey?: string;
	options?: INodeParameters;
	code: string;
	message: RegExp[];
	/** The item of the two-item run that is hit; the other one must go on and succeed. */
	hitItem: number | 'both';
}

const submitFault = (status: number, extra: object = {}) => (sandbox: Sandbox) =>
	sandbox.addFault({ route: 'submit', kind: 'status', status, ...extra });

const CODE_CASES: Array<[string, CodeCase]> = [
	[
		'401 (a wrong API key)',
		// The credential is shared by the items of a run: both are hit, and the run still goes on.
		{ setup: () => {}, apiKey: WRONG_KEY, code: 'unauthorized', message: [/API key/, /wrong|invalid|rejected|not valid/i], hitItem: 'both' },
	],
	[
		'402 (not enough credits)',
		{
			setup: (sandbox) => sandbox.configure({ credits: 1 }),
			// Enough for item 0's job only: item 1 is the one refused.
			setupTwoItems: (sandbox) => sandbox.configure({ credits: 2 }),
			code: 'insufficient_credits',
			message: [/credits/i, new RegExp(BUY_CREDITS_URL.replace(/[./]/g, '\\$&'))],
			hitItem: 1,
		},
	],
	['400 (invalid request)', { setup: submitFault(400), code: 'invalid_request', message: [/invalid/i, /400/], hitItem: 0 }],
	[
		'404 (model not found)',
		{
			// The body the documented API gives for an unknown model.
			setup: submitFault(404, { body: { error: 'Model "qwen-image-max" not found', code: 'model_not_found' } }),
			code: 'model_not_found',
			message: [/model/i, /404/],
			hitItem: 0,
		},
	],
	[
		'429 beyond the timeout',
		{
			setup: submitFault(429, { times: 1000, headers: { 'Retry-After': '1' } }),
			// Item 0 (timeout 2 s) meets a 429 at about 0, 1 and 2 s and gives up; item 1 has time to spare.
			setupTwoItems: submitFault(429, { times: 3, headers: { 'Retry-After': '1' } }),
			options: { timeoutSeconds: '={{ $json.timeout ?? 2 }}' },
			code: 'rate_limited',
			message: [/rate limit/i, /429/],
			hitItem: 0,
		},
	],
	['500 (internal error)', { setup: submitFault(500), code: 'submit_uncertain', message: [/server error/i, /500/], hitItem: 0 }],
];

it.concurrent.each(CODE_CASES)('[codes] %s on submit: the right message; under Continue On Fail an error item, the other item goes on', async (_, spec) => {
	await Promise.all([
		withSandbox({}, async (sandbox) => {
			spec.setup(sandbox);
			const failed = await run(sandbox, { apiKey: spec.apiKey, options: spec.options });
			for (const pattern of spec.message) expect(shownError(failed)).toMatch(pattern);
			expectCleanErrors(failed);
		}),
		withSandbox({}, async (sandbox) => {
			(spec.setupTwoItems ?? spec.setup)(sandbox);
			const continued = await run(sandbox, {
				apiKey: spec.apiKey,
				continueOnFail: true,
				options: { ...spec.options, maxConcurrency: 1 },
				items: [
					{ prompt: 'first', tag: 'row 0', timeout: 2 },
					{ prompt: 'second', tag: 'row 1', timeout: 30 },
				],
			});
			expect(continued.output).toHaveLength(2);
			expect(continued.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			for (const [index, item] of continued.output.entries()) {
				if (spec.hitItem === 'both' || spec.hitItem === index) {
					expect(item.json).toMatchObject({ code: spec.code, error: expect.any(String) });
					expect(item.json.jobId).toBeUndefined();
				} else {
					await expectServedBytes(sandbox, item);
				}
			}
			// The run went on past the failing item: Downstream got both rows.
			expect(continued.outputOf(DOWNSTREAM).map((item) => item.json.note)).toEqual(['row 0', 'row 1']);
			expectCleanErrors(continued);
		}),
	]);
});
