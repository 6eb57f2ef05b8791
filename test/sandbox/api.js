// @ts-check
'use strict';

const { sendBody, readBody, sleep, dropConnection } = require('./http');
const { respondWithFault } = require('./faults');
const { validateSubmit } = require('./validate');
const { FAILURE_MESSAGE } = require('./jobs');
const { dimensions, extensionOf } = require('./images');

/**
 * @typedef {import('./server').SandboxState} SandboxState
 * @typedef {{ status: number, body: unknown, headers?: Record<string, string> }} Reply
 * @typedef {{ route: import('./faults').Route | 'unknown', modelId?: string, jobId?: string }} ApiMatch
 */

const MODEL_ID = 'qwen-image-max';
const CREDITS_PER_IMAGE = 2;
const MODELS = [
	{ id: MODEL_ID, name: 'Qwen Image Max', type: 'image', creditCost: CREDITS_PER_IMAGE, capabilities: ['text-to-image', 'lora'] },
];

/**
 * Codes of the documented error table, used when a fault gives a status without a body.
 * @type {Record<number, string>}
 */
const CODE_FOR_STATUS = { 400: 'invalid_request', 401: 'unauthorized', 402: 'insufficient_credits', 404: 'not_found', 429: 'rate_limited' };

/**
 * @param {SandboxState} state
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @param {Record<string, string>} [headers]
 * @returns {Reply}
 */
function errorReply(state, status, code, message, headers) {
	const body = state.options.errorShape === 'nested' ? { error: { code, message } } : { error: message, code };
	return { status, body, headers };
}

/**
 * @param {string | undefined} method
 * @param {string} path
 * @returns {ApiMatch}
 */
function matchApiRoute(method, path) {
	const submit = /^\/api\/v1\/models\/([^/]+)\/run$/.exec(path);
	if (submit && method === 'POST') return { route: 'submit', modelId: decodeURIComponent(submit[1]) };
	const poll = /^\/api\/v1\/jobs\/([^/]+)$/.exec(path);
	if (poll && method === 'GET') return { route: 'poll', jobId: decodeURIComponent(poll[1]) };
	if (path === '/api/v1/models' && method === 'GET') return { route: 'models' };
	return { route: 'unknown' };
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {string[]} apiKeys
 */
function bearerKey(req, apiKeys) {
	const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
	return match && apiKeys.includes(match[1].trim()) ? match[1].trim() : null;
}

/**
 * @param {SandboxState} state
 * @param {import('./jobs').Job} job
 * @param {string} status
 */
function jobBody(state, job, status) {
	/** @type {Record<string, unknown>} */
	const body = { jobId: job.jobId, status, creditCost: job.creditCost, createdAt: new Date(job.submittedAt).toISOString() };
	if (status === 'failed') body.error = FAILURE_MESSAGE;
	if (status !== 'completed') return body;
	const urls = job.images.map((spec, i) => `${state.origins.image}/images/${job.jobId}-${i}.${extensionOf(spec.format)}`);
	const shape = state.options.outputShape;
	// output.image can carry one URL only; a multi-image job keeps the images list.
	if (shape === 'image' && urls.length === 1) body.output = { image: urls[0] };
	else if (shape === 'assets') body.assets = urls.map((url) => ({ url }));
	else body.output = { images: urls };
	return body;
}

/**
 * @param {SandboxState} state
 * @param {import('node:http').IncomingMessage} req
 * @param {string} key
 * @param {string} modelId
 * @returns {Promise<Reply>}
 */
async function submit(state, req, key, modelId) {
	if (modelId !== MODEL_ID) return errorReply(state, 404, 'model_not_found', `Model "${modelId}" not found`);
	const raw = await readBody(req);
	if (raw === null) return errorReply(state, 413, 'invalid_request', 'Request body too large');
	let parsed;
	try {
		parsed = JSON.parse(raw.toString('utf8'));
	} catch {
		return errorReply(state, 400, 'invalid_request', 'Malformed JSON body');
	}
	const valid = validateSubmit(parsed, state.options);
	if ('error' in valid) return errorReply(state, 400, 'invalid_request', valid.error);

	const imageCount = /** @type {number} */ (valid.body.numberOfImages ?? 1);
	const creditCost = CREDITS_PER_IMAGE * imageCount;
	const creditsRemaining = state.accounts.charge(key, creditCost);
	if (creditsRemaining === null) {
		const balance = state.accounts.balance(key);
		return errorReply(state, 402, 'insufficient_credits', `Insufficient credits: ${creditCost} needed, ${balance} available`);
	}
	const { imageFormat, imageBaseSize, imageBytes } = state.options;
	const size = dimensions(String(valid.body.aspect_ratio ?? '1:1'), imageBaseSize);
	const job = state.jobs.create(
		{
			key,
			body: valid.body,
			contentType: req.headers['content-type'] ?? null,
			ignoredFields: valid.ignoredFields,
			creditCost,
			imageSpec: (jobId, index) => ({ format: imageFormat, ...size, targetBytes: imageBytes, seed: `${jobId}-${index}` }),
		},
		Date.now(),
	);
	state.stats.countAcceptedSubmit();
	const statusUrl = `${state.options.statusUrlOrigin ?? state.origins.api}/api/v1/jobs/${job.jobId}`;
	const body = { jobId: job.jobId, status: state.options.statuses[0], statusUrl, creditCost, creditsRemaining };
	return { status: state.options.submitStatusCode, body };
}

/**
 * @param {SandboxState} state
 * @param {string} key
 * @param {string} jobId
 * @returns {Reply}
 */
function poll(state, key, jobId) {
	const now = Date.now();
	const job = state.jobs.find(jobId, key, now);
	if (!job) return errorReply(state, 404, 'not_found', 'Job not found');
	const status = state.jobs.statusOf(job, now, state.options.statuses);
	state.jobs.recordPoll(job, status === 'completed' || status === 'failed', now);
	return { status: 200, body: jobBody(state, job, status) };
}

/**
 * Answers one request on the API origin: faults first (they stand for a broken network or
 * proxy in front of the API), then authentication, the rate limit, and the route itself.
 * @param {SandboxState} state
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {ApiMatch} match
 */
async function handleApi(state, req, res, match) {
	const fault = match.route === 'unknown' ? undefined : state.faults.take(match.route);
	await sleep(state.options.responseDelayMs);
	if (fault?.kind === 'delay') await sleep(/** @type {number} */ (fault.ms));
	else if (fault && !fault.afterCreate) {
		respondWithFault(fault, res, (status) => errorReply(state, status, CODE_FOR_STATUS[status] ?? 'internal_error', `HTTP ${status}`).body);
		return;
	}

	const key = bearerKey(req, state.options.apiKeys);
	if (!key) return send(res, errorReply(state, 401, 'unauthorized', 'Invalid API key'));
	/** @type {Record<string, string>} */
	let limitHeaders = {};
	if (state.options.rateLimit) {
		const decision = state.limiter.hit(key, Date.now(), state.options.rateLimit);
		limitHeaders = decision.headers;
		if (!decision.allowed) return send(res, errorReply(state, 429, 'rate_limited', 'Rate limit exceeded', limitHeaders));
	}

	const reply = await routeReply(state, req, key, match);
	// The job exists and is charged; the client only loses the answer.
	if (fault?.afterCreate) dropConnection(res, 'reset');
	else send(res, { ...reply, headers: { ...limitHeaders, ...reply.headers } });
}

/**
 * @param {SandboxState} state
 * @param {import('node:http').IncomingMessage} req
 * @param {string} key
 * @param {ApiMatch} match
 * @returns {Promise<Reply>}
 */
async function routeReply(state, req, key, match) {
	switch (match.route) {
		case 'submit':
			return submit(state, req, key, /** @type {string} */ (match.modelId));
		case 'poll':
			return poll(state, key, /** @type {string} */ (match.jobId));
		case 'models':
			return { status: 200, body: { models: MODELS } };
		default:
			return errorReply(state, 404, 'not_found', 'Not found');
	}
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {Reply} reply
 */
const send = (res, reply) => sendBody(res, reply.status, reply.body, reply.headers);

module.exports = { handleApi, matchApiRoute };
