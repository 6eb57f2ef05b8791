// @ts-check
'use strict';

// A local stand-in for PixelDojo's Qwen Image Max API, for tests, scripts and real n8n.
// In process: `const sb = await startSandbox(options)`. As a process:
//   node test/sandbox/server.js [--port N] [--image-port N] [--foreign-port N] [--config JSON]
// prints one JSON line ({ apiUrl, imageOrigin, foreignOrigin, apiKey, adminUrl }) and runs
// until SIGINT or SIGTERM. See README.md beside this file.

const http = require('node:http');
const { DEFAULTS, mergeOptions } = require('./options');
const { JobStore } = require('./jobs');
const { Accounts } = require('./accounts');
const { RateLimiter } = require('./rateLimit');
const { FaultQueue } = require('./faults');
const { StatsRecorder } = require('./stats');
const { renderImage } = require('./images');
const { handleApi, matchApiRoute } = require('./api');
const { handleDownload, findImage } = require('./downloads');
const { handleAdmin } = require('./admin');
const { sendBody, listen, shutdown } = require('./http');

/**
 * @typedef {import('./options').SandboxOptions} SandboxOptions
 * @typedef {object} SandboxState
 * @property {SandboxOptions} options
 * @property {JobStore} jobs
 * @property {Accounts} accounts
 * @property {RateLimiter} limiter
 * @property {FaultQueue} faults
 * @property {StatsRecorder} stats
 * @property {{ api: string, image: string, foreign: string }} origins
 * @typedef {Partial<SandboxOptions> & { port?: number, imagePort?: number, foreignPort?: number }} StartOptions
 */

/**
 * A request handler that turns an unexpected exception into a 500 instead of a crashed process.
 * @param {(req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> | void} handler
 */
function guarded(handler) {
	return /** @type {http.RequestListener} */ (
		async (req, res) => {
			try {
				await handler(req, res);
			} catch (error) {
				if (res.headersSent) res.destroy();
				else sendBody(res, 500, { error: `Sandbox error: ${error instanceof Error ? error.message : error}`, code: 'internal_error' });
			}
		}
	);
}

/**
 * @param {StartOptions} [startOptions]
 */
async function startSandbox(startOptions = {}) {
	const { port = 0, imagePort = 0, foreignPort = 0, ...behaviour } = startOptions;
	const initial = mergeOptions(DEFAULTS, behaviour);
	/** @type {SandboxState} */
	const state = {
		options: initial,
		jobs: new JobStore(),
		accounts: new Accounts(initial.credits),
		limiter: new RateLimiter(),
		faults: new FaultQueue(),
		stats: new StatsRecorder(),
		origins: { api: '', image: '', foreign: '' },
	};
	state.jobs.configure(initial);

	const controls = {
		/** A plain JSON copy: safe to keep, compare or send over the wire. */
		stats: () =>
			JSON.parse(
				JSON.stringify({
					...state.stats.snapshot(),
					...state.jobs.snapshot(Date.now()),
					...state.accounts.snapshot(),
					pendingFaults: state.faults.pending(),
				}),
			),
		/** @param {Record<string, unknown>} partial */
		configure(partial) {
			state.options = mergeOptions(state.options, partial);
			state.jobs.configure(partial);
			if ('credits' in partial) state.accounts.setBalances(state.options.credits);
		},
		/** @param {Record<string, unknown>} fault */
		addFault: (fault) => state.faults.add(fault),
		/** Back to the state right after start: options, jobs, credits, windows, faults, stats. */
		reset() {
			state.options = initial;
			state.jobs.clear();
			state.jobs.configure(initial);
			state.accounts.reset();
			state.accounts.setBalances(initial.credits);
			state.limiter.reset();
			state.faults.clear();
			state.stats.clear();
		},
	};

	const apiServer = http.createServer(
		guarded(async (req, res) => {
			const { pathname } = new URL(req.url ?? '/', 'http://sandbox');
			if (pathname.startsWith('/__admin/')) return handleAdmin(controls, req, res, pathname);
			const match = matchApiRoute(req.method, pathname);
			state.stats.request('api', match.route, req, res);
			await handleApi(state, req, res, match);
		}),
	);
	/** @param {'image' | 'foreign'} origin */
	const downloadServer = (origin) =>
		http.createServer(
			guarded(async (req, res) => {
				state.stats.request(origin, origin === 'image' ? 'download' : 'foreign', req, res);
				await handleDownload(state, origin, req, res);
			}),
		);
	const imageServer = downloadServer('image');
	const foreignServer = downloadServer('foreign');
	const servers = [apiServer, imageServer, foreignServer];

	try {
		// Three origins that differ in port and, for the image host, in host name too, as
		// pixeldojo.ai and temp.pixeldojo.ai do: a client must not treat them as one site.
		state.origins.api = `http://127.0.0.1:${await listen(apiServer, port)}`;
		state.origins.image = `http://localhost:${await listen(imageServer, imagePort)}`;
		state.origins.foreign = `http://127.0.0.1:${await listen(foreignServer, foreignPort)}`;
	} catch (error) {
		await Promise.all(servers.filter((s) => s.listening).map(shutdown));
		throw error;
	}

	return {
		/** The credential's baseUrl. */
		apiUrl: `${state.origins.api}/api/v1`,
		imageOrigin: state.origins.image,
		/** A third-party origin: target of redirect faults, and a value for statusUrlOrigin. */
		foreignOrigin: state.origins.foreign,
		adminUrl: `${state.origins.api}/__admin`,
		get apiKey() {
			return state.options.apiKeys[0];
		},
		...controls,
		/**
		 * The exact bytes an image URL serves (undefined if it serves none), computed afresh.
		 * @param {string} url
		 */
		imageBytesFor(url) {
			const spec = findImage(state, new URL(url).pathname);
			return spec ? Buffer.concat([...renderImage(spec).chunks()]) : undefined;
		},
		close: () => Promise.all(servers.map(shutdown)).then(() => undefined),
	};
}

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {Record<string, string>} */
	const flags = {};
	for (let i = 0; i < argv.length; i += 2) {
		if (!argv[i].startsWith('--') || argv[i + 1] === undefined) throw new Error(`Bad argument "${argv[i]}"`);
		flags[argv[i].slice(2)] = argv[i + 1];
	}
	const known = ['port', 'image-port', 'foreign-port', 'config'];
	const unknown = Object.keys(flags).filter((name) => !known.includes(name));
	if (unknown.length > 0) throw new Error(`Unknown option --${unknown[0]}`);
	return {
		...(flags.config ? JSON.parse(flags.config) : {}),
		port: Number(flags.port ?? 0),
		imagePort: Number(flags['image-port'] ?? 0),
		foreignPort: Number(flags['foreign-port'] ?? 0),
	};
}

async function main() {
	const sandbox = await startSandbox(parseArgs(process.argv.slice(2)));
	const { apiUrl, imageOrigin, foreignOrigin, apiKey, adminUrl } = sandbox;
	process.stdout.write(`${JSON.stringify({ apiUrl, imageOrigin, foreignOrigin, apiKey, adminUrl })}\n`);
	const stop = () => sandbox.close().then(() => process.exit(0));
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
		process.exit(1);
	});
}

module.exports = { startSandbox };
