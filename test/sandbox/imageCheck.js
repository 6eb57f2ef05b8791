// @ts-check
'use strict';

// Structural checks of PNG and JPEG files, for tests that want more than "it starts with the
// right magic bytes": every PNG chunk's CRC and the inflated pixel data size, every JPEG
// segment length, the presence of the tables a baseline decoder needs, and the scan's markers.

const zlib = require('node:zlib');
const { crc32, PNG_SIGNATURE } = require('./png');

/** Bytes per pixel for 8-bit PNG colour types: grey, RGB, grey+alpha, RGBA. */
const PNG_CHANNELS = { 0: 1, 2: 3, 4: 2, 6: 4 };

/**
 * @param {Buffer} bytes
 * @returns {{ format: 'png', width: number, height: number }}
 */
function inspectPng(bytes) {
	if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('PNG: bad signature');
	/** @type {string[]} */
	const types = [];
	/** @type {Buffer[]} */
	const idat = [];
	let width = 0;
	let height = 0;
	let channels = 0;
	for (let at = 8; at < bytes.length; ) {
		if (at + 12 > bytes.length) throw new Error('PNG: truncated chunk header');
		const length = bytes.readUInt32BE(at);
		const type = bytes.toString('ascii', at + 4, at + 8);
		const end = at + 12 + length;
		if (end > bytes.length) throw new Error(`PNG: chunk ${type} runs past the end`);
		const data = bytes.subarray(at + 8, at + 8 + length);
		if (crc32(crc32(0, bytes.subarray(at + 4, at + 8)), data) !== bytes.readUInt32BE(end - 4)) throw new Error(`PNG: bad CRC in ${type}`);
		if (type === 'IHDR') {
			width = data.readUInt32BE(0);
			height = data.readUInt32BE(4);
			if (data[8] !== 8) throw new Error('PNG: only bit depth 8 is checked');
			channels = PNG_CHANNELS[/** @type {keyof PNG_CHANNELS} */ (data[9])] ?? 0;
		}
		if (type === 'IDAT') idat.push(data);
		types.push(type);
		at = end;
	}
	if (types[0] !== 'IHDR' || types[types.length - 1] !== 'IEND') throw new Error('PNG: must start with IHDR and end with IEND');
	if (idat.length === 0) throw new Error('PNG: no IDAT');
	const raw = zlib.inflateSync(Buffer.concat(idat));
	if (channels && raw.length !== (width * channels + 1) * height) throw new Error('PNG: pixel data has the wrong size');
	return { format: 'png', width, height };
}

/**
 * @param {Buffer} bytes
 * @returns {{ format: 'jpeg', width: number, height: number }}
 */
function inspectJpeg(bytes) {
	if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error('JPEG: no SOI');
	const seen = new Set();
	let width = 0;
	let height = 0;
	let at = 2;
	for (;;) {
		if (at + 4 > bytes.length || bytes[at] !== 0xff) throw new Error(`JPEG: no marker at ${at}`);
		const marker = bytes[at + 1];
		const length = bytes.readUInt16BE(at + 2);
		if (at + 2 + length > bytes.length) throw new Error(`JPEG: segment ${marker.toString(16)} runs past the end`);
		seen.add(marker);
		if (marker === 0xc0) {
			height = bytes.readUInt16BE(at + 5);
			width = bytes.readUInt16BE(at + 7);
		}
		at += 2 + length;
		if (marker === 0xda) break;
	}
	for (const [marker, name] of [[0xdb, 'DQT'], [0xc4, 'DHT'], [0xc0, 'baseline SOF0']]) {
		if (!seen.has(marker)) throw new Error(`JPEG: no ${name}`);
	}
	// Inside the scan a 0xFF is only followed by a stuffed 0x00, a fill 0xFF, a restart marker, or the final EOI.
	for (; at < bytes.length - 1; at++) {
		if (bytes[at] !== 0xff) continue;
		const next = bytes[at + 1];
		if (next === 0xd9) break;
		if (next !== 0x00 && next !== 0xff && (next < 0xd0 || next > 0xd7)) throw new Error(`JPEG: unexpected marker ${next.toString(16)} in scan`);
	}
	if (at !== bytes.length - 2) throw new Error('JPEG: EOI is not the last thing in the file');
	if (!width || !height) throw new Error('JPEG: no frame size');
	return { format: 'jpeg', width, height };
}

/** @param {Buffer} bytes */
function inspectImage(bytes) {
	return bytes[0] === 0x89 ? inspectPng(bytes) : inspectJpeg(bytes);
}

module.exports = { inspectImage, inspectPng, inspectJpeg };
