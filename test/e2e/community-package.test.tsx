import fs from 'node:fs';
import path from 'node:path';

import { startSandbox, type Sandbox } from '../support/sandbox';
import { createInstalledHome, n8nMajor, packed, runtime, type N8nHome, type N8nRun } from './support/context';
import { findSecret } from './support/findSecret';
import { assertRunOk, outputOf, pairedIndex, type RunItem } from './support/runData';
import { buildWorkflow, httpRequestWithPixelDojoKey, jsonSet, manualTrigger, qwen, setField, splitOut, type CredentialRef } from './support/workflow';

// The real n8n, the package installed from its tarball, the sandbox on loopback. One workflow with
// several branches covers the operations in a single n8n boot; a second one fails on purpose.
const SECRET = 'pdk_E2E_SECRET_9f8e7d';
const CREDENTIAL: CredentialRef = { id: 'e2eSandboxCred01', name: 'PixelDojo sandbox' };
const PROMPTS = [
	{ prompt: 'a red fox in the snow', tag: 'fox' },
	{ prompt: 'a storm at sea [fail]', tag: 'storm' },
	{ prompt: 'a blue bird on a wire', tag: 'bird' },
];
const forEachPrompt = { prompt: '={{ $json.prompt }}' };

const operationsWorkflow = (apiUrl: string) => buildWorkflow(
	'E2E operations',
	[
		manualTrigger(),
		jsonSet('Prompt List', { prompts: PROMPTS }),
		splitOut('Prompts', 'prompts'),
		qwen('Generate', CREDENTIAL, { operation: 'generateAndWait', ...forEachPrompt }, { continueOnFail: true }),
		setField('Tag Generated', 'tag', "={{ $('Prompts').item.json.tag }}"),
		qwen(
			'LoRA',
			CREDENTIAL,
			{ operation: 'generateAndWait', ...forEachPrompt, useLora: true, loraWeights: 'owner/style-lora', numberOfImages: 3, aspectRatio: '21:9' },
			{ continueOnFail: true },
		),
		setField('Tag LoRA', 'tag', "={{ $('Prompts').item.json.tag }}"),
		qwen('Submit', CREDENTIAL, { operation: 'submit', prompt: 'a green frog on a leaf' }),
		qwen('Poll Now', CREDENTIAL, { operation: 'poll' }),
		qwen('Poll And Wait', CREDENTIAL, { operation: 'poll', waitForCompletion: true }),
		httpRequestWithPixelDojoKey('Custom API Call', CREDENTIAL, `${apiUrl}/models`),
	],
	[
		['Start', 'Prompt List'],
		['Prompt List', 'Prompts'],
		['Prompts', 'Generate'],
		['Generate', 'Tag Generated'],
		['Prompts', 'LoRA'],
		['LoRA', 'Tag LoRA'],
		['Start', 'Submit'],
		['Submit', 'Poll Now'],
		['Poll Now', 'Poll And Wait'],
		['Start', 'Custom API Call'],
	],
);

const failingWorkflow = buildWorkflow(
	'E2E failing job',
	[manualTrigger(), qwen('Generate', CREDENTIAL, { operation: 'generateAndWait', prompt: 'a volcano [fail]' })],
	[['Start', 'Generate']],
);

let sandbox: Sandbox;
let home: N8nHome;
let installedDir: string;
let operations: N8nRun;
let failing: N8nRun;
const cliOutput: string[] = [];

beforeAll(async () => {
	sandbox = await startSandbox({ apiKeys: [SECRET], jobDurationMs: 1200 });
	// n8n's log file too (it gets the run data at the default level): searched for the key below.
	const created = await createInstalledHome({ N8N_LOG_OUTPUT: 'console,file' });
	home = created.home;
	installedDir = created.installed.dir;
	await home.importCredentials([{ ...CREDENTIAL, type: 'pixelDojoApi', data: { apiKey: SECRET, baseUrl: sandbox.apiUrl } }]);
	const [opsId, failingId] = await home.importWorkflow([operationsWorkflow(sandbox.apiUrl), failingWorkflow]);
	operations = await home.execute(opsId);
	failing = await home.execute(failingId);
	cliOutput.push(operations.stdout, operations.stderr, failing.stdout, failing.stderr);
}, 600_000);

afterAll(async () => {
	home?.cleanup();
	await sandbox?.close();
});

describe(`installed from the npm pack tarball into n8n ${runtime.n8nVersion}`, () => {
	it('has no runtime dependencies and brings no node_modules: zod comes from the n8n host', () => {
		const pkg = JSON.parse(fs.readFileSync(path.join(installedDir, 'package.json'), 'utf8'));
		expect(pkg.dependencies ?? {}).toEqual({});
		expect(fs.existsSync(path.join(installedDir, 'node_modules'))).toBe(false);
		expect(fs.existsSync(path.join(runtime.dir, 'node_modules', 'zod', 'package.json'))).toBe(true);
		// The node requires zod when it loads, so every successful run below proves it resolved.
		const schemas = fs.readFileSync(path.join(packed.dir, 'dist/nodes/QwenImageMax/schemas/generationRequest.js'), 'utf8');
		expect(schemas).toMatch(/require\("zod"\)/);
	});

	it('runs as n8n-nodes-pixeldojo.qwenImageMax', () => {
		assertRunOk(operations);
		expect(Object.keys(operations.runData ?? {})).toEqual(expect.arrayContaining(['Generate', 'LoRA', 'Submit', 'Poll Now', 'Poll And Wait']));
	});
});

describe('operations against the sandbox', () => {
	function expectImage(item: RunItem) {
		expect(item.json).toMatchObject({ status: 'completed', jobId: expect.any(String), imageUrl: expect.any(String) });
		expect(item.json.imageUrls).toContain(item.json.imageUrl);
		const binary = item.binary?.data;
		expect(binary).toMatchObject({ mimeType: 'image/png', fileName: expect.stringMatching(/\.png$/) });
		const served = sandbox.imageBytesFor(item.json.imageUrl);
		expect(served).toBeDefined();
		expect(home.readBinary(binary!).equals(served!)).toBe(true);
	}

	it('Generate and Wait: one image item per prompt, paired, bytes as served; the failed job as a Continue On Fail item', () => {
		const items = outputOf(operations.runData, 'Generate');
		expect(items.map(pairedIndex)).toEqual([0, 1, 2]);
		expectImage(items[0]);
		expectImage(items[2]);
		expect(items[1].json).toEqual({ error: expect.any(String), code: 'job_failed', jobId: expect.any(String) });
		expect(items[1].json.jobId).not.toBe(items[0].json.jobId);
	});

	it('pairedItem survives a downstream Set node: $("Prompts").item resolves to each input', () => {
		expect(outputOf(operations.runData, 'Tag Generated').map((i) => i.json.tag)).toEqual(['fox', 'storm', 'bird']);
		expect(outputOf(operations.runData, 'Tag LoRA').map((i) => i.json.tag)).toEqual(['fox', 'fox', 'fox', 'storm', 'bird', 'bird', 'bird']);
	});

	it('LoRA with numberOfImages 3: three image items per job, each paired to its input', () => {
		const items = outputOf(operations.runData, 'LoRA');
		expect(items.map(pairedIndex)).toEqual([0, 0, 0, 1, 2, 2, 2]);
		expect(items.map((i) => i.json.imageIndex)).toEqual([0, 1, 2, undefined, 0, 1, 2]);
		expect(items[3].json).toMatchObject({ code: 'job_failed', jobId: expect.any(String) });
		for (const item of [...items.slice(0, 3), ...items.slice(4)]) expectImage(item);
		const loraJob = sandbox.stats().jobs.find((j) => j.jobId === items[0].json.jobId);
		expect(loraJob?.body).toMatchObject({ numberOfImages: 3, lora_weights: 'owner/style-lora', aspect_ratio: '21:9' });
	});

	it('Submit returns the job ID; Poll without waiting returns its status; Poll with waiting returns the image', () => {
		const [submitted] = outputOf(operations.runData, 'Submit');
		expect(submitted.json).toMatchObject({ jobId: expect.any(String), status: expect.any(String) });
		const [now] = outputOf(operations.runData, 'Poll Now');
		expect(now.json).toMatchObject({ jobId: submitted.json.jobId, status: expect.stringMatching(/^(pending|processing)$/) });
		expect(now.binary).toBeUndefined();
		const [done] = outputOf(operations.runData, 'Poll And Wait');
		expect(done.json.jobId).toBe(submitted.json.jobId);
		expectImage(done);
	});
});

describe('the API key', () => {
	it('reaches any path of the API through the HTTP Request node and the PixelDojo API credential (what "Custom API Call" promises)', () => {
		const [models] = outputOf(operations.runData, 'Custom API Call');
		expect(models.json.models).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'qwen-image-max' })]));
		const listed = sandbox.stats().requestLog.filter((request) => request.route === 'models');
		expect(listed.map(({ method, authorization, status }) => ({ method, authorization, status }))).toEqual([{ method: 'GET', authorization: true, status: 200 }]);
	});

	it('a failing job fails the run with a readable error naming the job', () => {
		expect(failing.ok).toBe(false);
		expect(failing.errorMessage).toBeTruthy();
		const jobId = sandbox.stats().jobs.find((j) => String(j.body.prompt).includes('volcano'))?.jobId;
		expect(`${failing.errorMessage} ${JSON.stringify(failing.error ?? {})}`).toContain(jobId);
	});

	it('appears nowhere in plain text: not in the database, logs, binary data, config, nor the CLI output', () => {
		const stored = findSecret(home.userFolder, SECRET);
		expect(stored.scanned.length).toBeGreaterThan(0);
		expect(stored.scanned.some((f) => /database\.sqlite$/.test(f))).toBe(true);
		expect(stored.scanned.some((f) => f.includes(`${path.sep}logs${path.sep}`))).toBe(true);
		expect(stored.scanned.some((f) => f.endsWith(path.join('.n8n', 'config')))).toBe(true);
		if (n8nMajor >= 2) expect(stored.scanned.some((f) => f.includes('binary_data'))).toBe(true);
		expect(stored.found).toEqual([]);
		// The search does see run data: a job ID from the same runs is found in the log file.
		const [submitted] = outputOf(operations.runData, 'Submit');
		expect(findSecret(home.userFolder, submitted.json.jobId).found.some((f) => f.endsWith('.log'))).toBe(true);
		expect(cliOutput.filter((text) => text.includes(SECRET))).toEqual([]);
		// And yet n8n has it, encrypted: all 8 jobs of the two runs were created with it.
		expect(sandbox.stats().jobsCreated).toBe(8);
	});
});
