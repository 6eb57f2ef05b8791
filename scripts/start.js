#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `npm start`: n8n's editor on http://localhost:5678 with this package installed from its tarball,
 * a ready PixelDojo credential and the example workflows. The credential points at a local
 * sandbox, or at the real API when PIXELDOJO_API_KEY is set. Ctrl-C stops everything.
 * The n8n user folder (owner account, workflows, executions) persists between runs, in the cache.
 */

const path = require('node:path');
const { setUpDevN8n, startDevSandbox, devUserFolder } = require('./dev-n8n');
const { N8N_V2 } = require('./n8n-runtime');

const REPO = path.resolve(__dirname, '..');
const PORT = Number(process.env.N8N_PORT || 5678);

async function main() {
	const n8nVersion = process.env.PIXELDOJO_N8N_VERSION || N8N_V2;
	const realKey = process.env.PIXELDOJO_API_KEY;
	const sandbox = realKey ? undefined : await startDevSandbox();
	const outputDir = path.join(REPO, 'output');
	const userFolder = devUserFolder(n8nVersion);
	const { home } = await setUpDevN8n({
		n8nVersion,
		userFolder,
		outputDir,
		apiKey: realKey || /** @type {NonNullable<typeof sandbox>} */ (sandbox).apiKey,
		baseUrl: sandbox?.apiUrl,
	});
	const editor = await home.startEditor({ port: PORT, timeoutMs: 300_000 });
	const ownerExists = await ownerAccountExists(editor.url);

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		process.stderr.write('\n[pixeldojo] stopping n8n and the sandbox…\n');
		await editor.stop();
		await sandbox?.close();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	editor.process.on('exit', () => {
		if (stopping) return;
		process.stderr.write(`[pixeldojo] n8n exited unexpectedly:\n${editor.output().slice(-3000)}\n`);
		sandbox?.close().finally(() => process.exit(1));
	});

	process.stdout.write(
		[
			'',
			`  n8n ${n8nVersion} is running: ${editor.url}`,
			'',
			ownerExists
				? '  1. Open it and sign in with the owner account you created on your first visit (it is kept in the n8n data below).'
				: '  1. Open it. The first visit asks you to create the owner account (any email and password; it stays on this machine).',
			'  2. Open the workflow "PixelDojo: bulk demo (a dozen prompts to files)" and click "Execute workflow".',
			`     Images go to ${outputDir}`,
			'     Other examples (Google Sheets, Notion, AI Agent) need those accounts; the node is "Qwen Image Max".',
			realKey
				? '  Credential "PixelDojo account" uses PIXELDOJO_API_KEY against the real API: runs spend credits.'
				: `  Credential "PixelDojo account" points at the local sandbox ${sandbox?.apiUrl} (jobs take 1-4 s, no credits spent).`,
			`  n8n data: ${userFolder}`,
			'',
			'  Ctrl-C stops n8n and the sandbox.',
			'',
		].join('\n'),
	);
}

/**
 * Whether this n8n already has its owner (a restart) or asks for one (a first visit), as n8n's
 * own settings tell its editor.
 * @param {string} url
 */
async function ownerAccountExists(url) {
	const response = await fetch(`${url}/rest/settings`);
	const settings = /** @type {{ data?: { userManagement?: { showSetupOnFirstLoad?: boolean } } }} */ (await response.json());
	return settings.data?.userManagement?.showSetupOnFirstLoad === false;
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
	process.exit(1);
});
