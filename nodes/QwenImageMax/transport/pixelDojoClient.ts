import type { IExecuteFunctions, IHttpRequestOptions, INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import type { ZodType } from 'zod';

import type { JobResponse, SubmitResponse } from '../schemas/apiResponses';
import { jobResponseSchema, submitResponseSchema } from '../schemas/apiResponses';
import type { GenerationRequest } from '../schemas/generationRequest';
import type { FailureDetails } from './failures';
import { describeHttpFailure, parseJsonText, pixelDojoFailure, snippet } from './failures';
import { extensionForMime, imageMimeFromBytes, imageMimeFromHeader } from './imageFormat';
import type { HeaderBag } from './requestBudget';
import { RequestBudget } from './requestBudget';
import type { RunStop } from '../utils/runStop';

export const CREDENTIAL_NAME = 'pixelDojoApi';
export const MODEL_ID = 'qwen-image-max';

type BinaryInput = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

export interface DownloadedImage {
	body: BinaryInput;
	mimeType: string;
	extension: string;
}

interface FullResponse {
	statusCode: number;
	headers: HeaderBag;
	body: unknown;
}

const REQUEST_TIMEOUT_MS = 60_000;
const DOWNLOAD_TIMEOUT_MS = 180_000;
const MAX_TRANSIENT_ATTEMPTS = 6;
const RETRYABLE_STATUSES = new Set([500, 502, 503, 504]);
const EXPIRED_IMAGE_STATUSES = new Set([401, 403, 404, 410]);
/** Errors raised before a byte reached the server: resending cannot create a second job. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export interface ClientConfig {
	baseUrl: string;
	apiKey: string;
	maxImageBytes: number;
}

export interface RequestScope {
	itemIndex: number;
	/** Epoch ms after which rate-limit waits and retries give up. */
	deadline: number;
	jobId?: string;
}

/**
 * The only module that knows PixelDojo's URLs, how the key is sent, what is retried and how
 * HTTP outcomes map to errors. The key only ever goes to the configured base URL's origin.
 */
export class PixelDojoClient {
	private readonly baseUrl: string;

	constructor(
		private readonly fn: IExecuteFunctions,
		private readonly config: ClientConfig,
		private readonly budget: RequestBudget,
		private readonly stop: RunStop,
		private readonly random: () => number = Math.random,
	) {
		this.baseUrl = config.baseUrl.replace(/\/+$/, '');
	}

	private get node(): INode {
		return this.fn.getNode();
	}

	/** POSTs a job. Never resent once it may have reached the server: a resend could pay twice. */
	async submit(request: GenerationRequest, scope: RequestScope): Promise<SubmitResponse> {
		const body = await this.callApi(
			{ method: 'POST', url: `${this.baseUrl}/models/${MODEL_ID}/run`, body: request },
			'submit',
			scope,
		);
		return this.parse(submitResponseSchema, body, 'submit', scope);
	}

	/** GETs a job; reading is idempotent, so transient failures are retried with backoff. */
	async getJob(jobId: string, scope: RequestScope): Promise<JobResponse> {
		const body = await this.callApi(
			{ method: 'GET', url: `${this.baseUrl}/jobs/${encodeURIComponent(jobId)}` },
			'poll',
			{ ...scope, jobId },
		);
		return this.parse(jobResponseSchema, body, 'poll', { ...scope, jobId });
	}

	/**
	 * Fetches an image from its temporary URL (another host) without the API key, hands it to
	 * `store`, and retries the pair when the transfer breaks off, since a half-written stream
	 * cannot be resumed.
	 */
	async downloadImage<T>(
		url: string,
		scope: RequestScope,
		store: (image: DownloadedImage) => Promise<T>,
	): Promise<T> {
		for (let attempt = 1; ; attempt++) {
			try {
				return await store(await this.fetchImage(url, scope));
			} catch (error) {
				const failure = ownFailure(error);
				if (failure) throw failure;
				this.stop.throwIfStopped();
				if (attempt >= MAX_TRANSIENT_ATTEMPTS) {
					throw this.failure(scope, {
						code: 'download_failed',
						message: `Could not download the image from ${url}: ${describeNetworkError(error)}`,
					});
				}
				await this.backoff(attempt);
			}
		}
	}

	/** One download attempt: a final failure is thrown as our own error, anything else is worth retrying. */
	private async fetchImage(url: string, scope: RequestScope): Promise<DownloadedImage> {
		const response = (await this.fn.helpers.httpRequest({
			method: 'GET',
			url,
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: DOWNLOAD_TIMEOUT_MS,
			abortSignal: this.stop.signal,
		})) as FullResponse;
		const { statusCode } = response;
		if (statusCode >= 200 && statusCode < 300) return await this.readImage(response, url, scope);
		destroyBody(response.body);
		if (statusCode >= 500 || statusCode === 429) throw new Error(`the image host answered HTTP ${statusCode}`);
		throw this.failure(scope, {
			code: 'download_failed',
			httpCode: statusCode,
			message: EXPIRED_IMAGE_STATUSES.has(statusCode)
				? `The image URL answered ${statusCode}: it has probably expired (PixelDojo keeps images about 24 hours). Poll the job again for fresh URLs, or run it again.`
				: `The image host answered HTTP ${statusCode} for ${url}`,
		});
	}

	/**
	 * Streams straight into n8n's binary store when the headers already say what and how big
	 * the image is; otherwise reads it (up to the size cap) to recognise it by its bytes.
	 */
	private async readImage(response: FullResponse, url: string, scope: RequestScope): Promise<DownloadedImage> {
		const stream = response.body as AsyncIterable<Uint8Array> & { destroy?: () => void };
		const declaredLength = Number(response.headers['content-length']);
		const contentType = String(response.headers['content-type'] ?? '');
		const tooLarge = (bytes: number) =>
			this.failure(scope, {
				code: 'image_too_large',
				message: `The image at ${url} is ${bytes} bytes, more than the ${this.config.maxImageBytes}-byte limit set in Max Image Size (MB)`,
			});
		if (declaredLength > this.config.maxImageBytes) {
			destroyBody(stream);
			throw tooLarge(declaredLength);
		}
		const headerMime = imageMimeFromHeader(contentType);
		if (headerMime && Number.isFinite(declaredLength)) {
			return { body: stream as BinaryInput, mimeType: headerMime, extension: extensionForMime(headerMime)! };
		}
		const chunks: Uint8Array[] = [];
		let received = 0;
		for await (const chunk of stream) {
			received += chunk.length;
			if (received > this.config.maxImageBytes) {
				destroyBody(stream);
				throw tooLarge(received);
			}
			chunks.push(chunk);
		}
		if (Number.isFinite(declaredLength) && received < declaredLength) {
			throw new Error(`truncated: got ${received} of ${declaredLength} bytes`);
		}
		const data = Buffer.concat(chunks);
		const mimeType = imageMimeFromBytes(data.subarray(0, 16)) ?? headerMime;
		if (!mimeType) {
			throw this.failure(scope, {
				code: 'not_an_image',
				message: `The image URL ${url} returned ${contentType || 'no content type'}, not an image: ${snippet(
					data.subarray(0, 200).toString('utf8'),
					this.config.apiKey,
					120,
				)}`,
			});
		}
		return { body: data, mimeType, extension: extensionForMime(mimeType)! };
	}

	private async callApi(
		options: Pick<IHttpRequestOptions, 'method' | 'url' | 'body'>,
		request: 'submit' | 'poll',
		scope: RequestScope,
	): Promise<unknown> {
		for (let attempt = 1; ; attempt++) {
			const settle = await this.budget.acquire(this.stop, request);
			let response: FullResponse;
			try {
				response = (await this.fn.helpers.httpRequestWithAuthentication.call(this.fn, CREDENTIAL_NAME, {
					...options,
					headers: { Accept: 'application/json' },
					encoding: 'text',
					json: false,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					// Following a redirect could carry the key to another origin.
					disableFollowRedirect: true,
					timeout: REQUEST_TIMEOUT_MS,
				})) as FullResponse;
			} catch (error) {
				settle(undefined);
				this.stop.throwIfStopped();
				const neverSent = NOT_SENT_CODES.has(networkErrorCode(error) ?? '');
				const mayResend = request === 'poll' || neverSent;
				if (mayResend && attempt < MAX_TRANSIENT_ATTEMPTS && this.hasTime(scope)) {
					await this.backoff(attempt);
					continue;
				}
				throw this.failure(scope, this.networkFailure(error, request, neverSent));
			}
			settle(response.statusCode, response.headers);
			const { statusCode } = response;
			if (statusCode >= 200 && statusCode < 300) return this.parseJson(response, request, scope);
			if (statusCode === 429 && this.hasTime(scope)) continue;
			if (request === 'poll' && RETRYABLE_STATUSES.has(statusCode) && attempt < MAX_TRANSIENT_ATTEMPTS && this.hasTime(scope)) {
				await this.backoff(attempt);
				continue;
			}
			const details = describeHttpFailure({
				status: statusCode,
				body: typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? ''),
				request,
				jobId: scope.jobId,
				baseUrl: this.baseUrl,
				secret: this.config.apiKey,
			});
			if (request === 'submit' && statusCode >= 500) {
				details.code = 'submit_uncertain';
				details.message = `${details.message}; the job may exist, so it was not submitted again`;
				details.description = SUBMIT_UNCERTAIN;
			}
			throw this.failure(scope, details);
		}
	}

	private networkFailure(error: unknown, request: 'submit' | 'poll', neverSent: boolean): Omit<FailureDetails, 'itemIndex'> {
		const reason = describeNetworkError(error);
		if (request === 'submit' && !neverSent) {
			return {
				code: 'submit_uncertain',
				message: `The submit request to PixelDojo broke off after it was sent (${reason}); the job may exist, so it was not submitted again`,
				description: SUBMIT_UNCERTAIN,
			};
		}
		return { code: 'network_error', message: `Could not reach PixelDojo at ${this.baseUrl} (${reason})` };
	}

	private parseJson(response: FullResponse, request: 'submit' | 'poll', scope: RequestScope): unknown {
		const parsed = parseJsonText(response.body);
		if (parsed === undefined) {
			throw this.failure(scope, {
				code: 'invalid_response',
				httpCode: response.statusCode,
				message: `PixelDojo answered the ${request} request with something that is not JSON: "${snippet(
					response.body,
					this.config.apiKey,
				)}"`,
				description: request === 'submit' ? SUBMIT_UNCERTAIN : undefined,
			});
		}
		return parsed;
	}

	private parse<T>(schema: ZodType<T>, body: unknown, request: 'submit' | 'poll', scope: RequestScope): T {
		const result = schema.safeParse(body);
		if (result.success) return result.data;
		const issue = result.error.issues[0];
		throw this.failure(scope, {
			code: 'invalid_response',
			message: `PixelDojo answered the ${request} request with an unexpected shape (${issue.path.join('.') || 'body'}: ${
				issue.message
			}): "${snippet(body, this.config.apiKey)}"`,
			description: request === 'submit' ? SUBMIT_UNCERTAIN : undefined,
		});
	}

	/** API text that reaches an error message: short, single-line, and never carrying the key. */
	redact(text: string, maxLength?: number): string {
		return snippet(text, this.config.apiKey, maxLength);
	}

	private failure(scope: RequestScope, details: Omit<FailureDetails, 'itemIndex'>) {
		return pixelDojoFailure(this.node, { jobId: scope.jobId, ...details, itemIndex: scope.itemIndex });
	}

	private hasTime(scope: RequestScope): boolean {
		return Date.now() < scope.deadline;
	}

	/** Exponential backoff with jitter, so retrying items do not hit the API in lockstep. */
	private async backoff(attempt: number): Promise<void> {
		const base = Math.min(8000, 500 * 2 ** (attempt - 1));
		await this.stop.sleep(base * (0.75 + this.random() * 0.5));
	}
}

const SUBMIT_UNCERTAIN =
	'The job may have been created and charged, so the node did not send it again (a second submit could pay twice). Check your PixelDojo dashboard before running this item again.';

/** A failure this client already described (too large, not an image) is final, not a reason to retry. */
function ownFailure(error: unknown): NodeApiError | undefined {
	return error instanceof NodeApiError && typeof error.context.code === 'string' ? error : undefined;
}

function destroyBody(body: unknown): void {
	const destroy = (body as { destroy?: () => void } | undefined)?.destroy;
	if (typeof destroy === 'function') destroy.call(body);
}

/** Network error codes (ECONNRESET, …) sit somewhere down the `cause` chain of n8n's wrapper errors. */
export function networkErrorCode(error: unknown): string | undefined {
	for (let current = error, depth = 0; current && depth < 5; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function describeNetworkError(error: unknown): string {
	const code = networkErrorCode(error);
	const messages: Record<string, string> = {
		ECONNRESET: 'the connection was reset',
		ECONNREFUSED: 'the connection was refused',
		ETIMEDOUT: 'the request timed out',
		ECONNABORTED: 'the request timed out',
		ENOTFOUND: 'the host name could not be resolved',
	};
	if (code && messages[code]) return messages[code];
	const message = error instanceof Error ? error.message : String(error);
	return /aborted|socket hang up|truncated/i.test(message) ? 'the transfer broke off' : message.slice(0, 120);
}
