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

const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { prepareRuntime } = require('./n8n-runtime');
const { createN8nHome, getFreePort, newWorkflowId } = require('./n8n-cli');
const { packPackage } = require('./pack');
const { sandboxMetrics } = require('./bench/metrics');
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

/** PostgreSQL's server binaries: Debian keeps them out of PATH. */
function postgresBin() {
	const root = '/usr/lib/postgresql';
	const version = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a))[0] : undefined;
	if (!version) throw new Error('PostgreSQL is not installed: apt-get install postgresql');
	return path.join(root, version, 'bin');
}

/** A throwaway Postgres cluster on loopback; initdb refuses root, so it then runs as `postgres`. */
async function startPostgres() {
	const bin = postgresBin();
	const port = await getFreePort();
	const asRoot = process.getuid?.() === 0;
	const asOwner = (/** @type {string} */ command, /** @type {string[]} */ args) =>
		asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args]) : execFileSync(path.join(bin, command), args);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixeldojo-postgres-'));
	if (asRoot) execFileSync('chown', ['postgres', dir]);
	const data = path.join(dir, 'data');
	asOwner('initdb', ['-D', data, '-U', 'n8n', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
	asOwner('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
	execFileSync(path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', 'n8n']);
	return {
		port,
		dump: () => execFileSync(path.join(bin, 'pg_dump'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', 'n8n'], { maxBuffer: 1 << 30 }).toString('latin1'),
		stop: () => {
			asOwner('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

async function startRedis() {
	const port = await getFreePort();
	const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
	await new Promise((resolve, reject) => {
		child.once('error', () => reject(new Error('redis-server is not installed: apt-get install redis-server')));
		child.once('spawn', resolve);
	});
	const exited = new Promise((resolve) => child.once('exit', resolve));
	return {
		port,
		stop: () => {
			child.kill('SIGTERM');
			return exited;
		},
	};
}

/** @param {number | null} ms */
const seconds = (ms) => (ms === null ? null : Number((ms / 1000).toFixed(2)));

async function main() {
	const args = parseArgs(process.argv.slice(2));
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pixeldojo-queue-'));
	/** @type {Array<() => unknown>} */
	const stops = [];
	try {
		const postgres = await startPostgres();
		stops.push(postgres.stop);
		const redis = await startRedis();
		stops.push(redis.stop);
		const sandbox = await startSandbox({ jobDurationMs: { distribution: 'uniform', min: 1000, max: 2000, seed: 9 }, ...REGIMES[args.regime] });
		stops.push(() => sandbox.close());
		const runtime = await prepareRuntime(process.env.PIXELDOJO_N8N_VERSION ? { n8nVersion: process.env.PIXELDOJO_N8N_VERSION } : {});
		const { tarball } = await packPackage({ into: path.join(scratch, 'pack') });
		const env = {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_DATABASE: 'n8n',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			// The main's MCP registry module calls out at start; nothing here reaches the internet.
			N8N_DISABLED_MODULES: 'mcp-registry',
		};
		const encryptionKey = crypto.randomBytes(24).toString('hex');
		const homes = Array.from({ length: 1 + WORKERS }, () => createN8nHome({ runtime, env, encryptionKey, userFolder: fs.mkdtempSync(path.join(scratch, 'n8n-')) }));
		for (const home of homes) await home.installCommunityPackage(tarball);
		const [mainHome, ...workerHomes] = homes;
		const credential = { id: 'queueModeCred001', name: 'PixelDojo sandbox' };
		await mainHome.importCredentials([{ ...credential, type: 'pixelDojoApi', data: { apiKey: sandbox.apiKey, baseUrl: sandbox.apiUrl } }]);
		const [workflowId] = await mainHome.importWorkflow(
			webhookNodeWorkflow({
				id: newWorkflowId(),
				name: 'Queue-mode burst',
				path: WEBHOOK_PATH,
				credential,
				nodeType: 'n8n-nodes-pixeldojo.qwenImageMax',
				maxConcurrency: MAX_CONCURRENCY,
				options: args.workersSharing > 1 ? { workersSharingKey: args.workersSharing } : {},
			}),
		);
		await mainHome.activateWorkflow(workflowId);
		const editor = await mainHome.startEditor();
		stops.push(() => editor.stop());
		const workers = [];
		for (const home of workerHomes) {
			const worker = await home.startWorker();
			stops.push(worker.stop);
			workers.push(worker);
		}
		await editor.waitForWebhook(WEBHOOK_PATH);

		const prompts = Array.from({ length: args.executions }, (_, i) => `queue mode: a lighthouse at dusk, take ${i}`);
		const startedAt = Date.now();
		const answers = await Promise.all(prompts.map((prompt) => editor.postWebhook(WEBHOOK_PATH, { prompt })));
		const wallMs = Date.now() - startedAt;

		const stats = sandbox.stats();
		const sha256 = (/** @type {Buffer} */ bytes) => crypto.createHash('sha256').update(bytes).digest('hex');
		const jobOfImage = new Map(stats.images.filter((image) => image.complete).map((image) => [image.sha256, /\/images\/(.+)-\d+\.\w+$/.exec(image.path)?.[1]]));
		const promptOfJob = new Map(stats.jobs.map((job) => [job.jobId, job.body.prompt]));
		const ownImage = answers.filter((answer, i) => answer.status === 200 && promptOfJob.get(jobOfImage.get(sha256(answer.body)) ?? '') === prompts[i]);
		const metrics = sandboxMetrics(stats, prompts.length);
		const database = postgres.dump();
		const keySeenIn = [
			['Postgres', database],
			['main log', editor.output()],
			...workers.map((worker, i) => [`worker ${i + 1} log`, worker.output()]),
		].filter(([, text]) => text.includes(sandbox.apiKey)).map(([where]) => where);
		const summary = {
			n8n: runtime.n8nVersion,
			regime: args.regime,
			executions: args.executions,
			workersSharingTheKey: args.workersSharing,
			wallSeconds: seconds(wallMs),
			answeredWithOwnImage: ownImage.length,
			executionsPerWorker: workers.map((worker) => (worker.output().match(/Worker started execution/g) ?? []).length),
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
		for (const stop of stops.reverse()) await stop();
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
