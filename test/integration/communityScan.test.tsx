import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { packPackage } = require('../../scripts/pack.js');

const run = promisify(execFile);
const SCAN = path.resolve(__dirname, '..', '..', 'scripts', 'scan-package.mjs');

type Analysis = { passed: boolean; message?: string; details?: string };
type Scan = { code: number; result: { source: Analysis; tarball: Analysis } };

/** n8n's scanner (its exported analyzePackage) on this checkout and on `dir` as the tarball. */
async function scan(dir: string): Promise<Scan> {
	const { code, stdout } = await run('node', [SCAN, '--package', dir]).then(
		(done) => ({ code: 0, stdout: done.stdout }),
		(error: { code: number; stdout: string }) => error,
	);
	return { code, result: JSON.parse(stdout) };
}

// The package as `npm publish` would upload it, from the current dist/ (`npm test` builds first).
let work: string;
let unpacked: string;

beforeAll(async () => {
	work = fs.mkdtempSync(path.join(os.tmpdir(), 'pixeldojo-scan-test-'));
	unpacked = (await packPackage({ into: work })).dir;
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe("n8n's community-package scanner (offline: @n8n/scan-community-package's analyzePackage)", () => {
	it('finds no error in the sources or in the packed tarball', async () => {
		const { code, result } = await scan(unpacked);
		expect(result).toEqual({ source: { passed: true }, tarball: { passed: true } });
		expect(code).toBe(0);
	});

	it('fails a tarball that breaks a rule, naming the rule (the scan reads the packed files)', async () => {
		const tampered = path.join(work, 'tampered');
		fs.cpSync(unpacked, tampered, { recursive: true });
		fs.appendFileSync(path.join(tampered, 'dist/nodes/QwenImageMax/QwenImageMax.node.js'), '\nconsole.log("debug");\n');
		const { code, result } = await scan(tampered);
		expect(result.source).toEqual({ passed: true });
		expect(result.tarball).toMatchObject({ passed: false, message: 'ESLint violations found' });
		expect(result.tarball.details).toContain('no-console');
		expect(code).toBe(1);
	});
});
