// @ts-check
'use strict';

/**
 * @typedef {{ jobId: string, key: string, body: Record<string, unknown> }} JobInfo
 * @typedef {{ distribution: 'uniform' | 'lognormal', min?: number, max?: number, median?: number, sigma?: number, seed?: number }} DurationDistribution
 * @typedef {number | ((job: JobInfo) => number) | DurationDistribution} DurationSpec
 */

/**
 * mulberry32: tiny, seedable, good enough to make benchmark runs repeatable.
 * @param {number} seed
 */
function prng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** @param {unknown} spec */
function isDurationSpec(spec) {
	if (typeof spec === 'number') return spec >= 0;
	if (typeof spec === 'function') return true;
	if (!spec || typeof spec !== 'object') return false;
	const d = /** @type {DurationDistribution} */ (spec);
	if (d.distribution === 'uniform') return typeof d.min === 'number' && typeof d.max === 'number' && d.min <= d.max;
	return d.distribution === 'lognormal' && typeof d.median === 'number' && d.median > 0;
}

/**
 * Turns the `jobDurationMs` option into a per-job sampler. Distributions draw from their own
 * seeded generator in submit order, so the same run of submits gets the same durations.
 * Lognormal: median * e^(sigma * N(0,1)), sigma defaulting to 0.5, clamped to [min, max] when given.
 * @param {DurationSpec} spec
 * @returns {(job: JobInfo) => number}
 */
function durationSampler(spec) {
	if (typeof spec === 'number') return () => spec;
	if (typeof spec === 'function') return (job) => Math.max(0, spec(job));
	const random = prng(spec.seed ?? 1);
	const min = spec.min ?? 0;
	const max = spec.max ?? Infinity;
	if (spec.distribution === 'uniform') return () => min + random() * (max - min);
	const median = /** @type {number} */ (spec.median);
	const sigma = spec.sigma ?? 0.5;
	return () => {
		// Box-Muller; 1 - random() keeps the logarithm's argument above zero.
		const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
		return Math.min(max, Math.max(min, median * Math.exp(sigma * normal)));
	};
}

module.exports = { durationSampler, isDurationSpec };
