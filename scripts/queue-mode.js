#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * n8n in queue mode on this machine, the way an operator runs it: Postgres and Redis (Debian's
 * packages, loopback, throwaway folders), an n8n main and two workers (concurrency 10) with the
 * packed package installed on each, a Webhook → Generate and Wait workflow, and N webhook calls
 * at once against the sandbox. Prints what came back and what the sandbox saw, as JSON.
 *
 *   node scripts/queue-mode.js [--regime rate|capacity] [--executions 20] [--workers-sharing 1]
 *
 * rate: 60 requests a minute, announced by 429 + Retry-After only (as the vendor documents);
 * capacity: PixelDojo runs 5 jobs of the key at once and queues the rest. Jobs take 1-2 s.
 * Needs n8n 2.x (PIXELDOJO_N8N_VERSION, default the e2e's 2.x), `redis-server` and PostgreSQL's
 * server binaries (`apt-get install redis-server postgresql`), and `npm run build` first.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { prepareRuntime } = require('./n8n-runtime');
const { newWorkflowId } = require('./n8n-cli');
const { packPackage } = require('./pack');
const { createStopList, startQueueCluster } = require('./queue-cluster');
const { sandboxMetrics, promptOfImage } = require('./bench/metrics');
const { webhookNodeWorkflow } = require('./bench/workflows');
const { startSandbox } = require('../test/sandbox/server');

const WORKERS = 2;
const WEBHOOK_PATH = 'qwen-queue';
/** The node's default, as an operator leaves it. */
const MAX_CONCURRENCY = 5;
const REGIMES = {
	rate: { rateLimit: { requestsPerMinute: 60, headers: false } },
	capacity: { capacity: 5 },
};

/** @param {string[]} argv */
function parseArgs(argv) {
	const args = { regime: /** @type {keyof REGIMES} */ ('rate'), executions: 20, workersSharing: 1 };
	for (let i = 0; i < argv.length; i += 2) {
		const [flag, value] = [argv[i], argv[i + 1]];
		if (flag === '--regime' && (value === 'rate' || value === 'capacity')) args.regime = value;
		else if (flag === '--executions' && Number(value) > 0) args.executions = Number(value);
		else if (flag === '--workers-sharing' && Number(value) > 0) args.workersSharing = Number(value);
		else throw new Error(`Unknown argument ${flag} ${value ?? ''} (use --regime rate|capacity, --executions N, --workers-sharing N)`);
	}
	return args;
}

/** @param {number | null} ms */
const seconds = (ms) => (ms === null ? null : Number((ms / 1000).toFixed(2)));

async function main() {
	const args = parseArgs(process.argv.slice(2));
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pixeldojo-queue-'));
	const stops = createStopList();
	try {
		const sandbox = await startSandbox({ jobDurationMs: { distribution: 'uniform', min: 1000, max: 2000, seed: 9 }, ...REGIMES[args.regime] });
		await stops.add(() => sandbox.close());
		const runtime = await prepareRuntime(process.env.PIXELDOJO_N8N_VERSION ? { n8nVersion: process.env.PIXELDOJO_N8N_VERSION } : {});
		const { tarball } = await packPackage({ into: path.join(scratch, 'pack') });
		const credential = { id: 'queueModeCred001', name: 'PixelDojo sandbox' };
		const { postgres, main: editor, workers, executionsOf, logs } = await startQueueCluster({
			runtime,
			tarball,
			scratch,
			stops,
			workers: WORKERS,
			credentials: [{ ...credential, type: 'pixelDojoApi', data: { apiKey: sandbox.apiKey, baseUrl: sandbox.apiUrl } }],
			workflows: [
				webhookNodeWorkflow({
					id: newWorkflowId(),
					name: 'Queue-mode burst',
					path: WEBHOOK_PATH,
					credential,
					nodeType: 'n8n-nodes-pixeldojo.qwenImageMax',
					maxConcurrency: MAX_CONCURRENCY,
					options: args.workersSharing > 1 ? { workersSharingKey: args.workersSharing } : {},
				}),
			],
			webhookPaths: [WEBHOOK_PATH],
		});

		const prompts = Array.from({ length: args.executions }, (_, i) => `queue mode: a lighthouse at dusk, take ${i}`);
		const startedAt = Date.now();
		const answers = await Promise.all(prompts.map((prompt) => editor.postWebhook(WEBHOOK_PATH, { prompt })));
		const wallMs = Date.now() - startedAt;

		const stats = sandbox.stats();
		const promptOf = promptOfImage(stats);
		const ownImage = answers.filter((answer, i) => answer.status === 200 && promptOf(answer.body) === prompts[i]);
		const metrics = sandboxMetrics(stats, prompts.length);
		const database = postgres.dump();
		const keySeenIn = [{ name: 'Postgres', text: database }, ...logs()].filter(({ text }) => text.includes(sandbox.apiKey)).map(({ name }) => name);
		const summary = {
			n8n: runtime.n8nVersion,
			regime: args.regime,
			executions: args.executions,
			workersSharingTheKey: args.workersSharing,
			wallSeconds: seconds(wallMs),
			answeredWithOwnImage: ownImage.length,
			executionsPerWorker: workers.map((_, i) => executionsOf(i).length),
			jobsCreated: metrics.jobsCreated,
			creditsSpent: stats.creditsSpent,
			apiRequests: metrics.apiRequests,
			requestsPerJob: Number((metrics.apiRequests / Math.max(1, metrics.jobsCreated)).toFixed(2)),
			responses429: metrics.rateLimited,
			maxJobsInFlight: metrics.maxInFlight,
			detectionP50Seconds: seconds(metrics.detectionP50Ms),
			detectionP95Seconds: seconds(metrics.detectionP95Ms),
			// The executions' data is in the dump (so the key's absence from it means something).
			promptsInPostgres: prompts.filter((prompt) => database.includes(prompt)).length,
			apiKeyInClearIn: keySeenIn,
		};
		console.log(JSON.stringify(summary, null, 2));
		return ownImage.length === prompts.length && keySeenIn.length === 0;
	} finally {
		await stops.stopAll();
		fs.rmSync(scratch, { recursive: true, force: true });
	}
}

main().then(
	(ok) => process.exit(ok ? 0 : 1),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
