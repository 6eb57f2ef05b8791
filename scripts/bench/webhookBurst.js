// @ts-check
'use strict';

// (a) as many executions at once: one webhook call per prompt, all fired together at one
// running n8n (`n8n start`), each answered with its image when the node is done. Timings come
// from the calls, memory from the n8n process over the burst.

const { setTimeout: sleep } = require('node:timers/promises');
const { startMemorySampler } = require('./procMemory');
const { memoryInWindow } = require('./n8nRun');

/** RSS samples taken before the burst: what the running n8n holds when idle. */
const BASELINE_MS = 1000;

/**
 * @param {{ process: import('node:child_process').ChildProcess, postWebhook: (path: string, body: unknown) => Promise<{ status: number, contentType: string, body: Buffer, sentAt: number, receivedAt: number }> }} editor
 * @param {{ path: string, prompts: string[] }} o
 */
async function runBurst(editor, { path, prompts }) {
	const sampler = startMemorySampler(/** @type {number} */ (editor.process.pid));
	await sleep(BASELINE_MS);
	const startedAt = Date.now();
	const answers = await Promise.all(
		prompts.map((prompt) =>
			editor.postWebhook(path, { prompt }).catch((error) => ({ status: 0, contentType: '', body: Buffer.from(String(error)), sentAt: startedAt, receivedAt: Date.now() })),
		),
	);
	const memory = sampler.stop();
	const failures = answers.filter((a) => a.status !== 200 || !a.contentType.startsWith('image/'));
	const wallFrom = Math.min(...answers.map((a) => a.sentAt));
	const wallTo = Math.max(...answers.map((a) => a.receivedAt));
	return {
		ok: failures.length === 0,
		error: failures.length ? `${failures.length} calls failed, e.g. ${failures[0].status}: ${failures[0].body.toString('utf8', 0, 300)}` : undefined,
		succeeded: prompts.length - failures.length,
		failed: failures.length,
		wallMs: wallTo - wallFrom,
		wallFrom,
		wallTo,
		executionMs: wallTo - wallFrom,
		memory: memoryInWindow(memory, wallFrom, wallTo),
	};
}

module.exports = { runBurst };
