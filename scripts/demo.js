#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `npm run demo`: runs examples/bulk-demo.json (a dozen prompts) headless in real n8n against the
 * local sandbox; the workflow's own Write Files node puts the images in ./output/.
 */

const path = require('node:path');
const { setUpDevN8n, startDevSandbox } = require('./dev-n8n');

const REPO = path.resolve(__dirname, '..');
const OUTPUT_DIR = path.join(REPO, 'output');
const DEMO = 'bulk-demo.json';

/** @param {any} runData @param {string} nodeName @param {number} [output] @returns {Array<{ json: Record<string, any> }>} */
const itemsOf = (runData, nodeName, output = 0) => runData?.[nodeName]?.[0]?.data?.main?.[output] ?? [];

/** @param {number} ms */
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
	const started = Date.now();
	const sandbox = await startDevSandbox();
	let home;
	try {
		const setup = await setUpDevN8n({ apiKey: sandbox.apiKey, baseUrl: sandbox.apiUrl, outputDir: OUTPUT_DIR, examples: [DEMO] });
		home = setup.home;
		process.stderr.write(`[pixeldojo] running ${DEMO} in n8n ${setup.runtime.n8nVersion} against the sandbox (jobs take 1-4 s)\n`);
		const run = await home.execute(setup.workflowIds[DEMO], { timeoutMs: 600_000 });
		if (!run.ok) throw new Error(`the demo workflow failed: ${run.errorMessage}\n${(run.stdout + run.stderr).slice(-3000)}`);

		const images = itemsOf(run.runData, 'Generate Images');
		const files = itemsOf(run.runData, 'Write Image Files').map((item) => path.relative(REPO, item.json.fileName));
		// The workflow's error output: prompts that failed, each with its error, code and job ID.
		const failed = itemsOf(run.runData, 'Generate Images', 1);
		const creditByJob = new Map(images.map((item) => [item.json.jobId, Number(item.json.creditCost) || 0]));
		const workflowMs = new Date(run.run.stoppedAt).getTime() - new Date(run.run.startedAt).getTime();
		process.stdout.write(
			[
				'',
				...files.map((file) => `  ${file}`),
				...failed.map(({ json: { error } }) => `  failed: ${error.message} (code ${error.code}, job ${error.jobId ?? 'none'})`),
				'',
				`  jobs: ${creditByJob.size}   images: ${images.length}   credits spent: ${[...creditByJob.values()].reduce((a, b) => a + b, 0)}`,
				`  workflow: ${seconds(workflowMs)}   total with n8n setup: ${seconds(Date.now() - started)}`,
				'',
			].join('\n'),
		);
	} finally {
		home?.cleanup();
		await sandbox.close();
	}
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
	process.exit(1);
});
