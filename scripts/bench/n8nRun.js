// @ts-check
'use strict';

// Runs one imported workflow with `n8n execute` (one boot per run), samples the n8n main
// process's memory meanwhile, and reads timings and results out of n8n's run data.

const { startMemorySampler } = require('./procMemory');
const { QWEN_NODE, DIY_NODES } = require('./workflows');

const MB = 1024; // kB per MB (RSS is read in kB)

/**
 * @param {ReturnType<import('../n8n-cli').createN8nHome>} home
 * @param {string} workflowId
 * @param {{ timeoutMs: number }} o
 */
async function executeSampled(home, workflowId, { timeoutMs }) {
	const sampler = startMemorySampler(`--id=${workflowId}`);
	const launchedAt = Date.now();
	const result = await home.execute(workflowId, { timeoutMs, logLevel: 'info' }).finally(() => sampler.stop());
	return { result, memory: sampler.stop(), launchedAt, exitedAt: Date.now() };
}

/** @param {any} task an ITaskData */
const endOf = (task) => task.startTime + task.executionTime;

/** Output items of every run of a node that carry binary data. @param {any[] | undefined} runs */
function itemsWithBinary(runs) {
	let n = 0;
	for (const run of runs ?? []) for (const item of run.data?.main?.[0] ?? []) if (item.binary && Object.keys(item.binary).length) n++;
	return n;
}

/**
 * Memory over the execution window [startedAt, stoppedAt] (n8n's own timestamps for the
 * execution, boot excluded), in MB.
 * @param {{ samples: Array<{ at: number, rssKb: number, childrenRssKb: number }>, hwmKb: number }} memory
 * @param {number} from
 * @param {number} to
 */
function memoryInWindow(memory, from, to) {
	const inWindow = memory.samples.filter((s) => s.at >= from && s.at <= to);
	const before = memory.samples.filter((s) => s.at < from);
	const peak = inWindow.length ? Math.max(...inWindow.map((s) => s.rssKb)) : null;
	return {
		peakRssMb: peak === null ? null : peak / MB,
		preRunRssMb: before.length ? before[before.length - 1].rssKb / MB : null,
		hwmMb: memory.hwmKb / MB,
		runnerPeakRssMb: Math.max(0, ...memory.samples.map((s) => s.childrenRssKb)) / MB,
		samplesInWindow: inWindow.length,
	};
}

/**
 * Timings and outcome of one execution, for (a) or (c).
 * @param {'node' | 'diy'} approach
 * @param {Awaited<ReturnType<typeof executeSampled>>} ex
 * @param {number} items
 */
function readExecution(approach, ex, items) {
	const { result } = ex;
	const run = result.run;
	const runData = result.runData ?? {};
	const startedAt = run ? Date.parse(run.startedAt) : ex.launchedAt;
	const stoppedAt = run && run.stoppedAt ? Date.parse(run.stoppedAt) : ex.exitedAt;
	const firstNode = approach === 'node' ? QWEN_NODE : DIY_NODES.submit;
	const lastNode = approach === 'node' ? QWEN_NODE : DIY_NODES.download;
	const firstRuns = runData[firstNode] ?? [];
	const lastRuns = runData[lastNode] ?? [];
	const succeeded = itemsWithBinary(lastRuns);
	const wallFrom = firstRuns.length ? firstRuns[0].startTime : null;
	// A finished run ends with the last run of its last node; a failed one when n8n stopped it.
	const wallTo = result.ok && lastRuns.length ? Math.max(...lastRuns.map(endOf)) : stoppedAt;
	return {
		ok: result.ok,
		error: result.errorMessage ?? (result.timedOut ? 'n8n execute timed out' : undefined),
		failedNode: result.ok ? undefined : result.lastNodeExecuted,
		succeeded,
		failed: items - succeeded,
		wallMs: wallFrom === null ? null : wallTo - wallFrom,
		wallFrom,
		wallTo: wallFrom === null ? null : wallTo,
		executionMs: stoppedAt - startedAt,
		bootMs: startedAt - ex.launchedAt,
		nodeRuns: Object.fromEntries(Object.entries(runData).map(([name, runs]) => [name, /** @type {any[]} */ (runs).length])),
		memory: memoryInWindow(ex.memory, startedAt, stoppedAt),
		crashedOnExit: result.crashedOnExit,
		exitCode: result.exitCode,
		signal: result.signal,
	};
}

module.exports = { executeSampled, readExecution, memoryInWindow };
