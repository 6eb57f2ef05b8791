// @ts-check
'use strict';

/**
 * Drives a real n8n runtime (see ./n8n-runtime.js) headless, with our package loaded, for
 * end-to-end tests.
 *
 *   const { prepareRuntime } = require('./n8n-runtime');
 *   const { createN8nHome } = require('./n8n-cli');
 *   const home = createN8nHome({ runtime: await prepareRuntime(), customExtensions: [repoDir] });
 *   await home.importCredentials([{ id, name, type: 'pixelDojoApi', data: { apiKey } }]);
 *   const [id] = await home.importWorkflow(workflowJson);
 *   const { runData, run, error } = await home.execute(id);
 *
 * FINDINGS (checked by running n8n 2.41.1 / Node 24.21 and 1.123.81 / Node 22.22 on this machine):
 * - Both loading modes work for `execute`, `execute-batch` and the editor, on both versions, offline:
 *   1. N8N_CUSTOM_EXTENSIONS=<package dir> (createN8nHome's customExtensions) → node types are
 *      `CUSTOM.<node name>`.
 *   2. installCommunityPackage(<npm pack tarball>) → <userFolder>/.n8n/nodes/node_modules/<name>
 *      (+ .n8n/nodes/package.json) → node types are `<package name>.<node name>`, e.g.
 *      `n8n-nodes-pixeldojo.qwenImageMax`. n8n scans that folder at every boot for `n8n-nodes-*` /
 *      `@scope/n8n-nodes-*` folders (community packages are enabled by default). Packages put there
 *      by hand are not in n8n's `installed_packages` table, so n8n never tries to (re)install
 *      anything from npm. Credentials keep their own name in both modes.
 * - Every command boots n8n (execute: ~4-7 s idle, 10-20 s on a loaded machine; the first
 *   command in a fresh home also runs the DB migrations). `execute --file` is gone in 2.x, so
 *   workflows are imported first (each gets an id here if it has none).
 * - 2.x prints `execute --rawOutput`'s JSON through its logger at level info: with
 *   N8N_LOG_LEVEL=warn it prints nothing at all. Failed runs print their run data at info level
 *   on both versions. So execute/import run at `info` (others at `warn`), and the JSON is dug out
 *   of the surrounding log lines.
 * - 2.x always starts a task-runner broker (default port 5679) for execute/start: each command
 *   gets its own free N8N_RUNNERS_BROKER_PORT, so several homes can run in parallel.
 * - Both versions default to the isolated-vm expression engine (N8N_EXPRESSION_ENGINE=vm), which
 *   now and then (often on a busy machine) segfaults while n8n exits, *after* the run data has
 *   been printed: `execute` reports that as `crashedOnExit` with `ok` still true, imports accept
 *   it when n8n already said "Successfully imported". N8N_EXPRESSION_ENGINE=legacy (pass it in
 *   `env`) avoids the crash (0 of 10 runs under load, against 3 of 5 with `vm`).
 * - /healthz answers before n8n is ready: startEditor waits for /healthz/readiness and for the
 *   REST routes.
 * - Binary data (see readBinary): 2.x stores it in filesystem mode by default, in
 *   <userFolder>/.n8n/storage/workflows/<workflow id>/executions/<execution id>/binary_data/<uuid>,
 *   and the run data carries { id: 'filesystem-v2:workflows/…', data: 'filesystem-v2', fileName,
 *   mimeType, fileExtension, fileType, fileSize: '13 B', bytes: 13 }. 1.x keeps it in memory by
 *   default ({ data: <base64>, fileName, mimeType, fileSize }, no id, no bytes); with
 *   N8N_DEFAULT_BINARY_DATA_MODE=filesystem it goes to <userFolder>/.n8n/binaryData/….
 */

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

/**
 * @typedef {{ dir: string, nodeBin: string, n8nBin: string, n8nVersion: string, nodeVersion: string }} Runtime
 * @typedef {{ stdout: string, stderr: string, exitCode: number | null, signal: NodeJS.Signals | null, timedOut: boolean, durationMs: number }} RunResult
 */

/**
 * isolated-vm (n8n's default expression engine) documents that Node >= 20 must run with
 * `--no-node-snapshot`. (It does not cure the exit-time segfault described above.)
 */
const NODE_FLAGS = ['--no-node-snapshot'];

/** @type {Set<import('node:child_process').ChildProcess>} */
const liveChildren = new Set();
process.on('exit', () => {
	for (const child of liveChildren) killGroup(child);
});

/**
 * SIGKILL to the child's process group when it leads one (servers do), else to the child alone.
 * @param {import('node:child_process').ChildProcess} child
 */
function killGroup(child) {
	try {
		if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
	} catch {
		try {
			child.kill('SIGKILL');
		} catch {
			/* already gone */
		}
	}
}

/** @returns {Promise<number>} */
function getFreePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = typeof addr === 'object' && addr ? addr.port : 0;
			srv.close(() => resolve(port));
		});
	});
}

/** n8n-style workflow id: 16 alphanumerics, always containing a digit (execute-batch drops ids without one). */
function newWorkflowId() {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	const bytes = crypto.randomBytes(15);
	let id = '';
	for (const b of bytes) id += alphabet[b % alphabet.length];
	return id + String(crypto.randomInt(10));
}

/**
 * Finds and parses a JSON document printed somewhere in `text` (log lines may come before or
 * after it). Tries every line that starts with `{` or `[`, scans to the matching closing bracket,
 * and returns the first candidate that parses and satisfies `accept`.
 * @param {string} text
 * @param {(value: any) => boolean} [accept]
 * @returns {any} the parsed value, or undefined
 */
function parseJsonFromOutput(text, accept = () => true) {
	if (!text) return undefined;
	try {
		const whole = JSON.parse(text);
		if (accept(whole)) return whole;
	} catch {
		/* not pure JSON */
	}
	const starts = [];
	const re = /^[ \t]*[{[]/gm;
	let m;
	while ((m = re.exec(text))) starts.push(m.index + m[0].length - 1);
	for (const start of starts) {
		const end = matchingBracket(text, start);
		if (end < 0) continue;
		try {
			const value = JSON.parse(text.slice(start, end + 1));
			if (accept(value)) return value;
		} catch {
			/* not JSON */
		}
	}
	return undefined;
}

/** @param {string} text @param {number} start index of `{` or `[` @returns {number} index of its match, or -1 */
function matchingBracket(text, start) {
	let depth = 0;
	let inString = false;
	for (let i = start; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			if (c === '\\') i++;
			else if (c === '"') inString = false;
			continue;
		}
		if (c === '"') inString = true;
		else if (c === '{' || c === '[') depth++;
		else if (c === '}' || c === ']') {
			depth--;
			if (depth === 0) return i;
		}
	}
	return -1;
}

/**
 * Copies `base` and applies each layer in turn; an `undefined` value removes the variable.
 * @param {Record<string, string>} base
 * @param {...Record<string, string | undefined>} layers
 * @returns {Record<string, string>}
 */
function mergeEnv(base, ...layers) {
	/** @type {Record<string, string>} */
	const out = { ...base };
	for (const layer of layers) {
		for (const [k, v] of Object.entries(layer)) {
			if (v === undefined) delete out[k];
			else out[k] = v;
		}
	}
	return out;
}

/** @param {string} s @param {number} [n] */
const tail = (s, n = 3000) => (s.length > n ? '…' + s.slice(-n) : s);

/**
 * Creates an isolated n8n "home" (its own user folder, SQLite DB, encryption key).
 * @param {{
 *   runtime: Runtime,
 *   customExtensions?: string[],
 *   env?: Record<string, string | undefined>,
 *   userFolder?: string,
 *   encryptionKey?: string,
 * }} options
 */
function createN8nHome({ runtime, customExtensions = [], env = {}, userFolder, encryptionKey }) {
	if (!runtime || !runtime.nodeBin || !runtime.n8nBin) throw new Error('createN8nHome: `runtime` from prepareRuntime() is required');
	const folder = userFolder || fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-home-'));
	fs.mkdirSync(folder, { recursive: true });
	const n8nFolder = path.join(folder, '.n8n');
	const workDir = path.join(folder, 'work');
	fs.mkdirSync(workDir, { recursive: true });
	const key = encryptionKey || crypto.randomBytes(24).toString('hex');
	let fileCounter = 0;

	/** @type {Record<string, string>} */
	const inherited = {};
	for (const [k, v] of Object.entries(process.env)) {
		// Never leak the outer process's n8n/DB settings (or jest's NODE_OPTIONS) into the instance.
		if (v !== undefined && !/^(N8N_|DB_|EXECUTIONS_|QUEUE_|GENERIC_|NODE_OPTIONS$|NODE_PATH$)/.test(k)) inherited[k] = v;
	}
	const baseEnv = mergeEnv(
		inherited,
		{
			PATH: `${path.dirname(runtime.nodeBin)}${path.delimiter}${process.env.PATH || ''}`,
			N8N_USER_FOLDER: folder,
			N8N_ENCRYPTION_KEY: key,
			N8N_LOG_LEVEL: 'warn',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
			N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			EXTERNAL_FRONTEND_HOOKS_URLS: '',
			N8N_SECURE_COOKIE: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_REINSTALL_MISSING_PACKAGES: 'false',
			// Task runners are left at n8n's defaults: 2.x always runs an internal JS runner (and calls
			// N8N_RUNNERS_ENABLED / N8N_RUNNERS_MODE deprecated if set); 1.x runs without runners.
			NODE_ENV: 'production',
		},
		customExtensions.length ? { N8N_CUSTOM_EXTENSIONS: customExtensions.map((d) => path.resolve(d)).join(';') } : {},
		env,
	);

	/** @param {string} name @param {unknown} data */
	function writeWorkFile(name, data) {
		const file = path.join(workDir, `${String(++fileCounter).padStart(3, '0')}-${name}`);
		fs.writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data, null, 2));
		return file;
	}

	/**
	 * Runs `n8n <args>` in this home.
	 * @param {string[]} args
	 * @param {{ timeoutMs?: number, env?: Record<string, string | undefined> }} [opts]
	 * @returns {Promise<RunResult>}
	 */
	async function run(args, { timeoutMs = 180_000, env: extraEnv = {} } = {}) {
		const childEnv = mergeEnv(baseEnv, { N8N_RUNNERS_BROKER_PORT: String(await getFreePort()) }, extraEnv);
		const started = Date.now();
		return await new Promise((resolve, reject) => {
			const child = spawn(runtime.nodeBin, [...NODE_FLAGS, runtime.n8nBin, ...args], { cwd: workDir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
			liveChildren.add(child);
			let stdout = '';
			let stderr = '';
			let timedOut = false;
			child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
			child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
			const timer = setTimeout(() => {
				timedOut = true;
				child.kill('SIGTERM');
				setTimeout(() => child.kill('SIGKILL'), 5000).unref();
			}, timeoutMs);
			child.on('error', (e) => {
				clearTimeout(timer);
				liveChildren.delete(child);
				reject(new Error(`n8n ${args[0]}: could not start ${runtime.nodeBin}: ${e.message}`));
			});
			child.on('close', (exitCode, signal) => {
				clearTimeout(timer);
				liveChildren.delete(child);
				resolve({ stdout, stderr, exitCode, signal, timedOut, durationMs: Date.now() - started });
			});
		});
	}

	/**
	 * Exit 0, or n8n 2.x's teardown SIGSEGV (see crashedOnExit) after it reported success.
	 * @param {RunResult} r
	 */
	function importSucceeded(r) {
		const out = r.stdout + r.stderr;
		if (/An error occurred while importing/.test(out)) return false;
		return r.exitCode === 0 || (r.signal === 'SIGSEGV' && /Successfully imported/.test(out));
	}

	/** @param {string} what @param {RunResult} r */
	function failure(what, r) {
		const why = r.timedOut ? `timed out after ${r.durationMs} ms` : `exit code ${r.exitCode}${r.signal ? ` (${r.signal})` : ''}`;
		return new Error(`n8n ${what} failed: ${why}\n--- stdout ---\n${tail(r.stdout)}\n--- stderr ---\n${tail(r.stderr)}`);
	}

	/**
	 * `n8n import:credentials`. `data` may be a plain object: n8n encrypts it on import.
	 * @param {Array<{ id?: string, name: string, type: string, data: Record<string, unknown> }>} credentials
	 * @returns {Promise<string[]>} the credential ids (generated where missing)
	 */
	async function importCredentials(credentials, { timeoutMs = 120_000 } = {}) {
		const list = (Array.isArray(credentials) ? credentials : [credentials]).map((c) => ({ id: c.id || newWorkflowId(), ...c }));
		const file = writeWorkFile('credentials.json', list);
		let r;
		try {
			r = await run(['import:credentials', `--input=${file}`], { timeoutMs, env: { N8N_LOG_LEVEL: 'info' } });
		} finally {
			// The secrets must live only in n8n's database, encrypted: not in a plain-text leftover.
			fs.rmSync(file, { force: true });
		}
		if (!importSucceeded(r)) throw failure('import:credentials', r);
		return list.map((c) => /** @type {string} */ (c.id));
	}

	/**
	 * `n8n import:workflow`. Accepts one workflow or an array; gives each one an id if it has none.
	 * @param {Record<string, any> | Array<Record<string, any>>} workflows
	 * @returns {Promise<string[]>} the workflow ids, in order
	 */
	async function importWorkflow(workflows, { timeoutMs = 120_000 } = {}) {
		const list = (Array.isArray(workflows) ? workflows : [workflows]).map((w) => ({
			active: false,
			connections: {},
			settings: {},
			...w,
			id: w.id || newWorkflowId(),
		}));
		const file = writeWorkFile('workflows.json', list);
		const r = await run(['import:workflow', `--input=${file}`], { timeoutMs, env: { N8N_LOG_LEVEL: 'info' } });
		if (!importSucceeded(r) || /Skipped workflow/.test(r.stdout + r.stderr)) throw failure('import:workflow', r);
		return list.map((w) => w.id);
	}

	/**
	 * Makes an imported workflow active, so `n8n start` registers its triggers (webhooks). 2.x
	 * publishes a workflow (`update:workflow --active` is deprecated there); 1.x sets it active.
	 * @param {string} workflowId
	 */
	async function activateWorkflow(workflowId, { timeoutMs = 120_000 } = {}) {
		const major = Number(runtime.n8nVersion.split('.')[0]);
		const args = major >= 2 ? ['publish:workflow', `--id=${workflowId}`] : ['update:workflow', `--id=${workflowId}`, '--active=true'];
		const r = await run(args, { timeoutMs, env: { N8N_LOG_LEVEL: 'info' } });
		if (r.exitCode !== 0 && r.signal !== 'SIGSEGV') throw failure(args[0], r);
	}

	/**
	 * `n8n execute --id=<id> --rawOutput`, with the run parsed.
	 * @param {string} workflowId
	 * @param {{ timeoutMs?: number, logLevel?: string, env?: Record<string, string | undefined> }} [opts]
	 */
	async function execute(workflowId, { timeoutMs = 180_000, logLevel = 'info', env: extraEnv = {} } = {}) {
		const r = await run(['execute', `--id=${workflowId}`, '--rawOutput'], { timeoutMs, env: { N8N_LOG_LEVEL: logLevel, ...extraEnv } });
		const run_ = parseJsonFromOutput(r.stdout, (v) => v && typeof v === 'object' && v.data && v.data.resultData) ??
			parseJsonFromOutput(r.stderr, (v) => v && typeof v === 'object' && v.data && v.data.resultData);
		const resultData = run_ ? run_.data.resultData : undefined;
		// n8n 2.x sometimes segfaults while tearing down its isolated-vm expression pool, after the
		// run data has been printed in full (more often on a busy machine). The run itself is done.
		const crashedOnExit = r.signal === 'SIGSEGV' && !!run_;
		// When n8n fails before running (e.g. unknown node type) there is no run data, only a message.
		const m = /Execution error:\n(?:=+\n)?([^\n]+)/.exec(r.stdout + '\n' + r.stderr);
		return {
			/** the whole IRun printed by n8n (status, startedAt, data.resultData...), if found */
			run: run_,
			/** run.data.resultData.runData: { [nodeName]: ITaskData[] } */
			runData: resultData ? resultData.runData : undefined,
			/** run.data.resultData.error (a failed execution), if any */
			error: resultData ? resultData.error : undefined,
			lastNodeExecuted: resultData ? resultData.lastNodeExecuted : undefined,
			/** n8n's error message when it failed (with or without run data) */
			errorMessage: resultData && resultData.error ? resultData.error.message : m ? m[1] : undefined,
			/** the workflow ran to the end without error (exit code 0, or crashedOnExit) */
			ok: !!run_ && !resultData.error && (r.exitCode === 0 || crashedOnExit),
			crashedOnExit,
			...r,
		};
	}

	/**
	 * `n8n execute-batch --ids=... --snapshot=<dir> --output=<file> --retries=0`: several workflows
	 * in one boot. Full run data is only available for successful runs (n8n writes a snapshot for
	 * those); failed ones only carry n8n's error summary string.
	 * @param {string[]} workflowIds
	 * @param {{ timeoutMs?: number, concurrency?: number }} [opts]
	 */
	async function executeBatch(workflowIds, { timeoutMs = 600_000, concurrency = 1 } = {}) {
		const ids = workflowIds.map(String);
		const bad = ids.filter((id) => !/\d/.test(id));
		// execute-batch silently drops ids without a digit, and runs EVERY workflow if none is left.
		if (bad.length || !ids.length) throw new Error(`executeBatch: each id must contain a digit (n8n quirk); got ${JSON.stringify(ids)}`);
		const batchDir = fs.mkdtempSync(path.join(workDir, 'batch-'));
		const snapDir = path.join(batchDir, 'snapshots');
		fs.mkdirSync(snapDir);
		const outFile = path.join(batchDir, 'output.json');
		const r = await run(
			['execute-batch', `--ids=${ids.join(',')}`, `--snapshot=${snapDir}`, `--output=${outFile}`, '--retries=0', `--concurrency=${concurrency}`],
			{ timeoutMs },
		);
		/** @type {any} */
		let output;
		try {
			output = JSON.parse(fs.readFileSync(outFile, 'utf8'));
		} catch {
			throw failure('execute-batch (no output file)', r);
		}
		/** @type {Record<string, any>} */
		const results = {};
		for (const id of ids) {
			const summary = (output.executions || []).find((/** @type {any} */ e) => String(e.workflowId) === id);
			let runJson;
			try {
				runJson = JSON.parse(fs.readFileSync(path.join(snapDir, `${id}-snapshot.json`), 'utf8'));
			} catch {
				runJson = undefined;
			}
			results[id] = {
				status: summary ? summary.executionStatus : 'not-run',
				error: summary ? summary.error : undefined,
				executionTime: summary ? summary.executionTime : undefined,
				run: runJson,
				runData: runJson ? runJson.data.resultData.runData : undefined,
			};
		}
		return { results, summary: output.summary, ...r };
	}

	/**
	 * `n8n start` (editor + REST API) on `port` (default: a free one); resolves once
	 * /healthz/readiness answers 200 (plain /healthz is up before n8n is ready).
	 * @param {{ port?: number, timeoutMs?: number, env?: Record<string, string | undefined> }} [opts]
	 */
	async function startEditor({ port, timeoutMs = 180_000, env: extraEnv = {} } = {}) {
		const p = port || (await getFreePort());
		const started = Date.now();
		const { process: child, output, exited: hasExited, stop, crash } = await spawnServer(['start'], { N8N_PORT: String(p), N8N_HOST: 'localhost', N8N_LISTEN_ADDRESS: '127.0.0.1', ...extraEnv });
		const url = `http://localhost:${p}`;
		for (;;) {
			if (hasExited()) throw new Error(`n8n start exited early (${JSON.stringify(hasExited())})\n${tail(output())}`);
			if (Date.now() - started > timeoutMs) {
				await stop();
				throw new Error(`n8n start: ${url}/healthz did not answer within ${timeoutMs} ms\n${tail(output())}`);
			}
			// /healthz answers 200 as soon as the HTTP server listens, i.e. *before* migrations and node
			// loading. /healthz/readiness waits for the migrations (2.x: for everything), but 1.x
			// registers its REST routes after that, so also wait for start's "Editor is now
			// accessible" line (or, if logs are muted, for /rest/settings to answer).
			if (
				(await httpStatus(`${url}/healthz/readiness`)) === 200 &&
				(/Editor is now accessible via/.test(output()) || (await httpStatus(`${url}/rest/settings`)) === 200)
			) {
				break;
			}
			await new Promise((r) => setTimeout(r, 500));
		}
		/**
		 * POSTs `body` as JSON to the production webhook `path` and reads the whole answer.
		 * @param {string} webhookPath @param {unknown} body @param {{ signal?: AbortSignal }} [opts]
		 */
		const postWebhook = async (webhookPath, body, { signal } = {}) => {
			const sentAt = Date.now();
			const res = await fetch(`${url}/webhook/${webhookPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
			const bytes = Buffer.from(await res.arrayBuffer());
			return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: bytes, sentAt, receivedAt: Date.now() };
		};
		/**
		 * Waits until n8n has registered the production webhook `path` of an active workflow: 2.x
		 * does that after the editor is up. A GET to a path registered for POST only answers
		 * "not registered for GET requests"; to an unknown path, "The requested webhook … is not
		 * registered", and it starts no execution either way.
		 * @param {string} webhookPath
		 */
		const waitForWebhook = async (webhookPath, { timeoutMs: waitMs = 120_000 } = {}) => {
			const until = Date.now() + waitMs;
			for (;;) {
				const res = await fetch(`${url}/webhook/${webhookPath}`);
				const text = await res.text();
				if (!/The requested webhook .* is not registered/.test(text)) return;
				if (Date.now() > until) throw new Error(`n8n did not register the webhook ${webhookPath} within ${waitMs} ms: ${text.slice(0, 300)}\n${tail(output())}`);
				await new Promise((r) => setTimeout(r, 250));
			}
		};
		return { url, port: p, stop, crash, process: child, bootMs: Date.now() - started, output, postWebhook, waitForWebhook };
	}

	/**
	 * `n8n worker` (queue mode: give the home EXECUTIONS_MODE=queue, the Redis and Postgres
	 * settings); resolves once it says it is ready.
	 * @param {{ concurrency?: number, timeoutMs?: number, env?: Record<string, string | undefined> }} [opts]
	 */
	async function startWorker({ concurrency = 10, timeoutMs = 180_000, env: extraEnv = {} } = {}) {
		const worker = await spawnServer(['worker', `--concurrency=${concurrency}`], extraEnv);
		for (const until = Date.now() + timeoutMs; !/worker is now ready/i.test(worker.output()); await new Promise((r) => setTimeout(r, 500))) {
			if (worker.exited() || Date.now() > until) {
				await worker.stop();
				throw new Error(`n8n worker did not become ready within ${timeoutMs} ms\n${tail(worker.output())}`);
			}
		}
		return { stop: worker.stop, crash: worker.crash, exited: worker.exited, process: worker.process, output: worker.output };
	}

	/**
	 * A long-running n8n command (`start`, `worker …`) with its own task-runner broker port, its
	 * output kept (the last 200 kB), a stop that escalates to SIGKILL after 20 s, and a crash:
	 * SIGKILL to its whole process group at once (n8n's task runner included), as an out-of-memory
	 * kill or a pulled container does.
	 * @param {string[]} args @param {Record<string, string | undefined>} extraEnv
	 */
	async function spawnServer(args, extraEnv) {
		const childEnv = mergeEnv(baseEnv, { N8N_RUNNERS_BROKER_PORT: String(await getFreePort()), N8N_LOG_LEVEL: 'info' }, extraEnv);
		// A group of its own, so that a crash reaches n8n's children too.
		const child = spawn(runtime.nodeBin, [...NODE_FLAGS, runtime.n8nBin, ...args], { cwd: workDir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		liveChildren.add(child);
		let output = '';
		child.stdout.setEncoding('utf8').on('data', (d) => (output = (output + d).slice(-200_000)));
		child.stderr.setEncoding('utf8').on('data', (d) => (output = (output + d).slice(-200_000)));
		/** @type {{ code: number | null, signal: string | null } | null} */
		let exited = null;
		const exitPromise = new Promise((resolve) => {
			child.on('close', (code, signal) => {
				exited = { code, signal };
				liveChildren.delete(child);
				resolve(exited);
			});
		});
		const stop = async () => {
			if (exited) return exited;
			child.kill('SIGTERM');
			const killer = setTimeout(() => killGroup(child), 20_000);
			const res = await exitPromise;
			clearTimeout(killer);
			return res;
		};
		const crash = async () => {
			killGroup(child);
			return await exitPromise;
		};
		return { process: child, output: () => output, exited: () => exited, stop, crash };
	}

	/**
	 * Installs an `npm pack` tarball as a real community package:
	 * <userFolder>/.n8n/nodes/node_modules/<name> plus an entry in .n8n/nodes/package.json.
	 * Node types then are `<package name>.<node name>`.
	 * @param {string} tarballPath
	 */
	async function installCommunityPackage(tarballPath) {
		const tgz = path.resolve(tarballPath);
		if (!fs.existsSync(tgz)) throw new Error(`installCommunityPackage: no such file ${tgz}`);
		const unpack = fs.mkdtempSync(path.join(workDir, 'pkg-'));
		await new Promise((resolve, reject) => {
			const t = spawn('tar', ['-xzf', tgz, '-C', unpack], { stdio: ['ignore', 'ignore', 'pipe'] });
			let err = '';
			t.stderr.on('data', (d) => (err += d));
			t.on('error', reject);
			t.on('close', (code) => (code === 0 ? resolve(undefined) : reject(new Error(`tar -xzf ${tgz} failed (${code}): ${err}`))));
		});
		const pkgRoot = path.join(unpack, 'package');
		const pkg = JSON.parse(fs.readFileSync(path.join(pkgRoot, 'package.json'), 'utf8'));
		if (!/^(@[^/]+\/)?n8n-nodes-/.test(pkg.name)) {
			throw new Error(`installCommunityPackage: n8n only scans packages named n8n-nodes-* or @scope/n8n-nodes-*, got "${pkg.name}"`);
		}
		const nodesDir = path.join(n8nFolder, 'nodes');
		const target = path.join(nodesDir, 'node_modules', ...pkg.name.split('/'));
		fs.rmSync(target, { recursive: true, force: true });
		fs.mkdirSync(path.dirname(target), { recursive: true });
		fs.renameSync(pkgRoot, target);
		fs.rmSync(unpack, { recursive: true, force: true });
		const manifestPath = path.join(nodesDir, 'package.json');
		/** @type {any} */
		let manifest = { name: 'installed-nodes', private: true, dependencies: {} };
		try {
			manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
		} catch {
			/* first package */
		}
		manifest.dependencies = { ...(manifest.dependencies || {}), [pkg.name]: pkg.version };
		fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
		return { name: pkg.name, version: pkg.version, dir: target };
	}

	/** Where filesystem-mode binary data lives in this home (2.x: `storage`; older: `binaryData`). */
	function binaryDataDirs() {
		const dirs = [];
		if (baseEnv.N8N_BINARY_DATA_STORAGE_PATH) dirs.push(baseEnv.N8N_BINARY_DATA_STORAGE_PATH);
		if (baseEnv.N8N_STORAGE_PATH) dirs.push(baseEnv.N8N_STORAGE_PATH);
		dirs.push(path.join(n8nFolder, 'storage'), path.join(n8nFolder, 'binaryData'));
		return dirs;
	}

	/**
	 * Bytes of one binary property from run data: inline base64 (`data`), or the file behind a
	 * `filesystem(-v2):<path>` id.
	 * @param {{ id?: string, data?: string }} binary
	 * @returns {Buffer}
	 */
	function readBinary(binary) {
		if (!binary || typeof binary !== 'object') throw new Error('readBinary: expected an IBinaryData object');
		if (binary.id) {
			const m = /^([a-z0-9-]+):(.+)$/i.exec(binary.id);
			if (!m) throw new Error(`readBinary: unexpected binary id "${binary.id}"`);
			const [, mode, rel] = m;
			if (!mode.startsWith('filesystem')) throw new Error(`readBinary: binary data mode "${mode}" is not on disk`);
			for (const dir of binaryDataDirs()) {
				const file = path.resolve(dir, rel);
				if (fs.existsSync(file)) return fs.readFileSync(file);
			}
			throw new Error(`readBinary: no file for "${binary.id}" under ${binaryDataDirs().join(', ')}`);
		}
		if (typeof binary.data === 'string' && binary.data !== 'filesystem' && binary.data !== 'filesystem-v2') return Buffer.from(binary.data, 'base64');
		throw new Error('readBinary: binary has neither an id nor inline data');
	}

	/** Removes the whole user folder. */
	function cleanup() {
		fs.rmSync(folder, { recursive: true, force: true });
	}

	return {
		userFolder: folder,
		n8nFolder,
		encryptionKey: key,
		env: baseEnv,
		runtime,
		run,
		importCredentials,
		importWorkflow,
		activateWorkflow,
		execute,
		executeBatch,
		startEditor,
		startWorker,
		installCommunityPackage,
		binaryDataDirs,
		readBinary,
		cleanup,
	};
}

/** @param {string} url @returns {Promise<number>} HTTP status, 0 if nothing answers */
function httpStatus(url) {
	return new Promise((resolve) => {
		const req = http.get(url, { timeout: 2000 }, (res) => {
			res.resume();
			resolve(res.statusCode || 0);
		});
		req.on('timeout', () => req.destroy());
		req.on('error', () => resolve(0));
	});
}

module.exports = { createN8nHome, parseJsonFromOutput, newWorkflowId, getFreePort };
