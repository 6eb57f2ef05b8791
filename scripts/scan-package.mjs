#!/usr/bin/env node
// @ts-check

/**
 * n8n's community-package scanner (@n8n/scan-community-package, the gate of n8n's verification),
 * offline. The scanner itself first fetches the published version's npm provenance, then lints
 * two things with its exported `analyzePackage`: the source the provenance points at
 * (package.json, nodes/, credentials/) and the published tarball (its .js files and package.json).
 * This runs those two analyses on this checkout and on the tarball `npm publish` would upload;
 * the provenance part only exists once the release workflow has published.
 *
 *   node scripts/scan-package.mjs                  packs (build first), scans, exits 1 on any error
 *   node scripts/scan-package.mjs --package DIR    scans DIR as the unpacked tarball instead
 *
 * Prints { source, tarball } with each analysis's { passed, message?, details? } as JSON.
 */

import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** @param {string[]} argv @param {string} scratch where to pack, when no folder is given */
async function unpackedPackage(argv, scratch) {
	if (argv[0] === '--package' && argv[1]) return path.resolve(argv[1]);
	if (argv.length) throw new Error('usage: node scripts/scan-package.mjs [--package unpacked-dir]');
	const { packPackage } = require('./pack.js');
	return (await packPackage({ into: path.join(scratch, 'pack') })).dir;
}

/** @param {{ passed: boolean, message?: string, details?: string }} result */
const summary = ({ passed, message, details }) => ({
	// With no file matched the scanner says "passed": here that is a failure (nothing was checked).
	passed: passed && message !== 'No files found to analyze',
	...(message && { message }),
	...(details && { details }),
});

async function main() {
	// The scanner makes a temp folder when it loads and leaves it behind: give it one we remove.
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pixeldojo-scan-'));
	process.env.TMPDIR = scratch;
	// eslint-plugin-n8n-nodes-base switches to its own self-test behaviour under NODE_ENV=test (as
	// jest sets it) and then misreads file names: the scan must see what n8n's scanner sees.
	delete process.env.NODE_ENV;
	try {
		const dir = await unpackedPackage(process.argv.slice(2), scratch);
		const { analyzePackage, SOURCE_FILE_PATTERNS } = await import('@n8n/scan-community-package/scanner/scanner.mjs');
		// The same file patterns as the scanner's analyzePackageByName uses for each part.
		const source = summary(await analyzePackage(REPO, SOURCE_FILE_PATTERNS));
		const tarball = summary(await analyzePackage(dir, ['**/*.js', 'package.json']));
		process.stdout.write(`${JSON.stringify({ source, tarball }, null, 2)}\n`);
		if (!source.passed || !tarball.passed) process.exitCode = 1;
	} finally {
		fs.rmSync(scratch, { recursive: true, force: true });
	}
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
	process.exitCode = 2;
});
