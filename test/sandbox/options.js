// @ts-check
'use strict';

const { isDurationSpec } = require('./durations');

/**
 * @typedef {object} RateLimitOptions
 * @property {number} requestsPerMinute requests allowed per key per window
 * @property {'seconds' | 'http-date'} [retryAfter] format of Retry-After (default seconds)
 * @property {number} [windowMs] sliding window length (default 60 000)
 * @property {boolean} [headers] send X-RateLimit-Limit/-Remaining/-Reset (default true); false is
 *   what the vendor documents: a 429 with Retry-After and nothing else
 */

/**
 * Behaviour options; every one may be changed at run time with configure().
 * For JSON callers (admin endpoint, CLI), null stands for "off / unlimited" where noted.
 * @typedef {object} SandboxOptions
 * @property {string[]} apiKeys valid bearer keys; the first is the one handed out
 * @property {number} credits starting balance of each key (setting it resets every balance)
 * @property {import('./durations').DurationSpec} jobDurationMs
 * @property {number | null} capacity max running jobs per key; null = Infinity
 * @property {string[]} statuses intermediate status names, in order
 * @property {'images' | 'image' | 'assets'} outputShape
 * @property {200 | 202} submitStatusCode
 * @property {string | null} statusUrlOrigin origin put in statusUrl; null = the API origin
 * @property {'flat' | 'nested'} errorShape
 * @property {RateLimitOptions | null} rateLimit null = no limit and no X-RateLimit headers
 * @property {number} responseDelayMs added before every API response
 * @property {number} imageDelayMs added before every image response
 * @property {'png' | 'jpeg'} imageFormat
 * @property {number} imageBaseSize long side in pixels
 * @property {number | null} imageBytes pad each image file to about this size
 * @property {string | null} imageContentType Content-Type override for images
 * @property {number | null} jobTtlMs jobs and their images answer 404 this long after submit
 * @property {boolean} rejectUnknownFields a body field the API does not document → 400
 */

/** @type {SandboxOptions} */
const DEFAULTS = {
	apiKeys: ['sandbox-key'],
	credits: 1_000_000,
	jobDurationMs: 300,
	capacity: null,
	statuses: ['pending', 'processing'],
	outputShape: 'images',
	submitStatusCode: 200,
	statusUrlOrigin: null,
	errorShape: 'flat',
	rateLimit: null,
	responseDelayMs: 0,
	imageDelayMs: 0,
	imageFormat: 'png',
	imageBaseSize: 64,
	imageBytes: null,
	imageContentType: null,
	jobTtlMs: null,
	rejectUnknownFields: true,
};

/** @param {unknown} v */
const isNonNegative = (v) => typeof v === 'number' && v >= 0;
/** @param {unknown} v */
const isPositiveInteger = (v) => Number.isInteger(v) && /** @type {number} */ (v) > 0;
/** @param {unknown} v */
const isNonEmptyString = (v) => typeof v === 'string' && v.length > 0;
/** @param {unknown[]} values */
const oneOf = (...values) => /** @param {unknown} v */ (v) => values.includes(v);
/** @param {(v: unknown) => boolean} check */
const orNull = (check) => /** @param {unknown} v */ (v) => v === null || check(v);

/** @param {unknown} v */
function isRateLimit(v) {
	if (!v || typeof v !== 'object') return false;
	const r = /** @type {RateLimitOptions} */ (v);
	return (
		isPositiveInteger(r.requestsPerMinute) &&
		(r.retryAfter === undefined || oneOf('seconds', 'http-date')(r.retryAfter)) &&
		(r.windowMs === undefined || isPositiveInteger(r.windowMs)) &&
		(r.headers === undefined || typeof r.headers === 'boolean')
	);
}

/** @type {Record<keyof SandboxOptions, (v: unknown) => boolean>} */
const CHECKS = {
	apiKeys: (v) => Array.isArray(v) && v.length > 0 && v.every(isNonEmptyString),
	credits: isNonNegative,
	jobDurationMs: isDurationSpec,
	capacity: (v) => v === null || v === Infinity || isPositiveInteger(v),
	// "completed" and "failed" are the terminal statuses; an intermediate one cannot reuse them.
	statuses: (v) => Array.isArray(v) && v.length > 0 && v.every((s) => isNonEmptyString(s) && s !== 'completed' && s !== 'failed'),
	outputShape: oneOf('images', 'image', 'assets'),
	submitStatusCode: oneOf(200, 202),
	statusUrlOrigin: orNull((v) => typeof v === 'string' && /^https?:\/\/[^/]+$/.test(v)),
	errorShape: oneOf('flat', 'nested'),
	rateLimit: orNull(isRateLimit),
	responseDelayMs: isNonNegative,
	imageDelayMs: isNonNegative,
	imageFormat: oneOf('png', 'jpeg'),
	imageBaseSize: (v) => isPositiveInteger(v) && /** @type {number} */ (v) <= 8192,
	imageBytes: orNull(isPositiveInteger),
	imageContentType: orNull(isNonEmptyString),
	jobTtlMs: orNull(isNonNegative),
	rejectUnknownFields: (v) => typeof v === 'boolean',
};

/**
 * Applies a partial update; throws on an unknown name or a bad value so that a typo in a
 * test's configuration fails loudly instead of silently testing the defaults.
 * @param {SandboxOptions} current
 * @param {Record<string, unknown>} partial
 * @returns {SandboxOptions}
 */
function mergeOptions(current, partial) {
	for (const [name, value] of Object.entries(partial)) {
		if (!Object.hasOwn(CHECKS, name)) throw new Error(`Unknown sandbox option "${name}"`);
		if (!CHECKS[/** @type {keyof SandboxOptions} */ (name)](value)) {
			throw new Error(`Invalid value for sandbox option "${name}": ${JSON.stringify(value)}`);
		}
	}
	return { ...current, ...partial };
}

module.exports = { DEFAULTS, mergeOptions };
