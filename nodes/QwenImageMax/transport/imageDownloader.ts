import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { HttpRetryTuning } from '../timing';
import type { RunStop } from '../utils/runStop';
import type { RequestScope } from './failures';
import { failureIn, snippet } from './failures';
import { describeNetworkError, pauseBeforeRetry } from './httpRetry';
import { extensionForMime, imageMimeFromBytes, imageMimeFromHeader } from './imageFormat';
import type { HeaderBag } from './requestBudget';

type BinaryInput = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

export interface DownloadedImage {
	body: BinaryInput;
	mimeType: string;
	extension: string;
}

interface StreamResponse {
	statusCode: number;
	headers: HeaderBag;
	body: unknown;
}

const EXPIRED_IMAGE_STATUSES = new Set([401, 403, 404, 410]);

/**
 * Downloads images from their temporary URLs, on another host than the API: never with the
 * API key, streamed into n8n's binary store when the headers say what and how big the image is.
 */
export class ImageDownloader {
	constructor(
		private readonly fn: IExecuteFunctions,
		private readonly maxImageBytes: number,
		/** Never quoted in an error, should an image host echo it. */
		private readonly secret: string,
		private readonly stop: RunStop,
		private readonly retry: HttpRetryTuning,
		private readonly random: () => number,
	) {}

	/**
	 * Fetches an image from its temporary URL (another host) without the API key, hands it to
	 * `store`, and retries the pair when the transfer breaks off, since a half-written stream
	 * cannot be resumed.
	 */
	async download<T>(
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
				if (attempt >= this.retry.maxAttempts) {
					throw failureIn(this.fn.getNode(), scope, {
						code: 'download_failed',
						message: `Could not download the image from ${url}: ${describeNetworkError(error)}`,
					});
				}
				await pauseBeforeRetry(this.stop, attempt, this.retry, this.random);
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
			timeout: this.retry.downloadTimeoutMs,
			abortSignal: this.stop.signal,
		})) as StreamResponse;
		const { statusCode } = response;
		if (statusCode >= 200 && statusCode < 300) return await this.readImage(response, url, scope);
		destroyBody(response.body);
		if (statusCode >= 500 || statusCode === 429) throw new Error(`the image host answered HTTP ${statusCode}`);
		throw failureIn(this.fn.getNode(), scope, {
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
	private async readImage(response: StreamResponse, url: string, scope: RequestScope): Promise<DownloadedImage> {
		const stream = response.body as AsyncIterable<Uint8Array> & { destroy?: () => void };
		const declaredLength = Number(response.headers['content-length']);
		const contentType = String(response.headers['content-type'] ?? '');
		const tooLarge = (bytes: number) =>
			failureIn(this.fn.getNode(), scope, {
				code: 'image_too_large',
				message: `The image at ${url} is ${bytes} bytes, more than the ${this.maxImageBytes}-byte limit set in Max Image Size (MB)`,
			});
		if (declaredLength > this.maxImageBytes) {
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
			if (received > this.maxImageBytes) {
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
			throw failureIn(this.fn.getNode(), scope, {
				code: 'not_an_image',
				message: `The image URL ${url} returned ${contentType || 'no content type'}, not an image: ${snippet(
					data.subarray(0, 200).toString('utf8'),
					this.secret,
					120,
				)}`,
			});
		}
		return { body: data, mimeType, extension: extensionForMime(mimeType)! };
	}
}

/** A failure this module already described (too large, not an image) is final, not a reason to retry. */
function ownFailure(error: unknown): NodeApiError | undefined {
	return error instanceof NodeApiError && typeof error.context.code === 'string' ? error : undefined;
}

function destroyBody(body: unknown): void {
	const destroy = (body as { destroy?: () => void } | undefined)?.destroy;
	if (typeof destroy === 'function') destroy.call(body);
}
