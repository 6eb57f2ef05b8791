#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * The flake budget: runs one e2e file N times in a row on one n8n version, the way CI runs it
 * (jest with test/e2e/jest.config.js and PIXELDOJO_N8N_VERSION), and counts the passes. A single
 * failed run fails the script: e2e tests here have no jest retries that would hide one.
 *
 *   node scripts/repeat-e2e.js [--times 10] [--version 1.123.81] test/e2e/editor.test.tsx
 *
 * Each run's jest output goes to output/repeat-e2e/<file>-<version>-<n>.log; the script prints one
 * line per run (result, seconds, the first failed test) and a final pass count line.
 */

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { N8N_V2 } = require('./n8n-runtime');

const REPO = path.resolve(__dirname, '..');
const LOG_DIR = path.join(REPO, 'output', 'repeat-e2e');
const USAGE = 'use: node scripts/repeat-e2e.js [--times N] [--version X.Y.Z] test/e2e/<file>.test.tsx';

/** @param {string[]} argv */
function parseArgs(argv) {
	const args = { times: 10, version: process.env.PIXELDOJO_N8N_VERSION || N8N_V2, file: '' };
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		if (flag === '--times' || flag === '--version') {
			const value = argv[++i] ?? '';
			if (flag === '--times' && Number.isInteger(Number(value)) && Number(value) > 0) args.times = Number(value);
			else if (flag === '--version' && /^\d+\.\d+\.\d+$/.test(value)) args.version = value;
			else throw new Error(`Bad value "${value}" for ${flag} (${USAGE})`);
		} else if (!flag.startsWith('-') && !args.file) args.file = flag;
		else throw new Error(`Unknown argument ${flag} (${USAGE})`);
	}
	if (!args.file) throw new Error(`No test file (${USAGE})`);
	if (!fs.existsSync(path.resolve(REPO, args.file))) throw new Error(`${args.file} does not exist`);
	return args;
}

/**
 * One jest run of `file` on `version`, its output into `logFile`.
 * @param {string} file @param {string} version @param {string} logFile
 * @returns {Promise<{ ok: boolean, seconds: number, firstFailure?: string }>}
 */
function runOnce(file, version, logFile) {
	const started = Date.now();
	const out = fs.openSync(logFile, 'w');
	const child = spawn(process.execPath, [require.resolve('jest/bin/jest'), '-c', 'test/e2e/jest.config.js', '--ci', file], {
		cwd: REPO,
		env: { ...process.env, PIXELDOJO_N8N_VERSION: version },
		stdio: ['ignore', out, out],
	});
	return new Promise((resolve, reject) => {
		child.on('error', reject);
		child.on('exit', (code) => {
			fs.closeSync(out);
			// jest's verbose list marks a failed test with ✕; the first one names where the run broke.
			const firstFailure = fs
				.readFileSync(logFile, 'utf8')
				.split('\n')
				.find((line) => line.trim().startsWith('✕'))
				?.trim();
			resolve({ ok: code === 0, seconds: (Date.now() - started) / 1000, firstFailure });
		});
	});
}

async function main() {
	const { times, version, file } = parseArgs(process.argv.slice(2));
	fs.mkdirSync(LOG_DIR, { recursive: true });
	const name = path.basename(file).replace(/\.test\.tsx?$/, '');
	let passes = 0;
	for (let run = 1; run <= times; run++) {
		const logFile = path.join(LOG_DIR, `${name}-${version}-${run}.log`);
		const { ok, seconds, firstFailure } = await runOnce(file, version, logFile);
		if (ok) passes++;
		const detail = ok ? '' : ` ${firstFailure ?? '(no failed test listed: see the log)'} — ${path.relative(REPO, logFile)}`;
		console.log(`run ${run}/${times} n8n ${version}: ${ok ? 'pass' : 'FAIL'} in ${seconds.toFixed(0)} s${detail}`);
	}
	console.log(`${file} on n8n ${version}: ${passes}/${times} passed`);
	return passes === times;
}

main().then(
	(ok) => process.exit(ok ? 0 : 1),
	(error) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	},
);
