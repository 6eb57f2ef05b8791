// @ts-check
'use strict';

const { sendBody, dropConnection } = require('./http');

/**
 * @typedef {'submit' | 'poll' | 'download' | 'models'} Route
 * @typedef {object} Fault
 * @property {Route | 'any'} route
 * @property {number} times requests it still applies to (Infinity allowed)
 * @property {'status' | 'reset' | 'malformedJson' | 'html' | 'shape' | 'delay' | 'redirect' | 'truncate' | 'contentType'} kind
 * @property {number} [status] status: the HTTP status; redirect: 301/302/303/307/308 (default 302)
 * @property {unknown} [body] status/shape/contentType: the body (object → JSON, string as is)
 * @property {Record<string, string>} [headers] status: extra response headers
 * @property {boolean} [afterCreate] reset on submit: create and charge the job first
 * @property {number} [ms] delay: wait this long, then answer normally
 * @property {'sameOrigin' | 'otherOrigin'} [to] redirect: where the real image is served (default sameOrigin)
 * @property {number} [bytes] truncate: bytes sent before the socket ends (default half)
 * @property {string} [contentType] contentType: the Content-Type sent (default text/html)
 */

const ROUTES = ['submit', 'poll', 'download', 'models', 'any'];
const DOWNLOAD_ONLY = ['download'];
/** Which routes each kind makes sense on. */
const KIND_ROUTES = {
	status: ROUTES,
	reset: ROUTES,
	malformedJson: ROUTES,
	html: ROUTES,
	shape: ROUTES,
	delay: ROUTES,
	redirect: DOWNLOAD_ONLY,
	truncate: DOWNLOAD_ONLY,
	contentType: DOWNLOAD_ONLY,
};

/**
 * @param {Record<string, any>} input
 * @returns {Fault}
 */
function normalizeFault(input) {
	/** @type {Record<string, any>} */
	const fault = { route: 'any', times: 1, ...input };
	if (!ROUTES.includes(fault.route)) throw new Error(`Unknown fault route "${fault.route}"`);
	const routes = KIND_ROUTES[/** @type {keyof KIND_ROUTES} */ (fault.kind)];
	if (!routes) throw new Error(`Unknown fault kind "${fault.kind}"`);
	if (!routes.includes(fault.route)) throw new Error(`Fault kind "${fault.kind}" only applies to route "download"`);
	if (!(fault.times >= 1)) throw new Error('Fault "times" must be at least 1');
	if (fault.kind === 'status' && !(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599)) {
		throw new Error('Fault kind "status" needs an HTTP "status"');
	}
	if (fault.kind === 'delay' && !(fault.ms >= 0)) throw new Error('Fault kind "delay" needs "ms"');
	if (fault.kind === 'redirect' && fault.status !== undefined && ![301, 302, 303, 307, 308].includes(fault.status)) {
		throw new Error('Fault kind "redirect" takes a 3xx "status"');
	}
	if (fault.kind === 'redirect' && fault.to !== undefined && !['sameOrigin', 'otherOrigin'].includes(fault.to)) {
		throw new Error('Fault kind "redirect" takes "to": "sameOrigin" or "otherOrigin"');
	}
	if (fault.afterCreate && !(fault.kind === 'reset' && fault.route === 'submit')) {
		throw new Error('"afterCreate" only applies to kind "reset" on route "submit"');
	}
	return /** @type {Fault} */ (fault);
}

/** A FIFO of faults; each request consumes the first one that matches its route. */
class FaultQueue {
	constructor() {
		/** @type {Fault[]} */
		this.faults = [];
	}

	/** @param {Record<string, any>} input */
	add(input) {
		this.faults.push(normalizeFault(input));
	}

	/**
	 * @param {Route} route
	 * @returns {Fault | undefined}
	 */
	take(route) {
		const index = this.faults.findIndex((f) => f.route === route || f.route === 'any');
		if (index < 0) return undefined;
		const fault = this.faults[index];
		if (--fault.times <= 0) this.faults.splice(index, 1);
		return fault;
	}

	/** Faults not yet used up, for stats. */
	pending() {
		return this.faults.map((f) => ({ ...f, times: Number.isFinite(f.times) ? f.times : 'Infinity' }));
	}

	clear() {
		this.faults = [];
	}
}

const HTML_PAGE =
	'<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>The upstream server is not available.</p></body></html>';

/**
 * Answers a request with a fault of a kind that replaces the whole response.
 * @param {Fault} fault
 * @param {import('node:http').ServerResponse} res
 * @param {(status: number) => unknown} errorBody the API's error body for a status
 */
function respondWithFault(fault, res, errorBody) {
	switch (fault.kind) {
		case 'reset':
			dropConnection(res, 'reset');
			return;
		case 'malformedJson':
			sendBody(res, 200, '{"jobId": ', { 'Content-Type': 'application/json' });
			return;
		case 'html':
			sendBody(res, 502, HTML_PAGE, { 'Content-Type': 'text/html; charset=utf-8' });
			return;
		case 'shape':
			// Always labelled JSON, even when the body is given as a (possibly broken) string.
			sendBody(res, 200, fault.body ?? { ok: true }, { 'Content-Type': 'application/json', ...fault.headers });
			return;
		case 'status': {
			const status = /** @type {number} */ (fault.status);
			sendBody(res, status, fault.body ?? errorBody(status), fault.headers);
			return;
		}
		default:
			throw new Error(`Fault kind "${fault.kind}" is not a whole-response fault`);
	}
}

module.exports = { FaultQueue, respondWithFault, HTML_PAGE };
