import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { parse } from 'yaml';

import { REPO, run } from '../support/checkout';

// The release workflow's own shell steps, run here as GitHub runs them (bash -eo pipefail), against
// a scratch git repository and a stand-in `npm` that records how it was called.

interface Step {
	name?: string;
	uses?: string;
	run?: string;
	with?: Record<string, unknown>;
	env?: Record<string, string>;
}
interface Job {
	needs?: string | string[];
	permissions?: Record<string, string>;
	steps?: Step[];
	uses?: string;
	secrets?: unknown;
}

const TEXT = fs.readFileSync(path.join(REPO, '.github', 'workflows', 'release.yml'), 'utf8');
const workflow = parse(TEXT) as { on: unknown; jobs: Record<string, Job> };
const { metadata, test, publish } = workflow.jobs;
const step = (job: Job, name: string) => {
	const found = job.steps?.find((s) => s.name === name);
	if (!found?.run) throw new Error(`release.yml: no step "${name}" with a run script`);
	return found;
};
const bash = (script: string, cwd: string, env: NodeJS.ProcessEnv) =>
	run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], cwd, { ...process.env, ...env });

let work: string;
beforeAll(() => {
	work = fs.mkdtempSync(path.join(os.tmpdir(), 'pixeldojo-release-yml-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('release.yml publishes only tags on main', () => {
	it('runs on v* tags and nothing else', () => {
		expect(workflow.on).toEqual({ push: { tags: ['v*'] } });
	});

	it('publishes only after the checks and the test suite', () => {
		expect([test.needs].flat()).toContain('metadata');
		expect([publish.needs].flat()).toContain('test');
		// The test job runs the CI workflow, which must not see the npm token.
		expect(test.secrets).toBeUndefined();
	});

	it('refuses a tag on a commit that is not on main, accepts one that is', async () => {
		// The step reads origin/main, which the checkout has only with the full history.
		expect(metadata.steps?.find((s) => s.uses?.startsWith('actions/checkout@'))?.with).toMatchObject({ 'fetch-depth': 0 });
		const git = (cwd: string, ...args: string[]) =>
			run('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', '-c', 'init.defaultBranch=main', ...args], cwd);
		const origin = path.join(work, 'origin');
		fs.mkdirSync(origin);
		await git(origin, 'init', '-q');
		await git(origin, 'commit', '-q', '--allow-empty', '-m', 'on main');
		await git(origin, 'checkout', '-q', '-b', 'elsewhere');
		await git(origin, 'commit', '-q', '--allow-empty', '-m', 'not merged');
		const sha = async (ref: string) => (await git(origin, 'rev-parse', ref)).stdout.trim();
		const [onMain, elsewhere] = [await sha('main'), await sha('elsewhere')];
		const clone = path.join(work, 'clone');
		await git(work, 'clone', '-q', origin, clone);

		const script = step(metadata, 'The tagged commit is on main').run as string;
		const refused = await bash(script, clone, { GITHUB_SHA: elsewhere, GITHUB_REF_NAME: 'v9.9.9' });
		expect(refused.code).not.toBe(0);
		expect(refused.stdout).toContain(`::error::v9.9.9 tags ${elsewhere}, which is not on main`);
		expect((await bash(script, clone, { GITHUB_SHA: onMain, GITHUB_REF_NAME: 'v9.9.9' })).code).toBe(0);
	});
});

describe('release.yml publishes with provenance, through the NPM_TOKEN secret only while it is set', () => {
	const publishStep = () => step(publish, 'npm publish');

	/** Runs the publish step with a stand-in npm; returns its arguments, the token it saw, and the step's output. */
	async function publishWith(env: NodeJS.ProcessEnv) {
		const bin = fs.mkdtempSync(path.join(work, 'bin-'));
		const calls = path.join(bin, 'calls');
		fs.writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\necho "$* | token=$NODE_AUTH_TOKEN" >> "${calls}"\n`, { mode: 0o755 });
		const result = await bash(publishStep().run as string, work, { ...env, PATH: `${bin}${path.delimiter}${process.env.PATH}` });
		expect(result.code).toBe(0);
		return { calls: fs.readFileSync(calls, 'utf8').trim().split('\n'), stdout: result.stdout };
	}

	it('the publish job may get the OIDC token (trusted publishing and the provenance need it)', () => {
		expect(publish.permissions).toMatchObject({ 'id-token': 'write' });
		expect(publishStep().env).toEqual({ NPM_TOKEN: '${{ secrets.NPM_TOKEN }}' });
		// Only that step names the secret.
		expect(TEXT.match(/secrets\./g)).toHaveLength(1);
	});

	it('without the secret: trusted publishing (setup-node leaves its placeholder token, which npm replaces)', async () => {
		const { calls, stdout } = await publishWith({ NPM_TOKEN: '', NODE_AUTH_TOKEN: 'XXXXX-XXXXX-XXXXX-XXXXX' });
		expect(calls).toEqual(['publish --provenance --access public | token=XXXXX-XXXXX-XXXXX-XXXXX']);
		expect(stdout).not.toContain('::warning::');
	});

	it('with the secret (first release): publishes with the token and provenance, and warns to delete it', async () => {
		const { calls, stdout } = await publishWith({ NPM_TOKEN: 'npm_bootstrap', NODE_AUTH_TOKEN: 'XXXXX-XXXXX-XXXXX-XXXXX' });
		expect(calls).toEqual(['publish --provenance --access public | token=npm_bootstrap']);
		expect(stdout).toContain('::warning::NPM_TOKEN is set');
		expect(stdout).toContain('delete the token and this secret');
	});
});
