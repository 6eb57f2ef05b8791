// @ts-check
'use strict';

// Runs once before the e2e files: makes sure dist/ is current, packs the package as published,
// and prepares (or reuses) the cached n8n runtime. Tests read the results from process.env.

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { prepareRuntime, N8N_V2 } = require('../../scripts/n8n-runtime');
const { packPackage } = require('../../scripts/pack');

const REPO = path.resolve(__dirname, '../..');
const BUILD_INPUTS = ['nodes', 'credentials', 'package.json', 'gulpfile.js', 'tsconfig.build.json'];
const BUILD_OUTPUT = path.join(REPO, 'dist/nodes/QwenImageMax/QwenImageMax.node.js');

/** @param {string} msg */
const log = (msg) => process.stderr.write(`[e2e] ${msg}\n`);

/** @param {string} p @returns {number} */
function newestMtime(p) {
	const stat = fs.statSync(p);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return Math.max(stat.mtimeMs, ...fs.readdirSync(p).map((name) => newestMtime(path.join(p, name))));
}

/** `npm run test:e2e:*` alone must not test a stale dist/ (tsc rewrites every output on each build). */
function buildIfStale() {
	const builtAt = fs.existsSync(BUILD_OUTPUT) ? fs.statSync(BUILD_OUTPUT).mtimeMs : 0;
	if (Math.max(...BUILD_INPUTS.map((p) => newestMtime(path.join(REPO, p)))) <= builtAt) return;
	log('dist/ is older than the sources: npm run build');
	execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
}

module.exports = async function globalSetup() {
	const started = Date.now();
	const n8nVersion = process.env.PIXELDOJO_N8N_VERSION || N8N_V2;
	log(`preparing n8n ${n8nVersion} (the first run installs it: several minutes)`);
	const runtime = await prepareRuntime({ n8nVersion });
	log(`n8n ${runtime.n8nVersion} on Node ${runtime.nodeVersion}: ${runtime.dir}`);
	buildIfStale();
	const packed = await packPackage();
	log(`packed ${path.basename(packed.tarball)} in ${((Date.now() - started) / 1000).toFixed(1)}s total`);
	process.env.PIXELDOJO_E2E_RUNTIME = JSON.stringify(runtime);
	process.env.PIXELDOJO_E2E_PACKED = JSON.stringify(packed);
};
