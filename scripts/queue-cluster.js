// @ts-check
'use strict';

/**
 * n8n in queue mode on this machine, for scripts/queue-mode.js and test/e2e/queue-mode.test.tsx:
 * Postgres and Redis (Debian's packages, loopback, throwaway folders), an n8n main and workers,
 * each with its own user folder and the packed package installed.
 *
 *   const stops = createStopList();
 *   try {
 *     const cluster = await startQueueCluster({ runtime, tarball, scratch, stops, credentials, workflows });
 *     await cluster.main.postWebhook(path, body);
 *   } finally {
 *     await stops.stopAll();
 *   }
 *
 * Everything started is put on `stops` the moment it runs, so a start that fails halfway (or a
 * test whose beforeAll timed out) still stops what it had started.
 */

const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createN8nHome, getFreePort } = require('./n8n-cli');

/**
 * What each worker logs when it takes an execution: 2.x "Worker started execution 12 (job 7)",
 * 1.x "Start job: 7 (Workflow ID: … | Execution: 12)".
 */
const WORKER_STARTED_EXECUTION = /(?:Worker started execution |Start job: \d+ \(Workflow ID: \S+ \| Execution: )(\d+)/g;

/**
 * Stops in reverse order of starting. Once stopAll has begun, anything added is stopped at once:
 * a start still under way when a test gives up cannot leave a process behind.
 */
function createStopList() {
	/** @type {Array<() => unknown>} */
	const stops = [];
	let closed = false;
	return {
		/** @param {() => unknown} stop */
		async add(stop) {
			if (closed) await stop();
			else stops.push(stop);
		},
		async stopAll() {
			closed = true;
			const errors = [];
			for (let stop = stops.pop(); stop; stop = stops.pop()) {
				try {
					await stop();
				} catch (error) {
					errors.push(error);
				}
			}
			if (errors.length) throw new AggregateError(errors, `stopping the queue-mode cluster: ${errors.map(String).join('; ')}`);
		},
	};
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
	const logFile = path.join(dir, 'server.log');
	const client = (/** @type {string} */ command, /** @type {string[]} */ args) =>
		execFileSync(path.join(bin, command), ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', ...args], { maxBuffer: 1 << 30 }).toString('latin1');
	try {
		asOwner('initdb', ['-D', data, '-U', 'n8n', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
		asOwner('pg_ctl', ['-D', data, '-l', logFile, '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
		client('createdb', ['n8n']);
	} catch (error) {
		// pg_ctl may have started the server before createdb failed; stop says so when it had not.
		try {
			asOwner('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
		} catch {
			/* never started */
		}
		fs.rmSync(dir, { recursive: true, force: true });
		throw error;
	}
	return {
		port,
		dump: () => client('pg_dump', ['n8n']),
		/** Rows of `sql` as arrays of text fields (psql's unaligned output, tab-separated). @param {string} sql */
		query: (sql) =>
			client('psql', ['-d', 'n8n', '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql])
				.split('\n')
				.filter(Boolean)
				.map((line) => line.split('\t')),
		log: () => fs.readFileSync(logFile, 'latin1'),
		stop: () => {
			asOwner('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

async function startRedis() {
	const port = await getFreePort();
	const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout.setEncoding('utf8').on('data', (d) => (output += d));
	child.stderr.setEncoding('utf8').on('data', (d) => (output += d));
	const exited = new Promise((resolve) => child.once('exit', resolve));
	await new Promise((resolve, reject) => {
		child.once('error', () => reject(new Error('redis-server is not installed: apt-get install redis-server')));
		child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready\n${output}`)));
		const ready = () => (/Ready to accept connections/.test(output) ? resolve(undefined) : undefined);
		child.stdout.on('data', ready);
	});
	return {
		port,
		log: () => output,
		stop: () => {
			child.kill('SIGTERM');
			return exited;
		},
	};
}

/**
 * @typedef {ReturnType<typeof createStopList>} StopList
 * @typedef {Awaited<ReturnType<ReturnType<typeof createN8nHome>['startWorker']>>} Worker
 */

/**
 * Postgres, Redis, a main with `credentials` and `workflows` imported and active (its webhooks
 * registered), and `workers` workers with `concurrency` each.
 * @param {{
 *   runtime: import('./n8n-cli').Runtime,
 *   tarball: string,
 *   scratch: string,
 *   stops: StopList,
 *   credentials?: Array<{ id: string, name: string, type: string, data: Record<string, unknown> }>,
 *   workflows?: Array<Record<string, any>>,
 *   webhookPaths?: string[],
 *   workers?: number,
 *   concurrency?: number,
 *   env?: Record<string, string>,
 * }} options
 */
async function startQueueCluster({ runtime, tarball, scratch, stops, credentials = [], workflows = [], webhookPaths = [], workers: workerCount = 2, concurrency = 10, env: extraEnv = {} }) {
	const postgres = await startPostgres();
	await stops.add(postgres.stop);
	const redis = await startRedis();
	await stops.add(redis.stop);
	const env = {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_USER: 'n8n',
		DB_POSTGRESDB_DATABASE: 'n8n',
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		// 2.x's MCP registry module calls out at start; nothing here reaches the internet (1.x has no
		// such module and refuses to start when asked to disable it).
		...(Number(runtime.n8nVersion.split('.')[0]) >= 2 ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
		...extraEnv,
	};
	const encryptionKey = crypto.randomBytes(24).toString('hex');
	const homes = Array.from({ length: 1 + workerCount }, () => createN8nHome({ runtime, env, encryptionKey, userFolder: fs.mkdtempSync(path.join(scratch, 'n8n-')) }));
	for (const home of homes) await home.installCommunityPackage(tarball);
	const [mainHome, ...workerHomes] = homes;
	if (credentials.length) await mainHome.importCredentials(credentials);
	const workflowIds = workflows.length ? await mainHome.importWorkflow(workflows) : [];
	for (const id of workflowIds) await mainHome.activateWorkflow(id);
	/** The logs of processes since replaced, for the key check. @type {Array<{ name: string, text: string }>} */
	const pastLogs = [];
	const cluster = {
		postgres,
		redis,
		main: await mainHome.startEditor(),
		mainHome,
		workerHomes,
		/** @type {Worker[]} */
		workers: [],
		workflowIds,
		/** (Re)starts worker `i` on its own folder, e.g. after it was killed. @param {number} i */
		startWorker: async (i) => {
			const old = cluster.workers[i];
			if (old) pastLogs.push({ name: `worker ${i + 1} log, before its restart`, text: old.output() });
			const worker = await workerHomes[i].startWorker({ concurrency });
			await stops.add(worker.stop);
			cluster.workers[i] = worker;
			return worker;
		},
		/**
		 * Stops the main and starts it again, e.g. so that it registers the webhooks of workflows
		 * imported since. @param {string[]} [paths] webhooks to wait for
		 */
		restartMain: async (paths = webhookPaths) => {
			await cluster.main.stop();
			pastLogs.push({ name: 'main log, before its restart', text: cluster.main.output() });
			cluster.main = await mainHome.startEditor();
			await stops.add(cluster.main.stop);
			for (const webhookPath of paths) await cluster.main.waitForWebhook(webhookPath);
		},
		/** The executions worker `i` has taken (its current process), by execution id. @param {number} i */
		executionsOf: (/** @type {number} */ i) => [...cluster.workers[i].output().matchAll(WORKER_STARTED_EXECUTION)].map((m) => m[1]),
		/** Every process's log, by name, to look for what must not be there. */
		logs: () => [
			{ name: 'main log', text: cluster.main.output() },
			...cluster.workers.map((worker, i) => ({ name: `worker ${i + 1} log`, text: worker.output() })),
			...pastLogs,
			{ name: 'Postgres log', text: postgres.log() },
			{ name: 'Redis log', text: redis.log() },
		],
	};
	await stops.add(cluster.main.stop);
	for (let i = 0; i < workerCount; i++) await cluster.startWorker(i);
	for (const webhookPath of webhookPaths) await cluster.main.waitForWebhook(webhookPath);
	return cluster;
}

module.exports = { createStopList, startPostgres, startRedis, startQueueCluster };
