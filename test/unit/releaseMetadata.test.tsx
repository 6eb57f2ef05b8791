import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { FILLED_METADATA as FILLED } from '../support/checkout';

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(REPO, 'scripts', 'check-release-metadata.js');
const SHIPPED = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));

const SHIPPED_README = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');

/** Runs the release workflow's check on a temp copy of package.json with `changes` applied, and `readme` beside it. */
async function check(changes: Record<string, unknown>, args: string[] = [], readme?: string) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixeldojo-release-'));
	try {
		const file = path.join(dir, 'package.json');
		fs.writeFileSync(file, JSON.stringify({ ...SHIPPED, ...changes }, null, 2));
		if (readme !== undefined) fs.writeFileSync(path.join(dir, 'README.md'), readme);
		return await run('node', [SCRIPT, '--package', file, ...args]).then(
			({ stdout }) => ({ code: 0, stdout, stderr: '' }),
			(error: { code: number; stdout: string; stderr: string }) => error,
		);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

const tag = `v${SHIPPED.version}`;

describe('the release refuses to publish until the maintainer fills in repository and author', () => {
	it('refuses package.json as shipped, naming both values and the README section', async () => {
		const { code, stderr } = await check({});
		expect(code).toBe(1);
		expect(stderr).toContain('"repository.url" is still the placeholder');
		expect(stderr).toContain('"author.email" is still the placeholder');
		expect(stderr).toContain('"homepage" is still the placeholder');
		expect(stderr).toContain('"bugs.url" is still the placeholder');
		expect(stderr).toContain("README's Publishing section");
	});

	it('accepts real-looking values, with the matching tag and repository', async () => {
		const { code, stdout } = await check(FILLED, ['--tag', tag, '--repository', 'jane-doe/n8n-nodes-pixeldojo']);
		expect(code).toBe(0);
		expect(stdout).toContain(`n8n-nodes-pixeldojo@${SHIPPED.version}`);
	});

	it.each([
		['only the repository filled in', { repository: FILLED.repository }, '"author.email" is still the placeholder'],
		['only the author filled in', { author: FILLED.author }, '"repository.url" is still the placeholder'],
		['no repository', { ...FILLED, repository: undefined }, 'package.json has no "repository"'],
		['a repository that is not on GitHub', { ...FILLED, repository: 'https://gitlab.com/jane/n8n-nodes-pixeldojo' }, 'expected git+https://github.com'],
		['a placeholder-looking owner', { ...FILLED, repository: { url: 'https://github.com/<owner>/n8n-nodes-pixeldojo.git' } }, 'still the placeholder'],
		['an example.com email', { ...FILLED, author: { name: 'Jane', email: 'jane@example.com' } }, '"author.email" is still the placeholder'],
		['no author name', { ...FILLED, author: { email: 'jane@janedoe.dev' } }, '"author.name" is empty'],
		['an email that is not one', { ...FILLED, author: { name: 'Jane', email: 'jane' } }, 'expected an email address'],
		['the vendor\'s page as homepage', { ...FILLED, homepage: 'https://pixeldojo.ai/api-platform/qwen-image-max' }, 'expected https://github.com/<owner>/<name>#readme'],
		['a homepage in another repository', { ...FILLED, homepage: 'https://github.com/someone/elsewhere#readme' }, '"homepage" names someone/elsewhere but "repository.url" names jane-doe/n8n-nodes-pixeldojo'],
		['no bugs', { ...FILLED, bugs: undefined }, 'package.json has no "bugs.url"'],
		['bugs still the placeholder', { ...FILLED, bugs: { url: 'https://github.com/YOUR-GITHUB-OWNER/n8n-nodes-pixeldojo/issues' } }, '"bugs.url" is still the placeholder'],
	])('refuses %s', async (_name, changes, message) => {
		const { code, stderr } = await check(changes);
		expect(code).toBe(1);
		expect(stderr).toContain(message);
	});

	it('refuses a tag that is not v<version>', async () => {
		const { code, stderr } = await check(FILLED, ['--tag', 'v9.9.9']);
		expect(code).toBe(1);
		expect(stderr).toContain(`the tag is "v9.9.9" but package.json has version ${SHIPPED.version}`);
	});

	it('refuses a run in another repository than repository.url names (a fork)', async () => {
		const { code, stderr } = await check(FILLED, ['--tag', tag, '--repository', 'someone-else/n8n-nodes-pixeldojo']);
		expect(code).toBe(1);
		expect(stderr).toContain('npm rejects provenance from another repository');
	});

	it('compares repositories as GitHub does, ignoring case', async () => {
		expect((await check(FILLED, ['--repository', 'Jane-Doe/N8N-Nodes-PixelDojo'])).code).toBe(0);
	});

	it("refuses the README as shipped: npm's page would show its pictures from the placeholder repository", async () => {
		const { code, stderr } = await check(FILLED, [], SHIPPED_README);
		expect(code).toBe(1);
		expect(stderr).toContain("README.md's pictures still point at the placeholder https://raw.githubusercontent.com/YOUR-GITHUB-OWNER/");
	});

	it('accepts the README with the owner put in, refuses one whose pictures are in another repository', async () => {
		expect((await check(FILLED, [], SHIPPED_README.replaceAll('YOUR-GITHUB-OWNER', 'jane-doe'))).code).toBe(0);
		const { code, stderr } = await check(FILLED, [], SHIPPED_README.replaceAll('YOUR-GITHUB-OWNER', 'someone'));
		expect(code).toBe(1);
		expect(stderr).toContain("README.md's picture https://raw.githubusercontent.com/someone/n8n-nodes-pixeldojo/ is not in jane-doe/n8n-nodes-pixeldojo");
	});
});
