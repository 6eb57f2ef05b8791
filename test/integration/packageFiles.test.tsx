import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { copyCheckout, packedFiles, REPO, run } from '../support/checkout';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { builtFiles }: { builtFiles: (root: string) => Map<string, string> } = require('../../scripts/check-package.js');

// n8n's docs build a node with `npx n8n-node build`, this project with `npm run build`: both must
// make the same package. Each builds in a copy of the checkout, so this one's dist/ stays as it is.

/** What the package must hold: the loader, the docs npm shows, a build of each source of the node and the credential. */
const expectedFiles = () => ['LICENSE', 'README.md', 'index.js', 'package.json', ...builtFiles(REPO).keys()].sort();

let work: string;
const packages: Record<'npmRunBuild' | 'n8nNodeBuild', string[]> = { npmRunBuild: [], n8nNodeBuild: [] };

beforeAll(async () => {
	work = fs.mkdtempSync(path.join(os.tmpdir(), 'pixeldojo-builds-'));
	const builds = [
		['npmRunBuild', 'npm', ['run', 'build']],
		['n8nNodeBuild', 'npx', ['n8n-node', 'build']],
	] as const;
	await Promise.all(
		builds.map(async ([name, command, args]) => {
			const dir = copyCheckout(path.join(work, name));
			const built = await run(command, [...args], dir);
			if (built.code !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${built.stdout}\n${built.stderr}`);
			packages[name] = await packedFiles(dir);
		}),
	);
}, 180_000);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('the package is the same whichever build made it', () => {
	it('`npm run build` packs the node, its codex and icons, the credential, and nothing else', () => {
		expect(packages.npmRunBuild).toEqual(expectedFiles());
		expect(packages.npmRunBuild).toContain('dist/nodes/QwenImageMax/QwenImageMax.node.json');
	});

	it('`npx n8n-node build` packs the same files (it also compiles tests and copies screenshots into dist/)', () => {
		expect(packages.n8nNodeBuild).toEqual(packages.npmRunBuild);
	});

	it('packs every file the "n8n" section of package.json names', () => {
		const { n8n } = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
		expect(packages.npmRunBuild).toEqual(expect.arrayContaining([...n8n.nodes, ...n8n.credentials]));
	});
});
