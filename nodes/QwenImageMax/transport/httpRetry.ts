import type { HttpRetryTuning } from '../timing';
import type { RunStop } from '../utils/runStop';

/** Errors raised before a byte reached the server: resending cannot create a second job. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export const RETRYABLE_STATUSES = new Set([500, 502, 503, 504]);

/** Network error codes (ECONNRESET, …) sit somewhere down the `cause` chain of n8n's wrapper errors. */
function networkErrorCode(error: unknown): string | undefined {
	for (let current = error, depth = 0; current && depth < 5; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

export function neverReachedServer(error: unknown): boolean {
	return NOT_SENT_CODES.has(networkErrorCode(error) ?? '');
}

export function describeNetworkError(error: unknown): string {
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

/** Exponential backoff with jitter before retry `attempt + 1`, so retrying items do not hit the API in lockstep. */
export async function pauseBeforeRetry(stop: RunStop, attempt: number, tuning: HttpRetryTuning, random: () => number): Promise<void> {
	const base = Math.min(tuning.maxDelayMs, tuning.firstDelayMs * 2 ** (attempt - 1));
	await stop.sleep(base * (1 - tuning.jitter + 2 * tuning.jitter * random()));
}
