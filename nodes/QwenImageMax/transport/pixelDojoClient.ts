import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import type { ZodType } from 'zod';

import type { JobResponse, SubmitResponse } from '../schemas/apiResponses';
import { jobResponseSchema, submitResponseSchema } from '../schemas/apiResponses';
import type { GenerationRequest } from '../schemas/generationRequest';
import type { HttpRetryTuning } from '../timing';
import type { RunStop } from '../utils/runStop';
import type { FailureDetails, RequestScope } from './failures';
import { describeHttpFailure, failureIn, parseJsonText, snippet } from './failures';
import { describeNetworkError, neverReachedServer, pauseBeforeRetry, RETRYABLE_STATUSES } from './httpRetry';
import type { DownloadedImage } from './imageDownloader';
import { ImageDownloader } from './imageDownloader';
import type { HeaderBag, RequestBudget, RequestKind } from './requestBudget';

export const CREDENTIAL_NAME = 'pixelDojoApi';
export const MODEL_ID = 'qwen-image-max';

interface FullResponse {
	statusCode: number;
	headers: HeaderBag;
	body: unknown;
}

export interface ClientConfig {
	baseUrl: string;
	apiKey: string;
	maxImageBytes: number;
}

/**
 * The only module that knows PixelDojo's URLs, how the key is sent, what is retried and how
 * HTTP outcomes map to errors. The key only ever goes to the configured base URL's origin.
 */
export class PixelDojoClient {
	private readonly baseUrl: string;
	private readonly images: ImageDownloader;

	constructor(
		private readonly fn: IExecuteFunctions,
		private readonly config: ClientConfig,
		private readonly budget: RequestBudget,
		private readonly stop: RunStop,
		private readonly retry: HttpRetryTuning,
		private readonly random: () => number = Math.random,
	) {
		this.baseUrl = config.baseUrl.replace(/\/+$/, '');
		this.images = new ImageDownloader(fn, config.maxImageBytes, config.apiKey, stop, retry, random);
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
	 * `store`, and retries the pair when the transfer breaks off.
	 */
	async downloadImage<T>(url: string, scope: RequestScope, store: (image: DownloadedImage) => Promise<T>): Promise<T> {
		return await this.images.download(url, scope, store);
	}

	private async callApi(
		options: Pick<IHttpRequestOptions, 'method' | 'url' | 'body'>,
		request: RequestKind,
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
					timeout: this.retry.requestTimeoutMs,
				})) as FullResponse;
			} catch (error) {
				settle(undefined);
				this.stop.throwIfStopped();
				const neverSent = neverReachedServer(error);
				const mayResend = request === 'poll' || neverSent;
				if (mayResend && attempt < this.retry.maxAttempts && this.hasTime(scope)) {
					await pauseBeforeRetry(this.stop, attempt, this.retry, this.random);
					continue;
				}
				throw this.failure(scope, this.networkFailure(error, request, neverSent));
			}
			settle(response.statusCode, response.headers);
			const { statusCode } = response;
			if (statusCode >= 200 && statusCode < 300) return this.parseJson(response, request, scope);
			if (statusCode === 429 && this.hasTime(scope)) continue;
			if (request === 'poll' && RETRYABLE_STATUSES.has(statusCode) && attempt < this.retry.maxAttempts && this.hasTime(scope)) {
				await pauseBeforeRetry(this.stop, attempt, this.retry, this.random);
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

	private networkFailure(error: unknown, request: RequestKind, neverSent: boolean): Omit<FailureDetails, 'itemIndex'> {
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

	private parseJson(response: FullResponse, request: RequestKind, scope: RequestScope): unknown {
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

	private parse<T>(schema: ZodType<T>, body: unknown, request: RequestKind, scope: RequestScope): T {
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
		return failureIn(this.fn.getNode(), scope, details);
	}

	private hasTime(scope: RequestScope): boolean {
		return Date.now() < scope.deadline;
	}
}

const SUBMIT_UNCERTAIN =
	'The job may have been created and charged, so the node did not send it again (a second submit could pay twice). Check your PixelDojo dashboard before running this item again.';
