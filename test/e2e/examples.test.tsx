import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { exampleCredential, exampleId, loadExample, loadExamples, runnableNow, withOutputFolder } from '../../scripts/examples';
import { startSandbox, type Sandbox } from '../support/sandbox';
import { createInstalledHome, QWEN_NODE_TYPE, type N8nHome, type N8nRun } from './support/context';
import { assertRunOk, outputOf } from './support/runData';

// Every example imports into real n8n as it is; the two that need no third-party account also
// run end to end against the sandbox and write their image files.
const examples = loadExamples();
const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixeldojo-examples-'));
// n8n's Write Files node needs the folder to exist.
for (const folder of ['bulk', 'scheduled']) fs.mkdirSync(path.join(outputDir, folder));
// One of the demo's prompts is refused by PixelDojo (the sandbox fails prompts that hold "[fail]").
const REFUSED_PROMPT = 4;
const runnable = {
	bulk: { ...withRefusedPrompt(withOutputFolder(loadExample('bulk-demo.json'), path.join(outputDir, 'bulk')), REFUSED_PROMPT), id: 'e2eBulkDemoRun01', name: 'bulk demo (run)' },
	scheduled: {
		...runnableNow(withOutputFolder(loadExample('scheduled-bulk-run.json'), path.join(outputDir, 'scheduled')), { waitSeconds: 1 }),
		id: 'e2eScheduledRun1',
		name: 'scheduled bulk run (run now)',
	},
};

let sandbox: Sandbox;
let home: N8nHome;
let stored: Array<{ id: string; name: string; nodes: Array<{ type: string }> }>;
let runs: Record<keyof typeof runnable, N8nRun>;
let afterBulk: ReturnType<Sandbox['stats']>;

beforeAll(async () => {
	sandbox = await startSandbox({ jobDurationMs: { distribution: 'uniform', min: 300, max: 900, seed: 7 } });
	({ home } = await createInstalledHome({ N8N_RESTRICT_FILE_ACCESS_TO: outputDir }));
	await home.importCredentials([{ ...exampleCredential(), type: 'pixelDojoApi', data: { apiKey: sandbox.apiKey, baseUrl: sandbox.apiUrl } }]);
	await home.importWorkflow([...examples.map(({ file, workflow }) => ({ ...workflow, id: exampleId(file) })), runnable.bulk, runnable.scheduled]);
	stored = await exportAllWorkflows(home);
	const bulk = await home.execute(runnable.bulk.id);
	afterBulk = sandbox.stats();
	runs = { bulk, scheduled: await home.execute(runnable.scheduled.id) };
}, 600_000);

afterAll(async () => {
	home?.cleanup();
	await sandbox?.close();
	fs.rmSync(outputDir, { recursive: true, force: true });
});

it('every example uses the installed node type and one shared credential reference', () => {
	expect(examples.map((e) => e.file)).toEqual(['ai-agent-tool.json', 'bulk-demo.json', 'google-sheets-to-drive.json', 'notion-to-notion.json', 'resumable-bulk-run.json', 'scheduled-bulk-run.json']);
	for (const { workflow } of examples) {
		const ours = workflow.nodes.filter((n) => n.type.startsWith('n8n-nodes-pixeldojo.'));
		expect(ours.length).toBeGreaterThan(0);
		for (const node of ours) {
			expect([QWEN_NODE_TYPE, `${QWEN_NODE_TYPE}Tool`]).toContain(node.type);
			expect(node.credentials?.pixelDojoApi).toEqual(exampleCredential());
		}
	}
});

it('every example imports into n8n without error, nodes and all', () => {
	for (const { file, workflow } of examples) {
		const inN8n = stored.find((w) => w.id === exampleId(file));
		expect({ file, name: inN8n?.name, types: inN8n?.nodes.map((n) => n.type) }).toEqual({ file, name: workflow.name, types: workflow.nodes.map((n) => n.type) });
	}
});

/** The workflow with the prompt at `index` of its Settings node marked to fail at the sandbox. */
function withRefusedPrompt<W extends ReturnType<typeof loadExample>>(workflow: W, index: number): W {
	const settings = workflow.nodes.find((node) => node.name === 'Settings')!;
	const json = JSON.parse(settings.parameters.jsonOutput);
	json.prompts[index] = `${json.prompts[index]} [fail]`;
	settings.parameters.jsonOutput = JSON.stringify(json, null, 2);
	return workflow;
}

/** What n8n has in its database, read back with its own export command. */
async function exportAllWorkflows(n8n: N8nHome) {
	const file = path.join(n8n.userFolder, 'work', 'exported-workflows.json');
	const result = await n8n.run(['export:workflow', '--all', `--output=${file}`]);
	if (!fs.existsSync(file)) throw new Error(`n8n export:workflow failed (exit ${result.exitCode}):\n${result.stdout}${result.stderr}`);
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The files a run's Write Image Files node wrote hold exactly the bytes the sandbox served. */
function expectWrittenImages(run: N8nRun, imageNode: string, count: number) {
	assertRunOk(run);
	const images = outputOf(run.runData, imageNode);
	const written = outputOf(run.runData, 'Write Image Files');
	expect(images).toHaveLength(count);
	expect(written).toHaveLength(count);
	written.forEach((item, i) => {
		const served = sandbox.imageBytesFor(images[i].json.imageUrl);
		expect(fs.readFileSync(item.json.fileName).equals(served!)).toBe(true);
	});
}

it('bulk-demo: a dozen prompts, 6 jobs at once (maxConcurrency); a refused prompt leaves by the error output, the other 11 become files', () => {
	expectWrittenImages(runs.bulk, 'Generate Images', 11);
	expect(afterBulk.jobsCreated).toBe(12);
	expect(afterBulk.maxInFlight).toBe(6);
	expect(fs.readdirSync(path.join(outputDir, 'bulk'))).toHaveLength(11);
	const [failed, ...more] = outputOf(runs.bulk.runData, 'Failed Prompts');
	expect(more).toEqual([]);
	const refusedJob = afterBulk.jobs.find((job) => String(job.body.prompt).endsWith('[fail]'));
	expect(failed.json.error).toEqual({ message: expect.stringMatching(/failed/), code: 'job_failed', jobId: refusedJob?.jobId });
	// n8n merges the paired input item into an error-output item (its pairedItem n8n then rewrites
	// while tracing it back): the prompt it carries shows the node paired it to the right input.
	expect(failed.json.prompt).toBe(String(refusedJob?.body.prompt));
});

it('scheduled-bulk-run (started now): Submit, Wait, Poll with waiting, image files', () => {
	expectWrittenImages(runs.scheduled, 'Collect Images', 4);
	const submitted = outputOf(runs.scheduled.runData, 'Submit Jobs').map((i) => i.json.jobId);
	expect(outputOf(runs.scheduled.runData, 'Collect Images').map((i) => i.json.jobId)).toEqual(submitted);
	expect(fs.readdirSync(path.join(outputDir, 'scheduled'))).toHaveLength(4);
});
