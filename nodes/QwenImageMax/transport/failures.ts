import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { apiErrorBodySchema, errorTextOf } from '../schemas/apiResponses';
import type { RequestKind } from './requestBudget';

export const BUY_CREDITS_URL = 'https://pixeldojo.ai/api-platform/buy-credits';
export const API_KEYS_URL = 'https://pixeldojo.ai/api-platform/api-keys';

/**
 * The codes a failing item carries in `json.code`: the API's documented ones and our own for
 * failures the API has no code for.
 */
const FAILURE_CODES = [
	'unauthorized',
	'insufficient_credits',
	'invalid_request',
	'model_not_found',
	'job_not_found',
	'rate_limited',
	'internal_error',
	'server_error',
	'network_error',
	'submit_uncertain',
	'invalid_response',
	'job_failed',
	'timeout',
	'download_failed',
	'image_too_large',
	'not_an_image',
	'cancelled',
	'validation',
	'credit_limit',
] as const;

export type FailureCode = (typeof FAILURE_CODES)[number];

export interface FailureDetails {
	message: string;
	description?: string;
	code: FailureCode;
	httpCode?: number;
	jobId?: string;
	itemIndex?: number;
}

/** The item and deadline a request works for. */
export interface RequestScope {
	itemIndex: number;
	/** Epoch ms after which rate-limit waits and retries give up. */
	deadline: number;
	jobId?: string;
}

/**
 * Every API failure becomes a NodeApiError built only from what we chose to say: never from
 * the HTTP client's error, whose request config carries the Authorization header.
 */
export function pixelDojoFailure(node: INode, details: FailureDetails): NodeApiError {
	// n8n shows the message, not the context: a job the user already paid for is named in it.
	const message =
		details.jobId && !details.message.includes(details.jobId) ? `${details.message} (job ${details.jobId})` : details.message;
	const response: JsonObject = { message };
	if (details.httpCode !== undefined) response.httpCode = String(details.httpCode);
	const error = new NodeApiError(node, response, {
		message,
		description: details.description,
		httpCode: details.httpCode === undefined ? undefined : String(details.httpCode),
		itemIndex: details.itemIndex,
	});
	error.context.code = details.code;
	if (details.jobId) error.context.jobId = details.jobId;
	return error;
}

/** A failure of the request made for `scope`: it names the scope's item and job. */
export function failureIn(node: INode, scope: RequestScope, details: Omit<FailureDetails, 'itemIndex'>): NodeApiError {
	return pixelDojoFailure(node, { jobId: scope.jobId, ...details, itemIndex: scope.itemIndex });
}

/** The API's own code when it is one we know (the documented ones are), else ours for the status. */
function knownCode(apiCode: string | undefined, fallback: FailureCode): FailureCode {
	return FAILURE_CODES.find((code) => code === apiCode) ?? fallback;
}

/** A short, single-line, key-free excerpt of a response body for error messages. */
export function snippet(body: unknown, secret: string, maxLength = 160): string {
	let text = typeof body === 'string' ? body : JSON.stringify(body) ?? String(body);
	if (secret) text = text.split(secret).join('***');
	text = text.replace(/\s+/g, ' ').trim();
	return text.length > maxLength ? `${text.slice(0, maxLength - 3)}...` : text;
}

export interface HttpFailure {
	status: number;
	/** The body as received (text); quoted when it carries no API error message, e.g. a proxy's HTML page. */
	body: string;
	/** `submit`: the request that creates a job; `poll`: reading a job. */
	request: RequestKind;
	jobId?: string;
	baseUrl: string;
	secret: string;
}

/** Maps the documented error codes (and what else an HTTP answer can be) to a message a user can act on. */
export function describeHttpFailure(failure: HttpFailure): Omit<FailureDetails, 'itemIndex'> {
	const json = parseJsonText(failure.body);
	const parsed = apiErrorBodySchema.safeParse(json);
	const apiText = parsed.success
		? errorTextOf(parsed.data.error) ?? parsed.data.message
		: undefined;
	const apiCode = parsed.success
		? parsed.data.code ??
			(typeof parsed.data.error === 'object' && typeof parsed.data.error.code === 'string'
				? parsed.data.error.code
				: undefined)
		: undefined;
	const quoted = apiText ?? (json === undefined ? withoutMarkup(failure.body) : '');
	const said = quoted.trim() ? `: ${snippet(quoted, failure.secret)}` : '';
	const { status, jobId } = failure;
	switch (status) {
		case 400:
			return {
				code: knownCode(apiCode, 'invalid_request'),
				httpCode: status,
				jobId,
				message: `PixelDojo refused the request as invalid (400)${said}`,
				description: 'Check the node fields named in the message. No job was created and no credits were spent.',
			};
		case 401:
		case 403:
			return {
				code: knownCode(apiCode, 'unauthorized'),
				httpCode: status,
				jobId,
				message: `PixelDojo rejected the API key (${status})${said}`,
				description: `Check the API key in the "PixelDojo API" credential. Keys are managed at ${API_KEYS_URL}`,
			};
		case 402:
			return {
				code: knownCode(apiCode, 'insufficient_credits'),
				httpCode: status,
				jobId,
				message: `Not enough PixelDojo credits to run this job (402)${said}`,
				description: `Each Qwen Image Max image costs 2 credits. Buy credits at ${BUY_CREDITS_URL}`,
			};
		case 404:
			return failure.request === 'poll'
				? {
						code: 'job_not_found',
						httpCode: status,
						jobId,
						message: `PixelDojo has no job ${jobId ?? ''} (404)${said}`,
						description:
							'Job IDs expire (about 24 hours after the job) and belong to the API key that created them.',
					}
				: {
						code: knownCode(apiCode, 'model_not_found'),
						httpCode: status,
						message: `PixelDojo has no model qwen-image-max at ${failure.baseUrl} (404)${said}`,
						description: 'Check the Base URL in the "PixelDojo API" credential (default https://pixeldojo.ai/api/v1).',
					};
		case 429:
			return {
				code: 'rate_limited',
				httpCode: status,
				jobId,
				message: `PixelDojo kept answering "rate limited" (429) until this item ran out of time${said}`,
				description: 'Lower Max Concurrency, or raise Timeout (seconds) so the node can wait out the limit.',
			};
		default:
			return status >= 500
				? {
						code: knownCode(apiCode, status === 500 ? 'internal_error' : 'server_error'),
						httpCode: status,
						jobId,
						message: `PixelDojo had a server error (${status})${said}`,
					}
				: {
						code: 'invalid_response',
						httpCode: status,
						jobId,
						message: `PixelDojo answered with an unexpected HTTP status ${status}${said}`,
					};
	}
}

/** The body as JSON, or undefined when it is not JSON (an HTML error page, plain text, nothing). */
export function parseJsonText(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return undefined;
	}
}

function withoutMarkup(text: string): string {
	return text.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ');
}
