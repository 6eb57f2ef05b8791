#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * The release workflow runs this before `npm publish`. It refuses while package.json still holds
 * the two values only the maintainer knows (see the README's Publishing section):
 *   - `repository.url`: the GitHub repository that publishes; npm compares it with the
 *     repository in the provenance statement and rejects the publish when they differ;
 *   - `author`: name and email of the npm author.
 * It also refuses a tag that is not `v<version>`, and a run from another repository than
 * `repository.url` names (a fork's tag must not publish under this name).
 *
 *   node scripts/check-release-metadata.js [--package path/to/package.json] [--tag v1.2.3] [--repository owner/name]
 */

const fs = require('node:fs');
const path = require('node:path');

// What package.json ships with until the maintainer fills it in.
const PLACEHOLDER_OWNER = 'YOUR-GITHUB-OWNER';
// Domains reserved for examples and tests (RFC 2606, RFC 6761): no one receives mail there.
const RESERVED_DOMAIN = /(^|\.)(invalid|test|example|localhost|example\.(com|net|org))$/i;
const GITHUB_URL = /^(?:git\+)?https:\/\/github\.com\/([A-Za-z0-9-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?$/;
const EMAIL = /^[^\s@<>]+@([^\s@<>]+\.[^\s@<>]+)$/;

/** @param {unknown} repository @returns {{ owner: string, name: string } | string} */
function parseRepository(repository) {
	const url = typeof repository === 'string' ? repository : /** @type {{ url?: unknown }} */ (repository ?? {}).url;
	if (typeof url !== 'string' || !url) return 'package.json has no "repository" (its "url" names the GitHub repository that publishes)';
	if (url.toUpperCase().includes(PLACEHOLDER_OWNER) || /[<>]/.test(url)) {
		return `"repository.url" is still the placeholder "${url}": put the GitHub owner of the publishing repository in it`;
	}
	const match = GITHUB_URL.exec(url);
	if (!match) return `"repository.url" is "${url}": expected git+https://github.com/<owner>/<name>.git`;
	return { owner: match[1], name: match[2] };
}

/** @param {unknown} author @returns {string[]} */
function authorProblems(author) {
	if (typeof author === 'string') return ['"author" is a string: use { "name": ..., "email": ... } so both can be checked'];
	const { name, email } = /** @type {{ name?: unknown, email?: unknown }} */ (author ?? {});
	const problems = [];
	if (typeof name !== 'string' || !name.trim()) problems.push('"author.name" is empty');
	const domain = typeof email === 'string' ? EMAIL.exec(email)?.[1] : undefined;
	if (!domain) problems.push(`"author.email" is ${JSON.stringify(email ?? null)}: expected an email address`);
	else if (RESERVED_DOMAIN.test(domain)) problems.push(`"author.email" is still the placeholder "${email}": put the npm author's email in it`);
	return problems;
}

/**
 * @param {Record<string, any>} pkg parsed package.json
 * @param {{ tag?: string, repository?: string }} [run] the tag and GitHub repository of the release run
 * @returns {string[]} why publishing must not go on (empty: it may)
 */
function releaseMetadataProblems(pkg, run = {}) {
	const problems = [];
	const repository = parseRepository(pkg.repository);
	if (typeof repository === 'string') problems.push(repository);
	problems.push(...authorProblems(pkg.author));
	if (run.tag !== undefined && run.tag !== `v${pkg.version}`) {
		problems.push(`the tag is "${run.tag}" but package.json has version ${pkg.version}: tag v${pkg.version}, or set the version first`);
	}
	if (run.repository !== undefined && typeof repository !== 'string') {
		const named = `${repository.owner}/${repository.name}`;
		if (named.toLowerCase() !== run.repository.toLowerCase()) {
			problems.push(`this run is in ${run.repository} but "repository.url" names ${named}: npm rejects provenance from another repository`);
		}
	}
	return problems;
}

/** @param {string[]} argv @returns {{ package: string, tag?: string, repository?: string }} */
function parseArgs(argv) {
	/** @type {{ package: string, tag?: string, repository?: string }} */
	const args = { package: path.resolve(__dirname, '..', 'package.json') };
	for (let i = 0; i < argv.length; i += 2) {
		const [flag, value] = [argv[i], argv[i + 1]];
		if (value === undefined || !['--package', '--tag', '--repository'].includes(flag)) {
			throw new Error(`usage: check-release-metadata.js [--package file] [--tag vX.Y.Z] [--repository owner/name] (got ${flag})`);
		}
		args[/** @type {'package' | 'tag' | 'repository'} */ (flag.slice(2))] = value;
	}
	return args;
}

module.exports = { releaseMetadataProblems };

if (require.main === module) {
	const args = parseArgs(process.argv.slice(2));
	const pkg = JSON.parse(fs.readFileSync(args.package, 'utf8'));
	const problems = releaseMetadataProblems(pkg, args);
	if (problems.length) {
		process.stderr.write(`Not publishing ${pkg.name}@${pkg.version}:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee the README's Publishing section.\n`);
		process.exitCode = 1;
	} else {
		process.stdout.write(`${pkg.name}@${pkg.version}: repository, author and tag are set for publishing\n`);
	}
}
