// @ts-check
'use strict';

const crypto = require('node:crypto');
const { encodePng, pngPadding } = require('./png');
const { encodeJpeg, jpegPadding } = require('./jpeg');

/**
 * Where and how filler bytes go into an encoded image so that decoders skip them.
 * @typedef {object} PadFraming
 * @property {number} overhead bytes each padding segment adds around its data
 * @property {number} maxData largest data length of one segment
 * @property {(encoded: Buffer) => number} insertAt byte offset where padding segments go
 * @property {(length: number, data: Iterable<Buffer>) => Iterable<Buffer>} frame one segment around `length` data bytes
 */

/**
 * Everything that decides an image's bytes; captured per job at submit time so that a URL
 * always serves the same bytes, whatever is reconfigured later.
 * @typedef {object} ImageSpec
 * @property {'png' | 'jpeg'} format
 * @property {number} width
 * @property {number} height
 * @property {number | null} targetBytes pad the file to about this many bytes
 * @property {string} seed content is derived from it alone
 */

const FORMATS = {
	png: { extension: 'png', contentType: 'image/png', encode: encodePng, padding: pngPadding },
	jpeg: { extension: 'jpg', contentType: 'image/jpeg', encode: encodeJpeg, padding: jpegPadding },
};

/** @type {Record<string, [number, number]>} */
const RATIOS = { '1:1': [1, 1], '16:9': [16, 9], '9:16': [9, 16], '4:3': [4, 3], '3:4': [3, 4], '21:9': [21, 9] };

/**
 * Pixel size for an aspect ratio: the long side is `baseSize`.
 * @param {string} aspectRatio
 * @param {number} baseSize
 */
function dimensions(aspectRatio, baseSize) {
	const [w, h] = RATIOS[aspectRatio] ?? RATIOS['1:1'];
	const scale = baseSize / Math.max(w, h);
	return { width: Math.max(1, Math.round(w * scale)), height: Math.max(1, Math.round(h * scale)) };
}

/**
 * Deterministic pseudo-random bytes (xorshift32) seeded from a string.
 * @param {string} seed
 * @param {number} length
 */
function seededBytes(seed, length) {
	let state = crypto.createHash('sha256').update(seed).digest().readUInt32LE(0) || 1;
	const out = Buffer.alloc(length);
	for (let i = 0; i < length; i += 4) {
		state ^= state << 13;
		state ^= state >>> 17;
		state ^= state << 5;
		for (let b = 0; b < 4 && i + b < length; b++) out[i + b] = (state >>> (b * 8)) & 0xff;
	}
	return out;
}

/**
 * A diagonal gradient in two seed-chosen colours: cheap, compressible, and different per image.
 * @param {ImageSpec} spec
 */
function pixels(spec) {
	const [r0, g0, b0, r1, g1, b1] = seededBytes(spec.seed, 6);
	const rgb = new Uint8Array(spec.width * spec.height * 3);
	for (let y = 0; y < spec.height; y++) {
		for (let x = 0; x < spec.width; x++) {
			const t = (x + y) / Math.max(1, spec.width + spec.height - 2);
			const p = (y * spec.width + x) * 3;
			rgb[p] = Math.round(r0 + (r1 - r0) * t);
			rgb[p + 1] = Math.round(g0 + (g1 - g0) * t);
			rgb[p + 2] = Math.round(b0 + (b1 - b0) * t);
		}
	}
	return rgb;
}

/**
 * Data lengths of the fewest padding segments that add exactly `padBytes`, overhead included;
 * none when not even one segment's overhead fits.
 * @param {number} padBytes
 * @param {PadFraming} framing
 */
function padSegmentLengths(padBytes, framing) {
	if (padBytes < framing.overhead) return [];
	const count = Math.ceil(padBytes / (framing.maxData + framing.overhead));
	const data = padBytes - count * framing.overhead;
	return Array.from({ length: count }, (_, i) => Math.floor(data / count) + (i < data % count ? 1 : 0));
}

const NOISE_BLOCK = 65536;

/**
 * Filler: one seed-derived random block, repeated. Fresh randomness for every byte would cost
 * more CPU than the client under test, in the same process, for no benefit: only the volume
 * and the per-image identity of the bytes matter.
 * @param {number} length
 * @param {Buffer} block
 */
function* noise(length, block) {
	for (let left = length; left > 0; left -= block.length) yield block.subarray(0, Math.min(block.length, left));
}

/**
 * Prepares an image without materialising padding: large files are produced piece by piece.
 * @param {ImageSpec} spec
 * @returns {{ contentType: string, extension: string, length: number, chunks: () => Iterable<Buffer> }}
 */
function renderImage(spec) {
	const format = FORMATS[spec.format];
	const encoded = format.encode(spec.width, spec.height, pixels(spec));
	const segments = spec.targetBytes ? padSegmentLengths(spec.targetBytes - encoded.length, format.padding) : [];
	const length = encoded.length + segments.reduce((sum, n) => sum + n + format.padding.overhead, 0);
	const split = format.padding.insertAt(encoded);
	function* chunks() {
		yield encoded.subarray(0, split);
		const block = seededBytes(`${spec.seed}/padding`, NOISE_BLOCK);
		for (const n of segments) yield* format.padding.frame(n, noise(n, block));
		yield encoded.subarray(split);
	}
	return { contentType: format.contentType, extension: format.extension, length, chunks };
}

/** @param {'png' | 'jpeg'} format */
const extensionOf = (format) => FORMATS[format].extension;

module.exports = { renderImage, dimensions, extensionOf };
