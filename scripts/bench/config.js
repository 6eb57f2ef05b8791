// @ts-check
'use strict';

// What the benchmark runs: the sandbox's job latency, the two regimes, the prompt counts and
// the approaches. One place to change them.

/** Seeded lognormal job latency: every approach of a scenario faces the same draws. */
const LATENCY = { distribution: /** @type {const} */ ('lognormal'), median: 4000, sigma: 0.35, min: 1500, max: 12000, seed: 20260525 };

/** Executions started at once in the burst shape, one prompt each. */
const BURST_EXECUTIONS = 20;

/** Every image is padded to about this size (the memory target is about 100 images of ~8 MB). */
const IMAGE_BYTES = 8_000_000;

/**
 * @typedef {{ key: 'capacity' | 'rate' | 'rate-noheaders', title: string, capacity: number, rateLimit: { requestsPerMinute: number, headers?: boolean }, maxConcurrency: number, note: string }} Regime
 * @type {Regime[]}
 */
const REGIMES = [
	{
		key: 'capacity',
		title: 'capacity-bound',
		capacity: 10,
		// Present (so X-RateLimit-* headers are sent, as the real API does) but out of reach.
		rateLimit: { requestsPerMinute: 6000 },
		/** (a)'s Max Concurrency: 1.5 × the plan's capacity, as the README advises when the plan queues jobs (the sandbox does) */
		maxConcurrency: 15,
		note: 'sandbox capacity 10 running jobs per key, rate limit 6000 requests/min (present, never reached)',
	},
	{
		key: 'rate',
		title: 'rate-bound',
		capacity: Infinity,
		rateLimit: { requestsPerMinute: 60 },
		/** (a)'s Max Concurrency: something generous */
		maxConcurrency: 20,
		note: 'sandbox capacity unlimited, rate limit 60 requests/min per key (sliding 60 s window, 429 + Retry-After)',
	},
];

/**
 * The vendor documents 429 + Retry-After and no X-RateLimit-* headers: the rate-bound regime
 * again with a sandbox that sends none, so the node must learn the limit. Only (a) runs in it:
 * (b) and (c) read no headers anyway.
 * @type {Regime}
 */
const RATE_WITHOUT_HEADERS = {
	...REGIMES[1],
	key: 'rate-noheaders',
	title: 'rate-bound, no X-RateLimit headers',
	rateLimit: { requestsPerMinute: 60, headers: false },
	note: 'as rate-bound, but 429 + Retry-After is all the sandbox says (no X-RateLimit-* headers), as the vendor documents',
};

/**
 * How the workflow calls (a): once with every item; item batches through Loop Over Items
 * (n8n's advice for rate-limited APIs), where each batch is a new call of the node; or one
 * execution per prompt, all started at once by a webhook on one running n8n.
 * @typedef {'single' | 'loop' | 'burst'} Shape
 * @type {Record<Shape, { label: string, batchSize?: number }>}
 */
const SHAPES = {
	single: { label: '' },
	loop: { label: 'Loop Over Items, batches of 5', batchSize: 5 },
	burst: { label: `${BURST_EXECUTIONS} executions at once (webhook)` },
};

/** @typedef {'node' | 'vendor' | 'diy'} Approach */
/** @type {Record<Approach, { label: string, short: string }>} */
const APPROACHES = {
	node: { label: '(a) this node, Generate and Wait', short: '(a) node' },
	vendor: { label: '(b) vendor loop, 1 job at a time, poll every 2 s', short: '(b) vendor loop' },
	diy: { label: '(c) DIY n8n: HTTP Request + Wait 2 s + IF', short: '(c) DIY n8n' },
};

/** Prompt i (0-based), the same text in every approach. @param {number} i */
const promptText = (i) => `Benchmark ${i + 1}: a mountain landscape at golden hour, photorealistic`;

/** @param {boolean} quick */
function plan(quick) {
	const counts = quick ? [20] : [20, 100];
	/** @type {Array<{ id: string, regime: Regime, n: number, approach: Approach, shape: Shape, tinyImages?: boolean, control?: boolean }>} */
	const scenarios = [];
	for (const regime of REGIMES) {
		for (const n of counts) {
			for (const approach of /** @type {Approach[]} */ (['node', 'vendor', 'diy'])) {
				scenarios.push({ id: `${approach}-${regime.key}-${n}`, regime, n, approach, shape: 'single' });
			}
			scenarios.push({ id: `node-loop-${regime.key}-${n}`, regime, n, approach: 'node', shape: 'loop' });
		}
	}
	for (const n of counts) scenarios.push({ id: `node-${RATE_WITHOUT_HEADERS.key}-${n}`, regime: RATE_WITHOUT_HEADERS, n, approach: 'node', shape: 'single' });
	for (const regime of [...REGIMES, RATE_WITHOUT_HEADERS]) {
		scenarios.push({ id: `node-burst-${regime.key}-${BURST_EXECUTIONS}`, regime, n: BURST_EXECUTIONS, approach: 'node', shape: 'burst' });
	}
	if (!quick) {
		// Memory control: (a) with 100 prompts but tiny images, to tell what the images cost from
		// what 100 items cost. Not part of the comparison table.
		scenarios.push({ id: 'node-capacity-100-tiny', regime: REGIMES[0], n: 100, approach: 'node', shape: 'single', tinyImages: true, control: true });
	}
	return scenarios;
}

/** Sandbox options for a regime. @param {Regime} regime @param {{ tinyImages?: boolean }} [o] */
function sandboxOptions(regime, o = {}) {
	return {
		jobDurationMs: LATENCY,
		capacity: Number.isFinite(regime.capacity) ? regime.capacity : null,
		rateLimit: regime.rateLimit,
		...(o.tinyImages ? {} : { imageBytes: IMAGE_BYTES }),
	};
}

const N8N_TIMEOUT_MS = 600_000;

module.exports = { LATENCY, IMAGE_BYTES, BURST_EXECUTIONS, REGIMES, RATE_WITHOUT_HEADERS, SHAPES, APPROACHES, promptText, plan, sandboxOptions, N8N_TIMEOUT_MS };
