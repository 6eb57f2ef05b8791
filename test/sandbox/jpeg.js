// @ts-check
'use strict';

// A minimal baseline JPEG encoder (JFIF, YCbCr 4:4:4, the example tables of ITU T.81 Annex K).
// Quality is irrelevant here: the sandbox needs real, decodable JPEG bytes, not pretty ones.

/** Natural-order index of the k-th coefficient in zig-zag order. */
const ZIGZAG = [
	0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
	28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
	54, 47, 55, 62, 63,
];

/** Quantisation tables in natural order (T.81 Tables K.1 and K.2). */
const QUANT_LUMA = [
	16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29,
	51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121,
	120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const QUANT_CHROMA = [
	17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99,
	...new Array(36).fill(99),
];

/** Huffman table specifications (T.81 Tables K.3 to K.6): code counts per length 1..16, then symbols. */
const DC_LUMA = { counts: [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], symbols: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] };
const DC_CHROMA = { counts: [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], symbols: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] };
const AC_LUMA = {
	counts: [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d],
	symbols: [
		0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14,
		0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09,
		0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a,
		0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65,
		0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88,
		0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9,
		0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca,
		0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea,
		0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
	],
};
const AC_CHROMA = {
	counts: [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77],
	symbols: [
		0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22, 0x32,
		0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16,
		0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39,
		0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64,
		0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86,
		0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
		0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8,
		0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9,
		0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
	],
};

/**
 * Canonical Huffman codes (T.81 Annex C): symbol -> [code, length].
 * @param {{ counts: number[], symbols: number[] }} spec
 */
function huffmanCodes(spec) {
	/** @type {Map<number, [number, number]>} */
	const codes = new Map();
	let code = 0;
	let k = 0;
	for (let length = 1; length <= 16; length++) {
		for (let i = 0; i < spec.counts[length - 1]; i++) codes.set(spec.symbols[k++], [code++, length]);
		code <<= 1;
	}
	return codes;
}

/** Collects an entropy-coded segment: MSB first, a 0x00 stuffed after every 0xFF byte. */
class BitWriter {
	constructor() {
		/** @type {number[]} */
		this.bytes = [];
		this.acc = 0;
		this.count = 0;
	}

	/** @param {number} value @param {number} length */
	write(value, length) {
		for (let i = length - 1; i >= 0; i--) {
			this.acc = (this.acc << 1) | ((value >>> i) & 1);
			if (++this.count === 8) this.flushByte();
		}
	}

	flushByte() {
		this.bytes.push(this.acc);
		if (this.acc === 0xff) this.bytes.push(0);
		this.acc = 0;
		this.count = 0;
	}

	/** Pads the last byte with 1-bits, as T.81 F.1.2.3 asks. */
	finish() {
		while (this.count !== 0) this.write(1, 1);
		return Buffer.from(this.bytes);
	}
}

const COS = (() => {
	const table = new Float64Array(64);
	for (let x = 0; x < 8; x++) for (let u = 0; u < 8; u++) table[x * 8 + u] = Math.cos(((2 * x + 1) * u * Math.PI) / 16);
	return table;
})();

/**
 * Forward 8x8 DCT-II of a level-shifted block, separable (rows then columns).
 * @param {Float64Array} block 64 samples in natural order, already minus 128
 */
function forwardDct(block) {
	const rows = new Float64Array(64);
	for (let y = 0; y < 8; y++) {
		for (let u = 0; u < 8; u++) {
			let sum = 0;
			for (let x = 0; x < 8; x++) sum += block[y * 8 + x] * COS[x * 8 + u];
			rows[y * 8 + u] = sum * (u === 0 ? Math.SQRT1_2 : 1) * 0.5;
		}
	}
	const out = new Float64Array(64);
	for (let u = 0; u < 8; u++) {
		for (let v = 0; v < 8; v++) {
			let sum = 0;
			for (let y = 0; y < 8; y++) sum += rows[y * 8 + u] * COS[y * 8 + v];
			out[v * 8 + u] = sum * (v === 0 ? Math.SQRT1_2 : 1) * 0.5;
		}
	}
	return out;
}

/** Bit length of |value|: the JPEG "category" (SSSS). @param {number} value */
function category(value) {
	let abs = Math.abs(value);
	let bits = 0;
	while (abs) {
		bits++;
		abs >>= 1;
	}
	return bits;
}

/**
 * Negative values are sent as their one's complement in `size` bits (T.81 F.1.2.1).
 * @param {number} value
 * @param {number} size
 */
function amplitudeBits(value, size) {
	return value < 0 ? value + (1 << size) - 1 : value;
}

/**
 * @typedef {{ quant: number[], dc: Map<number, [number, number]>, ac: Map<number, [number, number]>, previousDc: number }} Component
 */

/**
 * @param {BitWriter} bits
 * @param {Float64Array} samples level-shifted 8x8 block
 * @param {Component} component
 */
function encodeBlock(bits, samples, component) {
	const coefficients = forwardDct(samples);
	const zigzag = ZIGZAG.map((natural) => Math.round(coefficients[natural] / component.quant[natural]));

	const diff = zigzag[0] - component.previousDc;
	component.previousDc = zigzag[0];
	const dcSize = category(diff);
	bits.write(...(/** @type {[number, number]} */ (component.dc.get(dcSize))));
	bits.write(amplitudeBits(diff, dcSize), dcSize);

	let run = 0;
	for (let k = 1; k < 64; k++) {
		const value = zigzag[k];
		if (value === 0) {
			run++;
			continue;
		}
		for (; run > 15; run -= 16) bits.write(...(/** @type {[number, number]} */ (component.ac.get(0xf0)))); // ZRL
		const size = category(value);
		bits.write(...(/** @type {[number, number]} */ (component.ac.get((run << 4) | size))));
		bits.write(amplitudeBits(value, size), size);
		run = 0;
	}
	if (run > 0) bits.write(...(/** @type {[number, number]} */ (component.ac.get(0x00)))); // EOB
}

/**
 * @param {number} marker
 * @param {number[] | Buffer} payload
 */
function segment(marker, payload) {
	return Buffer.concat([Buffer.from([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), Buffer.from(payload)]);
}

/** @param {number} n */
const u16 = (n) => [n >> 8, n & 0xff];

/**
 * @param {number} width
 * @param {number} height
 */
function headerSegments(width, height) {
	const jfif = segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, ...u16(1), ...u16(1), 0, 0]);
	const quant = segment(0xdb, [
		0x00,
		...ZIGZAG.map((i) => QUANT_LUMA[i]),
		0x01,
		...ZIGZAG.map((i) => QUANT_CHROMA[i]),
	]);
	// Three components, no subsampling; Y uses table set 0, Cb and Cr set 1.
	const frame = segment(0xc0, [8, ...u16(height), ...u16(width), 3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]);
	const huffman = segment(0xc4, [
		0x00, ...DC_LUMA.counts, ...DC_LUMA.symbols,
		0x10, ...AC_LUMA.counts, ...AC_LUMA.symbols,
		0x01, ...DC_CHROMA.counts, ...DC_CHROMA.symbols,
		0x11, ...AC_CHROMA.counts, ...AC_CHROMA.symbols,
	]);
	const scan = segment(0xda, [3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]);
	return { jfif, rest: Buffer.concat([quant, frame, huffman, scan]) };
}

/**
 * Encodes 8-bit RGB pixels as a baseline JFIF JPEG.
 * @param {number} width
 * @param {number} height
 * @param {Uint8Array} rgb width * height * 3 bytes, row by row
 */
function encodeJpeg(width, height, rgb) {
	const luma = { dc: huffmanCodes(DC_LUMA), ac: huffmanCodes(AC_LUMA) };
	const chroma = { dc: huffmanCodes(DC_CHROMA), ac: huffmanCodes(AC_CHROMA) };
	/** @type {Component[]} */
	const components = [
		{ quant: QUANT_LUMA, ...luma, previousDc: 0 },
		{ quant: QUANT_CHROMA, ...chroma, previousDc: 0 },
		{ quant: QUANT_CHROMA, ...chroma, previousDc: 0 },
	];
	const bits = new BitWriter();
	const blocks = [new Float64Array(64), new Float64Array(64), new Float64Array(64)];
	for (let by = 0; by < height; by += 8) {
		for (let bx = 0; bx < width; bx += 8) {
			for (let i = 0; i < 64; i++) {
				// Edge pixels are repeated to fill partial blocks.
				const x = Math.min(bx + (i & 7), width - 1);
				const y = Math.min(by + (i >> 3), height - 1);
				const p = (y * width + x) * 3;
				const [r, g, b] = [rgb[p], rgb[p + 1], rgb[p + 2]];
				blocks[0][i] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
				blocks[1][i] = -0.168736 * r - 0.331264 * g + 0.5 * b;
				blocks[2][i] = 0.5 * r - 0.418688 * g - 0.081312 * b;
			}
			for (let c = 0; c < 3; c++) encodeBlock(bits, blocks[c], components[c]);
		}
	}
	const { jfif, rest } = headerSegments(width, height);
	return Buffer.concat([Buffer.from([0xff, 0xd8]), jfif, rest, bits.finish(), Buffer.from([0xff, 0xd9])]);
}

/**
 * How padding is framed inside a JPEG: APP15 segments right after the JFIF APP0 segment (no decoder claims APP15).
 * @type {import('./images').PadFraming}
 */
const jpegPadding = {
	overhead: 4,
	maxData: 65533,
	insertAt: () => 2 + 18, // SOI, then the fixed-size JFIF APP0 segment
	*frame(length, data) {
		yield Buffer.from([0xff, 0xef, (length + 2) >> 8, (length + 2) & 0xff]);
		yield* data;
	},
};

module.exports = { encodeJpeg, jpegPadding };
