import { startSandbox, type Sandbox } from '../support/sandbox';
import { createInstalledHome, runtime, type N8nHome, type N8nRun } from './support/context';
import { assertRunOk, outputOf, pairedIndex } from './support/runData';
import { buildWorkflow, jsonSet, loopOverItems, manualTrigger, qwen, setField, splitOut, type CredentialRef } from './support/workflow';

// The node as n8n's own advice for rate-limited APIs has users run it: Retry On Fail on the
// node, Loop Over Items around it, and a credit cap, in real n8n, counted from the sandbox's log.
const CREDENTIAL: CredentialRef = { id: 'e2eRetryCred001', name: 'PixelDojo sandbox' };
const prompt = { prompt: '={{ $json.prompt }}' };
const promptList = (name: string, prompts: string[]) => jsonSet(name, { prompts: prompts.map((text, index) => ({ prompt: text, tag: `row ${index}` })) });

const RETRY_PROMPTS = ['retry: a fox', 'retry: a storm [fail]', 'retry: a bird'];
const LOOP_PROMPTS = Array.from({ length: 12 }, (_, index) => `loop: prompt ${index}`);
const CAP_PROMPTS = Array.from({ length: 5 }, (_, index) => `cap: prompt ${index}`);

const retryWorkflow = buildWorkflow(
	'E2E Retry On Fail',
	[
		manualTrigger(),
		promptList('Prompt List', RETRY_PROMPTS),
		splitOut('Prompts', 'prompts'),
		qwen('Generate', CREDENTIAL, { operation: 'generateAndWait', ...prompt }, { retry: { maxTries: 3, waitBetweenTries: 500 } }),
	],
	[
		['Start', 'Prompt List'],
		['Prompt List', 'Prompts'],
		['Prompts', 'Generate'],
	],
);

const loopAndCapWorkflow = buildWorkflow(
	'E2E Loop Over Items and Max Credits',
	[
		manualTrigger(),
		promptList('Loop Prompt List', LOOP_PROMPTS),
		splitOut('Loop Prompts', 'prompts'),
		loopOverItems('Loop Over Items', 5),
		qwen('Generate In Loop', CREDENTIAL, { operation: 'generateAndWait', ...prompt }),
		setField('Tag', 'tag', "={{ $('Loop Prompts').item.json.tag }}"),
		setField('Done', 'finished', 'yes'),
		promptList('Cap Prompt List', CAP_PROMPTS),
		splitOut('Cap Prompts', 'prompts'),
		qwen('Generate Capped', CREDENTIAL, { operation: 'generateAndWait', ...prompt, options: { maxCredits: 7, maxConcurrency: 5 } }, { continueOnFail: true }),
	],
	[
		['Start', 'Loop Prompt List'],
		['Loop Prompt List', 'Loop Prompts'],
		['Loop Prompts', 'Loop Over Items'],
		['Loop Over Items', 'Generate In Loop', 1],
		['Generate In Loop', 'Tag'],
		['Tag', 'Loop Over Items'],
		['Loop Over Items', 'Done', 0],
		['Start', 'Cap Prompt List'],
		['Cap Prompt List', 'Cap Prompts'],
		['Cap Prompts', 'Generate Capped'],
	],
);

let sandbox: Sandbox;
let home: N8nHome;
let retried: N8nRun;
let looped: N8nRun;

beforeAll(async () => {
	sandbox = await startSandbox({ jobDurationMs: 800 });
	({ home } = await createInstalledHome());
	await home.importCredentials([{ ...CREDENTIAL, type: 'pixelDojoApi', data: { apiKey: sandbox.apiKey, baseUrl: sandbox.apiUrl } }]);
	const [retryId, loopId] = await home.importWorkflow([retryWorkflow, loopAndCapWorkflow]);
	retried = await home.execute(retryId);
	looped = await home.execute(loopId);
}, 600_000);

afterAll(async () => {
	home?.cleanup();
	await sandbox?.close();
});

const jobsFor = (prefix: string) => sandbox.stats().jobs.filter((job) => String(job.body.prompt).startsWith(prefix));

describe(`as n8n users run it, in n8n ${runtime.n8nVersion}`, () => {
	it('Retry On Fail with a failing item: exactly one submit per good item, and one per try for the failing one', () => {
		expect(retried.ok).toBe(false);
		expect(retried.errorMessage).toMatch(/failed: Generation failed/);
		const submits = jobsFor('retry:').map((job) => String(job.body.prompt));
		expect(submits.filter((text) => text === 'retry: a fox')).toHaveLength(1);
		expect(submits.filter((text) => text === 'retry: a bird')).toHaveLength(1);
		expect(submits.filter((text) => text === 'retry: a storm [fail]')).toHaveLength(3);
	});

	it('Loop Over Items in batches of 5: every image, in input order, each paired to its prompt', () => {
		assertRunOk(looped);
		const done = outputOf(looped.runData, 'Done');
		expect(done.map((item) => item.json.tag)).toEqual(LOOP_PROMPTS.map((_, index) => `row ${index}`));
		const promptOfJob = new Map(jobsFor('loop:').map((job) => [job.jobId, String(job.body.prompt)]));
		expect(done.map((item) => promptOfJob.get(item.json.jobId))).toEqual(LOOP_PROMPTS);
		expect(done.every((item) => item.binary?.data?.mimeType === 'image/png')).toBe(true);
		expect(jobsFor('loop:')).toHaveLength(LOOP_PROMPTS.length);
		// Three batches: the node ran three times, each run with its own items paired from 0.
		expect(looped.runData?.['Generate In Loop']).toHaveLength(3);
		expect(outputOf(looped.runData, 'Generate In Loop').map(pairedIndex)).toEqual([0, 1, 2, 3, 4]);
	});

	it('Max Credits 7 at 2 credits an image: three jobs, then credit_limit with nothing submitted', () => {
		const items = outputOf(looped.runData, 'Generate Capped');
		expect(items.map((item) => item.json.code ?? item.json.status)).toEqual(['completed', 'completed', 'completed', 'credit_limit', 'credit_limit']);
		expect(items[3].json.error).toMatch(/Max Credits \(maxCredits\) of 7 reached/);
		// Submits run concurrently, so they may reach the API in any order; which ones went out is what counts.
		expect(jobsFor('cap:').map((job) => String(job.body.prompt)).sort()).toEqual(CAP_PROMPTS.slice(0, 3).sort());
	});
});
