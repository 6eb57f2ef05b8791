// @ts-check
'use strict';

const zlib = require('node:zlib');

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// zlib.crc32 arrived in Node 20.15 / 22.2; earlier runtimes get the standard table-driven CRC-32.
const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

/**
 * @param {number} crc
 * @param {Uint8Array} bytes
 */
function tableCrc32(crc, bytes) {
	let c = ~crc >>> 0;
	for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
	return ~c >>> 0;
}

/**
 * Continues a CRC-32 over more bytes, so that a chunk streamed in pieces can be checksummed.
 * Start with crc = 0.
 * @type {(crc: number, bytes: Uint8Array) => number}
 */
const crc32 = typeof zlib.crc32 === 'function' ? (crc, bytes) => zlib.crc32(bytes, crc) : tableCrc32;

/**
 * @param {string} type four ASCII letters
 * @param {Buffer} data
 */
function chunk(type, data) {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'ascii');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(crc32(0, head.subarray(4)), data), 0);
	return Buffer.concat([head, data, crc]);
}

/**
 * Encodes 8-bit RGB pixels as a truecolour, non-interlaced PNG.
 * @param {number} width
 * @param {number} height
 * @param {Uint8Array} rgb width * height * 3 bytes, row by row
 */
function encodePng(width, height, rgb) {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, deflate, adaptive filters, no interlace
	const stride = width * 3;
	const raw = Buffer.alloc((stride + 1) * height); // each row starts with filter type 0 (None)
	for (let y = 0; y < height; y++) raw.set(rgb.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
	return Buffer.concat([
		SIGNATURE,
		chunk('IHDR', ihdr),
		chunk('IDAT', zlib.deflateSync(raw)),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

// "paDd": ancillary (lower-case 1st letter), private (2nd), reserved bit clear (3rd), safe to copy
// (4th) — decoders skip it, which is what padding needs.
const PAD_TYPE = Buffer.from('paDd', 'ascii');

/**
 * How padding is framed inside a PNG: private ancillary chunks placed just before IEND.
 * @type {import('./images').PadFraming}
 */
const pngPadding = {
	overhead: 12,
	maxData: 1 << 20,
	insertAt: (encoded) => encoded.length - 12, // IEND is always the last 12 bytes
	*frame(length, data) {
		const head = Buffer.alloc(8);
		head.writeUInt32BE(length, 0);
		PAD_TYPE.copy(head, 4);
		yield head;
		let crc = crc32(0, PAD_TYPE);
		for (const piece of data) {
			crc = crc32(crc, piece);
			yield piece;
		}
		const tail = Buffer.alloc(4);
		tail.writeUInt32BE(crc, 0);
		yield tail;
	},
};

module.exports = { encodePng, pngPadding, crc32, PNG_SIGNATURE: SIGNATURE };
