#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * package.json's `prepack` hook: refuses to pack or publish unless dist/ is a build of the sources
 * as they are now. Without it, `npm publish` in a fresh clone uploads package.json, the README,
 * LICENSE and index.js: a package n8n installs and cannot load. On `npm publish` it also refuses
 * what the release workflow's check refuses (check-release-metadata.js: placeholders).
 *
 * The project's .npmrc sets ignore-scripts=true, which skips every hook; package.json's
 * `publishConfig` sets it back to false for `npm publish` only, and npm applies publishConfig to
 * the pack inside a publish (so prepack runs, prepublishOnly would not). `npm publish
 * --ignore-scripts` on the command line still skips it: that is a choice, not an accident.
 *
 *   node scripts/check-package.js     exits 1 with what to run, 0 when dist/ is up to date
 */

const fs = require('node:fs');
const path = require('node:path');
const { readPackage, releaseMetadataProblems } = require('./check-release-metadata');

const REPO = path.resolve(__dirname, '..');
// The folders whose sources the package ships, compiled or copied into dist/.
const SHIPPED_SOURCES = ['nodes', 'credentials'];

/** @param {string} root @param {string} dir @returns {string[]} the files under `dir`, relative to `root` */
function filesUnder(root, dir) {
	if (!fs.existsSync(path.join(root, dir))) return [];
	return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
		const file = `${dir}/${entry.name}`;
		return entry.isDirectory() ? filesUnder(root, file) : [file];
	});
}

/**
 * What a build makes in dist/ from the sources: { dist path → source path }, relative to `root`.
 * @param {string} root
 * @returns {Map<string, string>}
 */
function builtFiles(root = REPO) {
	/** @type {Map<string, string>} */
	const files = new Map();
	for (const file of SHIPPED_SOURCES.flatMap((dir) => filesUnder(root, dir))) {
		if (/\.(svg|png|node\.json)$/.test(file)) files.set(`dist/${file}`, file);
		else if (file.endsWith('.ts') && !/\.(test|d)\.ts$/.test(file)) files.set(`dist/${file.replace(/\.ts$/, '.js')}`, file);
	}
	return files;
}

/**
 * Why dist/ is not a build of the sources as they are (empty: it is).
 * @param {string} root
 * @returns {string[]}
 */
function buildProblems(root = REPO) {
	if (!fs.existsSync(path.join(root, 'dist'))) return ['there is no dist/: nothing to ship'];
	const expected = builtFiles(root);
	const problems = [];
	for (const [built, source] of expected) {
		const builtPath = path.join(root, built);
		const sourcePath = path.join(root, source);
		if (!fs.existsSync(builtPath)) problems.push(`${built} is missing`);
		// Icons are copied (gulp keeps their time, to a precision the source's may exceed): compare them.
		else if (/\.(svg|png)$/.test(source)) {
			if (!fs.readFileSync(sourcePath).equals(fs.readFileSync(builtPath))) problems.push(`${built} differs from ${source}`);
		}
		// A clone or a checkout gives sources the time they were written out; a build comes after.
		else if (fs.statSync(sourcePath).mtimeMs > fs.statSync(builtPath).mtimeMs) problems.push(`${source} changed after ${built} was built`);
	}
	// tsc never deletes what a removed source compiled to; npm would ship it.
	for (const file of SHIPPED_SOURCES.flatMap((dir) => filesUnder(root, `dist/${dir}`))) {
		if (/\.(js|svg|png|json)$/.test(file) && !expected.has(file)) problems.push(`${file} has no source any more`);
	}
	return problems;
}

module.exports = { builtFiles, buildProblems };

if (require.main === module) {
	const { pkg, readme } = readPackage(path.join(REPO, 'package.json'));
	const built = buildProblems();
	// A tarball to try out may carry the placeholders; a publish may not.
	const metadata = process.env.npm_command === 'publish' ? releaseMetadataProblems(pkg, {}, readme) : [];
	if (built.length || metadata.length) {
		const listed = [...built.slice(0, 5), ...(built.length > 5 ? [`and ${built.length - 5} more`] : []), ...metadata];
		const todo = [
			...(built.length ? ["run `npm run build` (n8n's `npx n8n-node build` makes the same package)"] : []),
			...(metadata.length ? ["fill in package.json and README.md (the README's Publishing section, Fill in once; `node scripts/check-release-metadata.js` checks them)"] : []),
		];
		process.stderr.write(
			`Not packing ${pkg.name}@${pkg.version}:\n${listed.map((problem) => `  - ${problem}`).join('\n')}\n` +
				`First ${todo.join(', and ')}; then run this command again.\n`,
		);
		process.exitCode = 1;
	}
}
