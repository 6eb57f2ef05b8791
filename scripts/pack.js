#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Packs the package exactly as `npm publish` would and unpacks it, so that the end-to-end tests,
 * `npm start` and `npm run demo` load what users get: a file left out of package.json `files`
 * shows up as a failure there, not after publishing.
 *
 *   const { packPackage } = require('./scripts/pack');
 *   const { tarball, dir } = await packPackage();   // dir: the unpacked `package/` folder
 *
 * CLI: node scripts/pack.js   → prints { tarball, dir } as JSON. Run `npm run build` first.
 */

const { execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { promisify } = require('node:util');

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '..');

/** The checks the community-node scanner makes on the manifest, before anything loads it. @param {string} dir */
function checkManifest(dir) {
	const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	const deps = Object.keys(pkg.dependencies || {});
	if (deps.length) throw new Error(`packed package.json has runtime dependencies (${deps.join(', ')}): n8n refuses them in community packages`);
	const missing = [...(pkg.n8n?.nodes || []), ...(pkg.n8n?.credentials || [])].filter((file) => !fs.existsSync(path.join(dir, file)));
	if (missing.length) throw new Error(`packed package lacks files its n8n section names: ${missing.join(', ')} (build first, check "files")`);
}

/**
 * @param {{ into?: string }} [options] folder for the tarball and the unpacked copy (default: a new temp folder)
 * @returns {Promise<{ tarball: string, dir: string }>}
 */
async function packPackage({ into } = {}) {
	const dest = into || fs.mkdtempSync(path.join(os.tmpdir(), 'pixeldojo-pack-'));
	fs.mkdirSync(dest, { recursive: true });
	// --ignore-scripts: the build is the caller's job, and checkManifest below checks what n8n loads;
	// the prepack guard (scripts/check-package.js) is for publishing.
	const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], { cwd: REPO });
	const [{ filename }] = JSON.parse(stdout);
	const tarball = path.join(dest, filename);
	const unpacked = path.join(dest, 'unpacked');
	fs.rmSync(unpacked, { recursive: true, force: true });
	fs.mkdirSync(unpacked);
	await run('tar', ['-xzf', tarball, '-C', unpacked]);
	const dir = path.join(unpacked, 'package');
	checkManifest(dir);
	return { tarball, dir };
}

module.exports = { packPackage };

if (require.main === module) {
	packPackage().then(
		(result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`),
		(error) => {
			process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
			process.exitCode = 1;
		},
	);
}
