// @ts-check
'use strict';

// Quick end-to-end check of the sandbox over real HTTP: `node test/sandbox/selfcheck.js`.
// Prints one line per check and "OK" at the end; exits 1 on the first failure.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { startSandbox } = require('./server');
const { inspectImage } = require('./imageCheck');

/** @typedef {Awaited<ReturnType<typeof startSandbox>>} Sandbox */

/**
 * @param {Sandbox} sb
 * @param {string} method
 * @param {string} route path below apiUrl
 * @param {{ body?: unknown, rawBody?: string, key?: string | null }} [init]
 */
async function api(sb, method, route, init = {}) {
	const key = init.key === undefined ? sb.apiKey : init.key;
	/** @type {Record<string, string>} */
	const headers = { 'Content-Type': 'application/json' };
	if (key !== null) headers.Authorization = `Bearer ${key}`;
	const body = init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
	const res = await fetch(`${sb.apiUrl}${route}`, { method, headers, body });
	const text = await res.text();
	let json = null;
	try {
		json = JSON.parse(text);
	} catch {}
	return { status: res.status, headers: res.headers, json, text };
}

/** @param {Sandbox} sb @param {Record<string, unknown>} body */
async function submit(sb, body) {
	const res = await api(sb, 'POST', '/models/qwen-image-max/run', { body });
	assert.ok(res.status === 200 || res.status === 202, `submit answered ${res.status}: ${res.text}`);
	return res.json;
}

/**
 * Polls every 25 ms until the job ends; returns the last body and every status seen.
 * @param {Sandbox} sb
 * @param {string} jobId
 */
async function waitForEnd(sb, jobId) {
	const seen = new Set();
	for (;;) {
		const { json } = await api(sb, 'GET', `/jobs/${jobId}`);
		seen.add(json.status);
		if (json.status === 'completed' || json.status === 'failed') return { job: json, seen: [...seen] };
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
}

/** @param {string} url */
async function download(url) {
	const res = await fetch(url);
	return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** @param {Buffer} bytes */
const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

/**
 * An independent decoder when one happens to be installed (playwright-core bundles pngjs and
 * jpeg-js); the sandbox itself depends on nothing.
 * @returns {((bytes: Buffer) => { width: number, height: number }) | null}
 */
function independentDecoder() {
	const bundle = 'playwright-core/lib/utilsBundle';
	try {
		const { PNG, jpegjs } = require(bundle);
		return (bytes) => (bytes[0] === 0x89 ? PNG.sync.read(bytes) : jpegjs.decode(bytes, { useTArray: true }));
	} catch {
		return null;
	}
}

/**
 * Structure, size and (where a decoder is available) a full decode of one image.
 * @param {Buffer} bytes
 * @param {{ format: string, width: number, height: number }} expected
 */
function checkImage(bytes, expected) {
	assert.deepEqual(inspectImage(bytes), expected);
	const decode = independentDecoder();
	if (decode) {
		const decoded = decode(bytes);
		assert.deepEqual([decoded.width, decoded.height], [expected.width, expected.height]);
	}
}

/** @type {Array<[string, (sb: Sandbox) => Promise<void>]>} */
const CHECKS = [
	[
		'models needs a valid key',
		async (sb) => {
			assert.equal((await api(sb, 'GET', '/models', { key: null })).json.code, 'unauthorized');
			assert.equal((await api(sb, 'GET', '/models', { key: 'wrong' })).status, 401);
			const ok = await api(sb, 'GET', '/models');
			assert.equal(ok.status, 200);
			assert.equal(ok.json.models[0].id, 'qwen-image-max');
		},
	],
	[
		'submit → poll → PNG download (16:9)',
		async (sb) => {
			sb.configure({ jobDurationMs: 600 }); // long enough for a 25 ms poll loop to see every status
			const accepted = await submit(sb, { prompt: 'a lighthouse', aspect_ratio: '16:9' });
			assert.match(accepted.jobId, /^job_/);
			assert.equal(accepted.status, 'pending');
			assert.equal(accepted.statusUrl, `${sb.apiUrl}/jobs/${accepted.jobId}`);
			assert.equal(accepted.creditCost, 2);
			const { job, seen } = await waitForEnd(sb, accepted.jobId);
			assert.deepEqual(seen, ['pending', 'processing', 'completed']);
			const [url] = job.output.images;
			assert.ok(url.startsWith(`${sb.imageOrigin}/images/`));
			const { res, bytes } = await download(url);
			assert.equal(res.headers.get('content-type'), 'image/png');
			assert.equal(Number(res.headers.get('content-length')), bytes.length);
			checkImage(bytes, { format: 'png', width: 64, height: 36 });
			assert.ok(sb.imageBytesFor(url)?.equals(bytes));
			const stats = sb.stats();
			const served = stats.images.at(-1);
			assert.deepEqual([served.authorization, served.status, served.complete, served.sha256], [false, 200, true, sha256(bytes)]);
			const record = stats.jobs.find((/** @type {any} */ j) => j.jobId === accepted.jobId);
			assert.deepEqual(record.body, { prompt: 'a lighthouse', aspect_ratio: '16:9' });
			assert.ok(record.detectionDelayMs >= 0);
			assert.equal(stats.inFlight, 0);
		},
	],
	[
		'padded JPEG, 2 LoRA images, 9:16',
		async (sb) => {
			sb.configure({ imageFormat: 'jpeg', imageBytes: 300_000 });
			const accepted = await submit(sb, { prompt: 'x', aspect_ratio: '9:16', lora_weights: 'a/b', numberOfImages: 2 });
			assert.equal(accepted.creditCost, 4);
			const { job } = await waitForEnd(sb, accepted.jobId);
			assert.equal(job.output.images.length, 2);
			for (const url of job.output.images) {
				const { res, bytes } = await download(url);
				assert.equal(res.headers.get('content-type'), 'image/jpeg');
				assert.equal(bytes.length, 300_000);
				checkImage(bytes, { format: 'jpeg', width: 36, height: 64 });
			}
		},
	],
	[
		'8 MB PNG is streamed and matches imageBytesFor',
		async (sb) => {
			sb.configure({ imageBytes: 8 * 1024 * 1024 });
			const { job } = await waitForEnd(sb, (await submit(sb, { prompt: 'big' })).jobId);
			const { bytes } = await download(job.output.images[0]);
			assert.equal(bytes.length, 8 * 1024 * 1024);
			checkImage(bytes, { format: 'png', width: 64, height: 64 });
			assert.equal(sha256(bytes), sha256(/** @type {Buffer} */ (sb.imageBytesFor(job.output.images[0]))));
		},
	],
	[
		'validation answers 400 naming the field',
		async (sb) => {
			/** @type {Array<[Record<string, unknown>, string]>} */
			const cases = [
				[{ aspect_ratio: '1:1' }, 'prompt'],
				[{ prompt: '  ' }, 'prompt'],
				[{ prompt: 'x', aspect_ratio: '21:9' }, 'aspect_ratio'],
				[{ prompt: 'x', numberOfImages: 2 }, 'numberOfImages'],
				[{ prompt: 'x', negative_prompt: 'n'.repeat(501) }, 'negative_prompt'],
				[{ prompt: 'x', num_inference_steps: 27.5, lora_weights: 'a/b' }, 'num_inference_steps'],
				[{ prompt: 'x', seed: '1' }, 'seed'],
				[{ prompt: 'x', guidance: 5, lora_weights: 'a/b' }, 'guidance'],
				[{ prompt: 'x', numImages: 1 }, 'numImages'],
			];
			for (const [body, field] of cases) {
				const res = await api(sb, 'POST', '/models/qwen-image-max/run', { body });
				assert.equal(res.status, 400, JSON.stringify(body));
				assert.equal(res.json.code, 'invalid_request');
				assert.ok(res.json.error.startsWith(`${field}:`), res.json.error);
			}
			assert.equal((await api(sb, 'POST', '/models/qwen-image-max/run', { rawBody: '{"prompt":' })).status, 400);
			assert.equal((await api(sb, 'POST', '/models/other/run', { body: { prompt: 'x' } })).json.code, 'model_not_found');
			assert.equal((await api(sb, 'GET', '/jobs/job_unknown')).json.code, 'not_found');
			assert.equal(sb.stats().jobsCreated, 0);
		},
	],
	[
		'[fail] ends failed, credits run out with 402',
		async (sb) => {
			const { job } = await waitForEnd(sb, (await submit(sb, { prompt: 'please [fail]' })).jobId);
			assert.deepEqual([job.status, job.error, job.output], ['failed', 'Generation failed: content policy violation', undefined]);
			sb.configure({ credits: 3 });
			assert.equal((await submit(sb, { prompt: 'x' })).creditsRemaining, 1);
			const broke = await api(sb, 'POST', '/models/qwen-image-max/run', { body: { prompt: 'x' } });
			assert.deepEqual([broke.status, broke.json.code], [402, 'insufficient_credits']);
		},
	],
	[
		'output shapes, 202, custom statuses, nested errors',
		async (sb) => {
			sb.configure({ outputShape: 'image', submitStatusCode: 202, statuses: ['queued', 'running'], errorShape: 'nested' });
			sb.configure({ statusUrlOrigin: sb.foreignOrigin, jobDurationMs: 600 });
			const accepted = await api(sb, 'POST', '/models/qwen-image-max/run', { body: { prompt: 'x' } });
			assert.deepEqual([accepted.status, accepted.json.status], [202, 'queued']);
			assert.ok(accepted.json.statusUrl.startsWith(`${sb.foreignOrigin}/api/v1/jobs/`));
			const { job, seen } = await waitForEnd(sb, accepted.json.jobId);
			assert.deepEqual(seen, ['queued', 'running', 'completed']);
			assert.match(job.output.image, /\.png$/);
			sb.configure({ outputShape: 'assets' });
			assert.ok((await waitForEnd(sb, accepted.json.jobId)).job.assets[0].url);
			assert.deepEqual((await api(sb, 'GET', '/models', { key: null })).json, {
				error: { code: 'unauthorized', message: 'Invalid API key' },
			});
		},
	],
	[
		'API faults: status, html, malformed JSON, shape, reset after create',
		async (sb) => {
			sb.addFault({ route: 'submit', kind: 'status', status: 503 });
			sb.addFault({ route: 'poll', kind: 'html' });
			sb.addFault({ route: 'poll', kind: 'malformedJson' });
			sb.addFault({ route: 'models', kind: 'shape', body: { jobId: 42, status: null } });
			const unavailable = await api(sb, 'POST', '/models/qwen-image-max/run', { body: { prompt: 'x' } });
			assert.deepEqual([unavailable.status, unavailable.json.code], [503, 'internal_error']);
			const html = await api(sb, 'GET', '/jobs/job_x');
			assert.deepEqual([html.status, html.headers.get('content-type')], [502, 'text/html; charset=utf-8']);
			assert.deepEqual([(await api(sb, 'GET', '/jobs/job_x')).text], ['{"jobId": ']);
			assert.deepEqual((await api(sb, 'GET', '/models')).json, { jobId: 42, status: null });

			sb.addFault({ route: 'any', kind: 'delay', ms: 200 });
			const started = Date.now();
			assert.equal((await api(sb, 'GET', '/models')).status, 200);
			assert.ok(Date.now() - started >= 200);

			sb.addFault({ route: 'submit', kind: 'reset', afterCreate: true });
			await assert.rejects(api(sb, 'POST', '/models/qwen-image-max/run', { body: { prompt: 'x' } }));
			const stats = sb.stats();
			assert.deepEqual([stats.jobsCreated, stats.creditsSpent, stats.requests.submit.reset], [1, 2, 1]);
			assert.equal(stats.pendingFaults.length, 0);
		},
	],
	[
		'download faults: redirect to a third origin, truncate, wrong type, 403',
		async (sb) => {
			const { job } = await waitForEnd(sb, (await submit(sb, { prompt: 'x' })).jobId);
			const [url] = job.output.images;
			sb.addFault({ route: 'download', kind: 'redirect', to: 'otherOrigin' });
			const moved = await download(url);
			assert.ok(moved.res.url.startsWith(sb.foreignOrigin));
			checkImage(moved.bytes, { format: 'png', width: 64, height: 64 });
			assert.deepEqual(
				sb.stats().images.map((/** @type {any} */ i) => [i.origin, i.authorization, i.status]),
				[['image', false, 302], ['foreign', false, 200]],
			);

			sb.addFault({ route: 'download', kind: 'truncate', bytes: 100 });
			await assert.rejects(download(url));
			sb.addFault({ route: 'download', kind: 'contentType' });
			assert.equal((await download(url)).res.headers.get('content-type'), 'text/html; charset=utf-8');
			sb.addFault({ route: 'download', kind: 'status', status: 403 });
			assert.equal((await download(url)).res.status, 403);
			const truncated = sb.stats().images[2];
			assert.deepEqual([truncated.bytesSent, truncated.complete], [100, false]);
		},
	],
	[
		'rate limit with headers and Retry-After, sliding 1 s window',
		async (sb) => {
			sb.configure({ rateLimit: { requestsPerMinute: 3, windowMs: 1000 } });
			for (let i = 0; i < 3; i++) {
				const res = await api(sb, 'GET', '/models');
				assert.deepEqual([res.status, res.headers.get('x-ratelimit-remaining')], [200, String(2 - i)]);
			}
			const limited = await api(sb, 'GET', '/models');
			assert.deepEqual([limited.status, limited.json.code, limited.headers.get('retry-after')], [429, 'rate_limited', '1']);
			assert.ok(Number(limited.headers.get('x-ratelimit-reset')) >= Date.now() / 1000);
			await new Promise((resolve) => setTimeout(resolve, 1000));
			assert.equal((await api(sb, 'GET', '/models')).status, 200);
			assert.equal(sb.stats().rateLimited, 1);
		},
	],
	[
		'rate limit without X-RateLimit headers: only 429 + Retry-After, as the vendor documents',
		async (sb) => {
			sb.configure({ rateLimit: { requestsPerMinute: 2, windowMs: 1000, headers: false } });
			for (let i = 0; i < 2; i++) {
				const res = await api(sb, 'GET', '/models');
				assert.deepEqual([res.status, res.headers.get('x-ratelimit-remaining')], [200, null]);
			}
			const limited = await api(sb, 'GET', '/models');
			assert.deepEqual([limited.status, limited.headers.get('retry-after'), limited.headers.get('x-ratelimit-reset')], [429, '1', null]);
		},
	],
	[
		'capacity queues jobs FIFO; seeded durations repeat',
		async (sb) => {
			sb.configure({ capacity: 1, jobDurationMs: { distribution: 'uniform', min: 50, max: 150, seed: 7 } });
			const ids = [];
			for (let i = 0; i < 3; i++) ids.push((await submit(sb, { prompt: `job ${i}` })).jobId);
			for (const id of ids) await waitForEnd(sb, id);
			const stats = sb.stats();
			assert.equal(stats.maxRunning, 1);
			assert.equal(stats.maxInFlight, 3);
			const [a, b, c] = stats.jobs;
			// A queued job starts the moment its predecessor ends (or at submit, if that came later).
			assert.equal(b.startedAt, Math.max(b.submittedAt, a.completedAt));
			assert.equal(c.startedAt, Math.max(c.submittedAt, b.completedAt));
			const durations = stats.jobs.map((/** @type {any} */ j) => j.durationMs);
			assert.ok(durations.every((/** @type {number} */ d) => d >= 50 && d <= 150));
			sb.reset();
			sb.configure({ jobDurationMs: { distribution: 'uniform', min: 50, max: 150, seed: 7 } });
			for (let i = 0; i < 3; i++) await submit(sb, { prompt: 'again' });
			assert.deepEqual(sb.stats().jobs.map((/** @type {any} */ j) => j.durationMs), durations);
			sb.configure({ jobDurationMs: { distribution: 'lognormal', median: 100, min: 10, max: 1000, seed: 1 } });
			for (let i = 0; i < 20; i++) await submit(sb, { prompt: 'lognormal' });
			const drawn = sb.stats().jobs.slice(3).map((/** @type {any} */ j) => j.durationMs);
			assert.ok(drawn.every((/** @type {number} */ d) => d >= 10 && d <= 1000) && new Set(drawn).size === 20);
		},
	],
	[
		'admin endpoints over HTTP',
		async (sb) => {
			const post = (/** @type {string} */ name, /** @type {unknown} */ body) =>
				fetch(`${sb.adminUrl}/${name}`, { method: 'POST', body: JSON.stringify(body) });
			assert.equal((await post('configure', { capacity: 2, jobTtlMs: 0 })).status, 200);
			assert.equal((await post('configure', { capacty: 2 })).status, 400);
			assert.equal((await post('faults', { route: 'poll', kind: 'redirect' })).status, 400);
			assert.equal((await post('faults', { route: 'models', kind: 'status', status: 500 })).status, 200);
			assert.equal((await api(sb, 'GET', '/models')).status, 500);
			const accepted = await submit(sb, { prompt: 'x' });
			assert.equal((await api(sb, 'GET', `/jobs/${accepted.jobId}`)).status, 404, 'jobTtlMs 0 expires at once');
			const stats = /** @type {any} */ (await (await fetch(`${sb.adminUrl}/stats`)).json());
			assert.deepEqual(stats.requests.models, { 500: 1 });
			assert.equal((await post('reset', {})).status, 200);
			assert.equal(sb.stats().apiRequests, 0);
		},
	],
];

/** Starts server.js as a process, reads its JSON line, talks to it, then stops it with SIGTERM. */
async function checkCli() {
	const child = spawn(process.execPath, [path.join(__dirname, 'server.js'), '--config', '{"apiKeys":["cli-key"]}'], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const line = await new Promise((resolve, reject) => {
		child.stdout.once('data', (data) => resolve(String(data)));
		child.once('exit', (code) => reject(new Error(`server.js exited with ${code}`)));
	});
	const info = JSON.parse(line);
	assert.equal(info.apiKey, 'cli-key');
	const res = await fetch(`${info.apiUrl}/models`, { headers: { Authorization: 'Bearer cli-key' } });
	assert.equal(res.status, 200);
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill('SIGTERM');
	assert.equal(await exited, 0);
}

async function main() {
	const sb = await startSandbox({ jobDurationMs: 150 });
	try {
		for (const [name, check] of CHECKS) {
			sb.reset();
			await check(sb);
			console.log(`ok   ${name}`);
		}
	} finally {
		await sb.close();
	}
	await checkCli();
	console.log('ok   CLI prints its JSON line and stops on SIGTERM');
	console.log(independentDecoder() ? 'images also decoded with pngjs/jpeg-js' : 'no pngjs/jpeg-js found: structural image checks only');
	console.log('OK');
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
