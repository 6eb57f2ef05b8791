import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { copyCheckout, fillInMetadata, run } from '../support/checkout';

// `npm publish` in a clone as the maintainer has it, with the project's .npmrc (ignore-scripts=true)
// and ignore-scripts also set as a user's npm config would (npm_config_ignore_scripts): the prepack
// guard must run anyway. A dry run stops before uploading; without a login npm only warns.
let work: string;
let clone: string;
const NODE_JS = 'dist/nodes/QwenImageMax/QwenImageMax.node.js';

const publishDryRun = () =>
	run('npm', ['publish', '--dry-run'], clone, { ...process.env, npm_config_ignore_scripts: 'true', npm_config_fetch_retries: '0' });

beforeAll(() => {
	work = fs.mkdtempSync(path.join(os.tmpdir(), 'pixeldojo-guard-'));
	clone = copyCheckout(path.join(work, 'clone'));
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('npm publish refuses a tree that is not built and filled in, and says what to run', () => {
	it('refuses a fresh clone: no dist/', async () => {
		const { code, stderr } = await publishDryRun();
		expect(stderr).toContain('Not packing n8n-nodes-pixeldojo@');
		expect(stderr).toContain('there is no dist/');
		expect(stderr).toContain('First run `npm run build`');
		expect(code).not.toBe(0);
	});

	it('after `npm run build`, refuses the placeholders of package.json alone', async () => {
		expect((await run('npm', ['run', 'build'], clone)).code).toBe(0);
		const { code, stderr } = await publishDryRun();
		expect(stderr).toContain('"repository.url" is still the placeholder');
		expect(stderr).toContain("README.md's pictures still point at the placeholder");
		expect(stderr).not.toContain('npm run build');
		expect(code).not.toBe(0);
	});

	it('built and filled in: lists the package files', async () => {
		fillInMetadata(clone);
		const { code, stderr } = await publishDryRun();
		expect(stderr).not.toContain('Not packing');
		expect(stderr).toContain(NODE_JS);
		expect(stderr).toContain('dist/nodes/QwenImageMax/QwenImageMax.node.json');
		expect(code).toBe(0);
	});

	it('refuses a build older than a source changed since', async () => {
		const source = path.join(clone, 'nodes/QwenImageMax/QwenImageMax.node.ts');
		const later = new Date(Date.now() + 60_000);
		fs.utimesSync(source, later, later);
		const { code, stderr } = await publishDryRun();
		expect(stderr).toContain(`nodes/QwenImageMax/QwenImageMax.node.ts changed after ${NODE_JS} was built`);
		expect(code).not.toBe(0);
		fs.utimesSync(path.join(clone, NODE_JS), later, later);
	});

	it('refuses a built file whose source is gone (tsc leaves it; npm would ship it)', async () => {
		fs.writeFileSync(path.join(clone, 'dist/nodes/QwenImageMax/removed.js'), '');
		const { code, stderr } = await publishDryRun();
		expect(stderr).toContain('dist/nodes/QwenImageMax/removed.js has no source any more');
		expect(code).not.toBe(0);
	});
});
