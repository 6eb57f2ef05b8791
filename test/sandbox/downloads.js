// @ts-check
'use strict';

const crypto = require('node:crypto');
const http = require('node:http');
const { sendBody, sleep, dropConnection } = require('./http');
const { respondWithFault, HTML_PAGE } = require('./faults');
const { renderImage, extensionOf } = require('./images');

/**
 * @typedef {import('./server').SandboxState} SandboxState
 * @typedef {ReturnType<typeof renderImage>} RenderedImage
 */

// /images/ is where job output points; /moved/ is the target of same-origin redirect faults.
const IMAGE_PATH = /^\/(images|moved)\/(job_[0-9a-f]+)-(\d+)\.(png|jpg)$/;

/**
 * The image a path names, if its job exists, has completed and has not expired.
 * @param {SandboxState} state
 * @param {string} pathname
 */
function findImage(state, pathname) {
	const match = IMAGE_PATH.exec(pathname);
	if (!match) return undefined;
	const [, , jobId, index, extension] = match;
	const now = Date.now();
	const job = state.jobs.find(jobId, null, now);
	if (!job || state.jobs.statusOf(job, now, state.options.statuses) !== 'completed') return undefined;
	const spec = job.images[Number(index)];
	return spec && extensionOf(spec.format) === extension ? spec : undefined;
}

/** Resolves once the response can take more data, or is gone. @param {http.ServerResponse} res */
function writable(res) {
	return new Promise((resolve) => {
		const done = () => {
			res.off('drain', done);
			res.off('close', done);
			resolve(undefined);
		};
		res.on('drain', done);
		res.on('close', done);
	});
}

/**
 * Streams the image (optionally only its first `limit` bytes, then a dropped connection),
 * hashing what is actually written so tests can compare it with imageBytesFor().
 * @param {http.ServerResponse} res
 * @param {RenderedImage} image
 * @param {string} contentType
 * @param {number | null} limit
 * @param {import('./stats').ImageRecord} record
 */
async function streamImage(res, image, contentType, limit, record) {
	res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': String(image.length) });
	record.status = 200; // a truncated response never finishes
	const hash = crypto.createHash('sha256');
	const max = limit ?? image.length;
	for (const piece of image.chunks()) {
		const part = piece.subarray(0, max - record.bytesSent);
		if (part.length === 0 || res.destroyed) break;
		hash.update(part);
		record.bytesSent += part.length;
		if (!res.write(part)) await writable(res);
	}
	record.sha256 = hash.digest('hex');
	record.complete = record.bytesSent === image.length && !res.destroyed;
	// Ending the socket instead of the response leaves the body short of its Content-Length.
	if (limit !== null) dropConnection(res, 'truncated');
	else res.end();
}

/**
 * @param {SandboxState} state
 * @param {'sameOrigin' | 'otherOrigin' | undefined} to
 * @param {string} pathname
 */
function redirectTarget(state, to, pathname) {
	const file = pathname.slice(pathname.lastIndexOf('/') + 1);
	return to === 'otherOrigin' ? `${state.origins.foreign}/images/${file}` : `${state.origins.image}/moved/${file}`;
}

/**
 * Answers one request on the image origin (faults apply) or on the foreign origin (the
 * third-party host that redirects lead to; it serves real images and never faults).
 * @param {SandboxState} state
 * @param {'image' | 'foreign'} origin
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 */
async function handleDownload(state, origin, req, res) {
	const pathname = new URL(req.url ?? '/', 'http://sandbox').pathname;
	const record = state.stats.image(origin, req);
	res.once('finish', () => {
		record.status = res.statusCode;
	});
	const fault = origin === 'image' ? state.faults.take('download') : undefined;
	await sleep(state.options.imageDelayMs);
	if (fault?.kind === 'delay') await sleep(/** @type {number} */ (fault.ms));
	else if (fault?.kind === 'redirect') {
		res.writeHead(fault.status ?? 302, { Location: redirectTarget(state, fault.to, pathname), 'Content-Length': '0' });
		res.end();
		return;
	} else if (fault && fault.kind !== 'truncate' && fault.kind !== 'contentType') {
		respondWithFault(fault, res, (status) => http.STATUS_CODES[status] ?? `HTTP ${status}`);
		return;
	}

	const spec = findImage(state, pathname);
	if (!spec || (origin === 'foreign' && !pathname.startsWith('/images/'))) {
		sendBody(res, 404, 'Not Found');
		return;
	}
	if (fault?.kind === 'contentType') {
		sendBody(res, 200, fault.body ?? HTML_PAGE, { 'Content-Type': fault.contentType ?? 'text/html; charset=utf-8' });
		return;
	}
	const image = renderImage(spec);
	const limit = fault?.kind === 'truncate' ? (fault.bytes ?? Math.floor(image.length / 2)) : null;
	await streamImage(res, image, state.options.imageContentType ?? image.contentType, limit, record);
}

module.exports = { handleDownload, findImage };
