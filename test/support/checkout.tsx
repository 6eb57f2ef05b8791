import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');

export interface Ran {
	code: number;
	stdout: string;
	stderr: string;
}

const OWNER = 'jane-doe';

/** What a maintainer puts in package.json before the first release, for a made-up owner. */
export const FILLED_METADATA = {
	repository: { type: 'git', url: `git+https://github.com/${OWNER}/n8n-nodes-pixeldojo.git` },
	homepage: `https://github.com/${OWNER}/n8n-nodes-pixeldojo#readme`,
	bugs: { url: `https://github.com/${OWNER}/n8n-nodes-pixeldojo/issues` },
	author: { name: 'Jane Doe', email: 'jane@janedoe.dev' },
};

/** Fills in package.json and the README in `dir` as the README's Publishing section says. */
export function fillInMetadata(dir: string): void {
	for (const file of ['package.json', 'README.md'].map((name) => path.join(dir, name))) {
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replaceAll('YOUR-GITHUB-OWNER', OWNER));
	}
	const pkgFile = path.join(dir, 'package.json');
	fs.writeFileSync(pkgFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(pkgFile, 'utf8')), ...FILLED_METADATA }, null, 2));
}

/** Runs a command to its end; a failing command is a result here, not an exception. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
	return new Promise((resolve) => {
		execFile(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
			const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
			resolve({ code, stdout, stderr });
		});
	});
}

/**
 * Copies this checkout's files (committed and new, not the ignored ones: no dist/) into `into`,
 * as a clone would have them, sharing node_modules. A build or a pack there leaves this
 * checkout's dist/, which other suites read, alone.
 */
export function copyCheckout(into: string): string {
	const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' });
	for (const file of listed.split('\0').filter(Boolean)) {
		const from = path.join(REPO, file);
		// A file deleted in the work tree but still in the index.
		if (!fs.existsSync(from)) continue;
		fs.mkdirSync(path.dirname(path.join(into, file)), { recursive: true });
		fs.copyFileSync(from, path.join(into, file));
	}
	fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(into, 'node_modules'), 'dir');
	return into;
}

/** The files `npm pack` puts in the tarball of the package in `dir`, sorted (no hook runs). */
export async function packedFiles(dir: string): Promise<string[]> {
	const { code, stdout, stderr } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], dir);
	if (code !== 0) throw new Error(`npm pack failed in ${dir}: ${stderr}`);
	const [{ files }] = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>;
	return files.map((file) => file.path).sort();
}
