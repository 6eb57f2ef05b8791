// @ts-check
'use strict';

const { hasAuthorization, DROPPED } = require('./http');

/**
 * @typedef {'api' | 'image' | 'foreign'} Origin
 * @typedef {import('./faults').Route | 'unknown' | 'foreign'} StatsRoute
 * @typedef {{ at: number, origin: Origin, route: StatsRoute, method: string, path: string, authorization: boolean, status: number | null, respondedAt: number | null, retryAfter: string | null }} RequestRecord
 *   `respondedAt` is when the response was fully written (null while pending or when none was);
 *   `retryAfter` the Retry-After header it carried (null: none), so a client's wait can be checked
 * @typedef {object} ImageRecord
 * @property {number} at
 * @property {Origin} origin
 * @property {string} path
 * @property {boolean} authorization whether the request carried an Authorization header
 * @property {number | null} status the HTTP status sent; null when none was (reset)
 * @property {number} bytesSent image bytes written
 * @property {boolean} complete every byte of the image was written
 * @property {string | null} sha256 of the bytes written
 */

const API_ROUTES = ['submit', 'poll', 'models', 'unknown'];

function emptyStats() {
	return {
		apiRequests: 0,
		rateLimited: 0,
		submitsAccepted: 0,
		/** @type {Record<string, Record<string, number>>} route → status code, "reset", "truncated" or "aborted" → count */
		requests: {},
		/** @type {ImageRecord[]} */
		images: [],
		/** @type {RequestRecord[]} */
		requestLog: [],
	};
}

/** Request-level counters and logs; job and credit figures live with jobs and accounts. */
class StatsRecorder {
	constructor() {
		this.data = emptyStats();
	}

	clear() {
		this.data = emptyStats();
	}

	countAcceptedSubmit() {
		this.data.submitsAccepted++;
	}

	/**
	 * Logs a request on arrival and counts its outcome when the response ends.
	 * @param {Origin} origin
	 * @param {StatsRoute} route
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 */
	request(origin, route, req, res) {
		const isApi = origin === 'api' && API_ROUTES.includes(route);
		if (isApi) this.data.apiRequests++;
		/** @type {RequestRecord} */
		const record = {
			at: Date.now(),
			origin,
			route,
			method: req.method ?? '',
			path: req.url ?? '',
			authorization: hasAuthorization(req),
			status: null,
			respondedAt: null,
			retryAfter: null,
		};
		this.data.requestLog.push(record);
		const counts = (this.data.requests[route] ??= {});
		let counted = false;
		/** @param {string} outcome */
		const count = (outcome) => {
			if (counted) return;
			counted = true;
			counts[outcome] = (counts[outcome] ?? 0) + 1;
			if (isApi && outcome === '429') this.data.rateLimited++;
		};
		res.once('finish', () => {
			record.status = res.statusCode;
			record.respondedAt = Date.now();
			const retryAfter = res.getHeader('retry-after');
			record.retryAfter = retryAfter === undefined ? null : String(retryAfter);
			count(String(res.statusCode));
		});
		res.once(DROPPED, count);
		// Closed without finishing and without the sandbox dropping it: the client went away.
		res.once('close', () => count('aborted'));
	}

	/**
	 * @param {Origin} origin
	 * @param {import('node:http').IncomingMessage} req
	 * @returns {ImageRecord} filled in further while the image is served
	 */
	image(origin, req) {
		/** @type {ImageRecord} */
		const record = {
			at: Date.now(),
			origin,
			path: req.url ?? '',
			authorization: hasAuthorization(req),
			status: null,
			bytesSent: 0,
			complete: false,
			sha256: null,
		};
		this.data.images.push(record);
		return record;
	}

	snapshot() {
		/** @type {Record<string, { with: number, without: number }>} */
		const authorizationByOrigin = {};
		for (const r of this.data.requestLog) {
			const tally = (authorizationByOrigin[r.origin] ??= { with: 0, without: 0 });
			tally[r.authorization ? 'with' : 'without']++;
		}
		return { ...this.data, authorizationByOrigin };
	}
}

module.exports = { StatsRecorder };
