#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * The release workflow runs this before `npm publish`. It refuses while package.json still holds
 * the two values only the maintainer knows (see the README's Publishing section):
 *   - `repository.url`: the GitHub repository that publishes; npm compares it with the
 *     repository in the provenance statement and rejects the publish when they differ;
 *   - `author`: name and email of the npm author.
 *   - `homepage`, `bugs.url` and the README's pictures (npm shows no relative image path): the
 *     same repository, for the links and pictures of the npm page.
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

/** Where a link of the npm page must point, given the repository: [field, pattern with owner and name, expected form]. */
const REPOSITORY_LINKS = /** @type {const} */ ([
	['homepage', /^https:\/\/github\.com\/([A-Za-z0-9-]+)\/([A-Za-z0-9_.-]+?)(?:#readme)?$/, 'https://github.com/<owner>/<name>#readme'],
	['bugs.url', /^https:\/\/github\.com\/([A-Za-z0-9-]+)\/([A-Za-z0-9_.-]+)\/issues$/, 'https://github.com/<owner>/<name>/issues'],
]);
const README_PICTURE = /https:\/\/raw\.githubusercontent\.com\/([^/\s)]+)\/([^/\s)]+)\//g;

/** @param {string} owner @param {string} name @param {{ owner: string, name: string } | string} repository */
const otherRepository = (owner, name, repository) =>
	typeof repository !== 'string' && `${owner}/${name}`.toLowerCase() !== `${repository.owner}/${repository.name}`.toLowerCase();

/**
 * The npm page's links (homepage, bugs) and the README's pictures must name the repository.
 * @param {Record<string, any>} pkg @param {{ owner: string, name: string } | string} repository @param {string | undefined} readme
 * @returns {string[]}
 */
function linkProblems(pkg, repository, readme) {
	const problems = [];
	const named = typeof repository === 'string' ? '' : `${repository.owner}/${repository.name}`;
	for (const [field, pattern, form] of REPOSITORY_LINKS) {
		const url = field === 'bugs.url' ? pkg.bugs?.url : pkg[field];
		const match = typeof url === 'string' ? pattern.exec(url) : null;
		if (typeof url !== 'string' || !url) problems.push(`package.json has no "${field}": expected ${form}`);
		else if (url.toUpperCase().includes(PLACEHOLDER_OWNER)) problems.push(`"${field}" is still the placeholder "${url}": put the GitHub owner in it`);
		else if (!match) problems.push(`"${field}" is "${url}": expected ${form}`);
		else if (otherRepository(match[1], match[2], repository)) problems.push(`"${field}" names ${match[1]}/${match[2]} but "repository.url" names ${named}`);
	}
	for (const [url, owner, name] of readme === undefined ? [] : readme.matchAll(README_PICTURE)) {
		if (owner.toUpperCase() === PLACEHOLDER_OWNER) problems.push(`README.md's pictures still point at the placeholder ${url}: put the GitHub owner in them`);
		else if (otherRepository(owner, name, repository)) problems.push(`README.md's picture ${url} is not in ${named}, which "repository.url" names`);
	}
	return [...new Set(problems)];
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
 * @param {string} [readme] the README npm shows (its pictures are checked)
 * @returns {string[]} why publishing must not go on (empty: it may)
 */
function releaseMetadataProblems(pkg, run = {}, readme = undefined) {
	const problems = [];
	const repository = parseRepository(pkg.repository);
	if (typeof repository === 'string') problems.push(repository);
	problems.push(...linkProblems(pkg, repository, readme));
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

/** A package.json and the README.md beside it, if any. @param {string} file */
function readPackage(file) {
	const readmeFile = path.join(path.dirname(file), 'README.md');
	return {
		pkg: JSON.parse(fs.readFileSync(file, 'utf8')),
		readme: fs.existsSync(readmeFile) ? fs.readFileSync(readmeFile, 'utf8') : undefined,
	};
}

module.exports = { releaseMetadataProblems, readPackage };

if (require.main === module) {
	const args = parseArgs(process.argv.slice(2));
	const { pkg, readme } = readPackage(args.package);
	const problems = releaseMetadataProblems(pkg, args, readme);
	if (problems.length) {
		process.stderr.write(`Not publishing ${pkg.name}@${pkg.version}:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee the README's Publishing section.\n`);
		process.exitCode = 1;
	} else {
		process.stdout.write(`${pkg.name}@${pkg.version}: repository, links, author and tag are set for publishing\n`);
	}
}
