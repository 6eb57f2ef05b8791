// @ts-check
'use strict';

// (b) The vendor's documented client loop, as plain Node.js (not n8n): one job at a time —
// submit, sleep 2 s, poll, repeat until `completed` (or `failed`), download the image, next
// prompt. The vendor's examples do not handle 429; here a 429 waits out `Retry-After` and
// tries again (counted), so that this approach finishes and its time can be compared.

const POLL_INTERVAL_MS = 2000;

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @param {string} url
 * @param {RequestInit} init
 * @param {{ rateLimited: number }} counters
 */
async function call(url, init, counters) {
	for (;;) {
		const res = await fetch(url, init);
		if (res.status !== 429) return res;
		counters.rateLimited++;
		await res.arrayBuffer();
		const retryAfter = Number(res.headers.get('retry-after'));
		await sleep(Number.isFinite(retryAfter) ? retryAfter * 1000 : POLL_INTERVAL_MS);
	}
}

/** Reads a response body to its end without keeping it; returns its length. @param {Response} res */
async function drain(res) {
	let bytes = 0;
	if (!res.body) return 0;
	for await (const chunk of res.body) bytes += chunk.length;
	return bytes;
}

/**
 * @param {{ apiUrl: string, apiKey: string, prompts: string[] }} o
 */
async function runVendorLoop({ apiUrl, apiKey, prompts }) {
	const headers = { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' };
	const counters = { rateLimited: 0 };
	const startedAt = Date.now();
	let succeeded = 0;
	/** @type {string[]} */
	const errors = [];
	for (const prompt of prompts) {
		try {
			const submit = await call(`${apiUrl}/models/qwen-image-max/run`, { method: 'POST', headers, body: JSON.stringify({ prompt, aspect_ratio: '1:1' }) }, counters);
			if (!submit.ok) throw new Error(`submit: HTTP ${submit.status} ${await submit.text()}`);
			const { jobId } = /** @type {{ jobId: string }} */ (await submit.json());
			/** @type {any} */
			let job;
			for (;;) {
				await sleep(POLL_INTERVAL_MS);
				const poll = await call(`${apiUrl}/jobs/${jobId}`, { headers }, counters);
				if (!poll.ok) throw new Error(`poll: HTTP ${poll.status}`);
				job = await poll.json();
				if (job.status === 'completed' || job.status === 'failed') break;
			}
			if (job.status === 'failed') throw new Error(`job failed: ${job.error}`);
			const image = await fetch(job.output.images[0]);
			if (!image.ok) throw new Error(`download: HTTP ${image.status}`);
			await drain(image);
			succeeded++;
		} catch (error) {
			errors.push(error instanceof Error ? error.message : String(error));
		}
	}
	return { startedAt, stoppedAt: Date.now(), succeeded, failed: prompts.length - succeeded, errors, clientRateLimited: counters.rateLimited };
}

module.exports = { runVendorLoop, POLL_INTERVAL_MS };
