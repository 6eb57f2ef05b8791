// @ts-check
'use strict';

const HOST = '127.0.0.1';
const MAX_BODY_BYTES = 1 << 20;

/**
 * Sends a complete response with Content-Length. Objects go out as JSON, strings and
 * buffers as they are (text/plain unless the headers say otherwise).
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
function sendBody(res, status, body, headers = {}) {
	const isRaw = typeof body === 'string' || Buffer.isBuffer(body);
	const bytes = Buffer.from(isRaw ? /** @type {string | Buffer} */ (body) : JSON.stringify(body));
	const hasType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
	const all = {
		...(hasType ? {} : { 'Content-Type': isRaw ? 'text/plain; charset=utf-8' : 'application/json' }),
		...headers,
		'Content-Length': String(bytes.length),
	};
	// Set one by one (not through writeHead) so that the stats can read them back (getHeader).
	for (const [name, value] of Object.entries(all)) res.setHeader(name, value);
	res.writeHead(status);
	res.end(bytes);
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<Buffer | null>} null when the body is larger than MAX_BODY_BYTES
 */
async function readBody(req) {
	/** @type {Buffer[]} */
	const parts = [];
	let size = 0;
	for await (const part of req) {
		size += part.length;
		if (size > MAX_BODY_BYTES) return null;
		parts.push(part);
	}
	return Buffer.concat(parts);
}

/**
 * @param {import('node:http').Server} server
 * @param {number} port 0 = ephemeral
 * @returns {Promise<number>} the port actually bound
 */
function listen(server, port) {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, HOST, () => {
			server.off('error', reject);
			resolve(/** @type {import('node:net').AddressInfo} */ (server.address()).port);
		});
	});
}

/**
 * Stops accepting and drops open (keep-alive or stalled) connections, so close never hangs.
 * @param {import('node:http').Server} server
 */
function shutdown(server) {
	return new Promise((resolve) => {
		server.close(() => resolve(undefined));
		server.closeAllConnections();
	});
}

/**
 * Emitted on a response whose connection the sandbox drops on purpose, with the outcome's name,
 * so that stats count it at once rather than when the socket finally closes (which can come
 * after the client has already seen the failure and asked for stats).
 */
const DROPPED = 'sandbox:dropped';

/**
 * @param {import('node:http').ServerResponse} res
 * @param {'reset' | 'truncated'} outcome reset: destroy at once; truncated: end after what was written
 */
function dropConnection(res, outcome) {
	res.emit(DROPPED, outcome);
	if (outcome === 'reset') res.socket?.destroy();
	else res.socket?.end();
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {import('node:http').IncomingMessage} req */
const hasAuthorization = (req) => req.headers.authorization !== undefined;

module.exports = { DROPPED, sendBody, readBody, listen, shutdown, dropConnection, sleep, hasAuthorization };
