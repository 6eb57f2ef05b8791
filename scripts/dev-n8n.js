// @ts-check
'use strict';

/**
 * Sets up a real n8n for `npm start` and `npm run demo`: the cached runtime, the package installed
 * from its `npm pack` tarball as a community package, a PixelDojo credential, the example workflows.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { prepareRuntime, cacheRoot, N8N_V2 } = require('./n8n-runtime');
const { createN8nHome } = require('./n8n-cli');
const { packPackage } = require('./pack');
const { loadExamples, exampleId, exampleCredential, withOutputFolder } = require('./examples');
const { startSandbox } = require('../test/sandbox/server');

/** @param {string} msg */
const log = (msg) => process.stderr.write(`[pixeldojo] ${msg}\n`);

/**
 * A user folder that survives restarts needs the same encryption key every time, or n8n can no
 * longer read the credentials it stored.
 * @param {string} userFolder
 */
function persistentEncryptionKey(userFolder) {
	const file = path.join(userFolder, 'encryption-key');
	if (!fs.existsSync(file)) {
		fs.mkdirSync(userFolder, { recursive: true });
		fs.writeFileSync(file, crypto.randomBytes(24).toString('hex'), { mode: 0o600 });
	}
	return fs.readFileSync(file, 'utf8').trim();
}

/** The local PixelDojo stand-in, with job times like the real API's (seconds, not milliseconds). */
const startDevSandbox = () => startSandbox({ jobDurationMs: { distribution: 'uniform', min: 1000, max: 4000 }, imageBaseSize: 512 });

/** Where `npm start` keeps its n8n (owner account, workflows, executions) between runs. @param {string} n8nVersion */
const devUserFolder = (n8nVersion) => process.env.PIXELDOJO_DEV_USER_FOLDER || path.join(cacheRoot(), `dev-n8n-${n8nVersion}`);

/**
 * @param {{ apiKey: string, baseUrl?: string, outputDir: string, userFolder?: string, examples?: string[], n8nVersion?: string }} options
 *   baseUrl: the credential's Base URL (omitted: its default, the real API); outputDir: where the
 *   file-writing examples write, the only folder n8n may write to; userFolder: omitted, a new
 *   temporary one; examples: file names in examples/ (omitted: all).
 */
async function setUpDevN8n({ apiKey, baseUrl, outputDir, userFolder, examples, n8nVersion = process.env.PIXELDOJO_N8N_VERSION || N8N_V2 }) {
	log(`preparing n8n ${n8nVersion} (the first run installs it: several minutes)`);
	const runtime = await prepareRuntime({ n8nVersion });
	const packed = await packPackage();
	fs.mkdirSync(outputDir, { recursive: true });
	const home = createN8nHome({
		runtime,
		userFolder,
		encryptionKey: userFolder ? persistentEncryptionKey(userFolder) : undefined,
		env: { N8N_RESTRICT_FILE_ACCESS_TO: outputDir },
	});
	await home.installCommunityPackage(packed.tarball);
	fs.rmSync(path.dirname(packed.tarball), { recursive: true, force: true });
	log(`installed ${path.basename(packed.tarball)} into ${home.n8nFolder}/nodes`);

	const credential = exampleCredential();
	await home.importCredentials([{ ...credential, type: 'pixelDojoApi', data: baseUrl ? { apiKey, baseUrl } : { apiKey } }]);
	const chosen = loadExamples()
		.filter(({ file }) => !examples || examples.includes(file))
		.map(({ file, workflow }) => ({ file, workflow: { ...withOutputFolder(workflow, outputDir), id: exampleId(file) } }));
	const imported = await importChangedExamples(home, chosen);
	log(`imported credential "${credential.name}"; example workflows imported: ${imported.length ? imported.join(', ') : 'none changed'}`);
	return { home, runtime, workflowIds: Object.fromEntries(chosen.map(({ file, workflow }) => [file, workflow.id])) };
}

/**
 * Imports only the examples that are new or changed since the last import into this user folder:
 * a restart of `npm start` must not overwrite what the user edited in n8n.
 * @param {ReturnType<typeof createN8nHome>} home
 * @param {Array<{ file: string, workflow: import('./examples').Workflow }>} chosen
 */
async function importChangedExamples(home, chosen) {
	const stateFile = path.join(home.userFolder, 'imported-examples.json');
	const imported = fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, 'utf8')) : {};
	const hashOf = (/** @type {unknown} */ workflow) => crypto.createHash('sha256').update(JSON.stringify(workflow)).digest('hex');
	const changed = chosen.filter(({ file, workflow }) => imported[file] !== hashOf(workflow));
	if (!changed.length) return [];
	await home.importWorkflow(changed.map(({ workflow }) => workflow));
	for (const { file, workflow } of changed) imported[file] = hashOf(workflow);
	fs.writeFileSync(stateFile, JSON.stringify(imported, null, 2));
	return changed.map(({ file }) => file);
}

module.exports = { setUpDevN8n, startDevSandbox, devUserFolder };
