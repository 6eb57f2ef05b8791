import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { RESUMABLE_TABLE, exampleCredential, loadExample, startedByWebhook, withSettings } from '../../scripts/examples';
import { startSandbox, type Sandbox, type SandboxStats } from '../support/sandbox';
import { createInstalledHome, type N8nHome } from './support/context';
import { createDataTable, hasEnded, insertRows, listExecutions, ownerSession, readRows, type DataTableRow, type ExecutionSummary, type OwnerSession } from '../../scripts/n8n-rest';

// n8n killed in the middle of a bulk run, as an update, a deploy or the out-of-memory killer does
// it: SIGKILL to its whole process group while the resumable example (examples/
// resumable-bulk-run.json) has submitted about half its prompts, then n8n started again on the
// same data and the workflow run again, as its schedule would. What was paid for is collected,
// not bought again.
// One prompt PixelDojo refuses (the sandbox fails a job whose prompt holds "[fail]"), and a row
// with no prompt, which the node refuses before sending anything.
const FAILING = 7;
const PROMPTS = Array.from({ length: 40 }, (_, index) => `restart: a paper boat on a rain puddle, take ${index}${index === FAILING ? ' [fail]' : ''}`);
const EMPTY_ROW = { prompt: '' };
const EXAMPLE = 'resumable-bulk-run.json';
const WEBHOOK_PATH = 'resumable-run';
/** The example's Loop Over Items batch: the prompts submitted but not yet written back when n8n dies. */
const BATCH_SIZE = 10;
// Jobs that take seconds, as PixelDojo's do, so that jobs are still running when n8n dies.
const SANDBOX = { jobDurationMs: { distribution: 'uniform', min: 2000, max: 5000, seed: 18 } };

type Editor = Awaited<ReturnType<N8nHome['startEditor']>>;

const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixeldojo-restart-'));
let sandbox: Sandbox;
let home: N8nHome;
let editor: Editor | undefined;
let session: OwnerSession;
let tableId: string;
let atKill: SandboxStats;
let executionsAfterRestart: ExecutionSummary[];
let rows: DataTableRow[];
let final: SandboxStats;
let retried: string;
let afterRetry: SandboxStats;

beforeAll(async () => {
	sandbox = await startSandbox(SANDBOX);
	({ home } = await createInstalledHome({ N8N_RESTRICT_FILE_ACCESS_TO: outputDir }));
	await home.importCredentials([{ ...exampleCredential(), type: 'pixelDojoApi', data: { apiKey: sandbox.apiKey, baseUrl: sandbox.apiUrl } }]);
	// What a user does first in the editor: the owner account, the table, its prompts. The
	// example then gets the table's ID, and n8n registers its trigger at the next start.
	editor = await home.startEditor();
	session = await ownerSession(editor.url);
	tableId = await createDataTable(session, RESUMABLE_TABLE.name, RESUMABLE_TABLE.columns);
	await insertRows(
		session,
		tableId,
		[...PROMPTS.map((prompt) => ({ prompt })), EMPTY_ROW],
	);
	await editor.stop();
	const [workflowId] = await home.importWorkflow(startedByWebhook(withSettings(loadExample(EXAMPLE), { outputFolder: outputDir, dataTableId: tableId }), WEBHOOK_PATH));
	await home.activateWorkflow(workflowId);

	editor = await home.startEditor();
	await editor.waitForWebhook(WEBHOOK_PATH);
	await editor.postWebhook(WEBHOOK_PATH, {});
	await until(() => sandbox.stats().jobsCreated >= PROMPTS.length / 2, 'half the prompts submitted', 20);
	await editor.crash();
	atKill = sandbox.stats();

	editor = await home.startEditor();
	session = await ownerSession(editor.url);
	executionsAfterRestart = await listExecutions(session);
	await editor.waitForWebhook(WEBHOOK_PATH);
	await editor.postWebhook(WEBHOOK_PATH, {});
	await until(async () => (await listExecutions(session)).some((execution) => hasEnded(execution) && !executionsAfterRestart.some((before) => before.id === execution.id)), 'the second run to end', 1000);
	rows = await readRows(session, tableId);
	final = sandbox.stats();

	// What a user may also do: retry the crashed execution from the executions list.
	const crashed = executionsAfterRestart[0];
	retried = await session.request('POST', `/executions/${crashed.id}/retry`, { loadWorkflow: false }).then(
		() => 'accepted',
		(error: Error) => error.message,
	);
	await until(async () => (await listExecutions(session)).every(hasEnded), 'the retry to end', 1000);
	afterRetry = sandbox.stats();
}, 900_000);

afterAll(async () => {
	await editor?.stop();
	home?.cleanup();
	await sandbox?.close();
	fs.rmSync(outputDir, { recursive: true, force: true });
});

/** Waits for `condition`, checking every `everyMs`, for at most 5 minutes. */
async function until(condition: () => boolean | Promise<boolean>, what: string, everyMs: number) {
	for (const deadline = Date.now() + 300_000; !(await condition()); await new Promise((resolve) => setTimeout(resolve, everyMs))) {
		if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
	}
}

const jobsPerPrompt = (stats: SandboxStats) => PROMPTS.map((prompt) => stats.jobs.filter((job) => job.body.prompt === prompt).length);

it('n8n died with jobs running and prompts left to submit', () => {
	expect(atKill.jobsCreated).toBeGreaterThanOrEqual(PROMPTS.length / 2);
	expect(atKill.jobsCreated).toBeLessThan(PROMPTS.length);
	expect(atKill.jobs.some((job) => job.status === 'running' || job.status === 'queued')).toBe(true);
});

it('n8n marks the killed run crashed at its next start; nothing resumes it', () => {
	expect(executionsAfterRestart.map((execution) => execution.status)).toEqual(['crashed']);
});

it('run again, every prompt is paid for once: at most the batch in flight at the kill twice', () => {
	const counts = jobsPerPrompt(final);
	const twice = counts.filter((count) => count === 2).length;
	process.stderr.write(`[restart] jobs at the kill ${atKill.jobsCreated}; in all ${final.jobsCreated} for ${PROMPTS.length} prompts; paid twice ${twice}\n`);
	expect(counts.every((count) => count === 1 || count === 2)).toBe(true);
	expect(twice).toBeLessThanOrEqual(BATCH_SIZE);
	// Only a prompt the first run had submitted can have been submitted twice.
	const submittedBeforeKill = new Set(atKill.jobs.map((job) => job.body.prompt));
	PROMPTS.forEach((prompt, index) => {
		if (counts[index] === 2) expect(submittedBeforeKill.has(prompt)).toBe(true);
	});
});

it('every row ends done, with its own job and the image bytes PixelDojo served; a refused job and a refused row end failed, saying why', () => {
	expect(rows).toHaveLength(PROMPTS.length + 1);
	for (const row of rows) {
		const job = final.jobs.find((candidate) => candidate.jobId === row.jobId);
		if (row.prompt === EMPTY_ROW.prompt) {
			expect({ status: row.status, jobId: row.jobId || undefined, error: row.error }).toEqual({ status: 'failed', jobId: undefined, error: expect.stringContaining('Prompt') });
			continue;
		}
		if (row.prompt === PROMPTS[FAILING]) {
			expect({ status: row.status, prompt: job?.body.prompt, error: row.error }).toEqual({ status: 'failed', prompt: row.prompt, error: expect.stringContaining('content policy') });
			continue;
		}
		expect({ status: row.status, prompt: job?.body.prompt }).toEqual({ status: 'done', prompt: row.prompt });
		const served = sandbox.imageBytesFor(`${sandbox.imageOrigin}/images/${String(row.jobId)}-0.png`);
		expect(served).toBeDefined();
		expect(fs.readFileSync(String(row.imageFile)).equals(served!)).toBe(true);
	}
	expect(final.jobs.filter((job) => job.body.prompt === EMPTY_ROW.prompt)).toEqual([]);
});

it('retrying the crashed execution from the executions list buys nothing either', () => {
	process.stderr.write(`[restart] retry of the crashed execution: ${retried}\n`);
	expect(afterRetry.jobsCreated).toBe(final.jobsCreated);
});
