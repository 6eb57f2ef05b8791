import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { promptOfImage } from '../../scripts/bench/metrics';
import { RESUMABLE_TABLE, exampleCredential, loadExample, startedByWebhook, withSettings } from '../../scripts/examples';
import { newWorkflowId } from '../../scripts/n8n-cli';
import { createDataTable, insertRows, ownerSession, readRows, type DataTableRow } from '../../scripts/n8n-rest';
import { createStopList, startQueueCluster } from '../../scripts/queue-cluster';
import { startSandbox, type Sandbox, type SandboxJob, type SandboxStats } from '../support/sandbox';
import { n8nMajor, packed, runtime } from './support/context';
import { buildWorkflow, qwen, splitOut, webhookTrigger } from './support/workflow';

// n8n in queue mode as an operator runs it: Postgres, Redis, a main and two workers, each with the
// package installed from its tarball. One cluster for the whole file (starting one costs a
// minute or more on 2 cores); the cases run in order on it and each counts only its own prompts.

/** The examples' credential, so that the resumable example runs as it is. */
const CREDENTIAL = exampleCredential();
const WORKER_CONCURRENCY = 10;

const BURST_PATH = 'qwen-queue-burst';
const BURST_CALLS = 20;
const BURST_PROMPTS = Array.from({ length: BURST_CALLS }, (_, index) => `queue burst: a lighthouse at dusk, take ${index}`);

const BULK_PATH = 'qwen-queue-bulk';
const BULK_PROMPTS = Array.from({ length: 36 }, (_, index) => `queue bulk: a harbour at dawn, take ${index}`);
const BULK_MAX_CONCURRENCY = 10;

const RESUMABLE_EXAMPLE = 'resumable-bulk-run.json';
const RESUMABLE_PATH = 'qwen-queue-resumable';
const RESUMABLE_PROMPTS = Array.from({ length: 40 }, (_, index) => `queue resumable: a paper boat on a rain puddle, take ${index}`);
/** The example's Loop Over Items batch: the prompts submitted but not yet written back when a worker dies. */
const RESUMABLE_BATCH = 10;

// 1.x leaves Bull's maxStalledCount at 1: a job whose worker died is handed once to a live worker,
// which runs the execution again from its start, under the same ID. 2.x sets it to 0: the job
// fails, the main marks the execution `error`, and nothing runs it again.
const N8N_RUNS_STALLED_JOB_AGAIN = n8nMajor < 2;

// A dead worker's job is noticed when its lock lapses unrenewed, at the next stalled-job check of
// a live worker (n8n's defaults: a 60 s lock, checked every 30 s; 2.x then rechecks the execution
// for 30 s before it gives up). Shorter here to keep the test short, still far above a lock
// renewal (every 5 s) that a busy machine could delay.
const QUEUE_ENV = { QUEUE_WORKER_LOCK_DURATION: '20000', QUEUE_WORKER_LOCK_RENEW_TIME: '5000', QUEUE_WORKER_STALLED_INTERVAL: '10000' };
const SETTLE_TIMEOUT_MS = 240_000;
// Binary data must be where every process finds it: 2.x defaults to Postgres in queue mode; 1.x
// defaults to keeping it in the execution's memory (the main would answer a Buffer's JSON), and
// offers Postgres only when asked for.
const BINARY_DATA_ENV: Record<string, string> = n8nMajor < 2 ? { N8N_AVAILABLE_BINARY_DATA_MODES: 'filesystem,database', N8N_DEFAULT_BINARY_DATA_MODE: 'database' } : {};

// Short jobs for the burst, a few seconds for the bulk runs so that a kill finds jobs in flight.
const jobDurationMs = (job: { body: Record<string, unknown> }) => (String(job.body.prompt).startsWith('queue burst') ? 1500 : 4000);

// Each call answers when the last node is done: the burst with its image (so the bytes come from
// the main, which read them from where the worker stored them), the bulk run with every item's json.
const burstWorkflow = buildWorkflow(
	'E2E queue burst',
	[webhookTrigger('Webhook', BURST_PATH, 'firstEntryBinary'), qwen('Generate', CREDENTIAL, { operation: 'generateAndWait', prompt: '={{ $json.body.prompt }}' })],
	[['Webhook', 'Generate']],
);
const bulkWorkflow = buildWorkflow(
	'E2E queue bulk',
	[
		webhookTrigger('Webhook', BULK_PATH, 'allEntries'),
		splitOut('Prompts', 'body.prompts'),
		qwen('Generate', CREDENTIAL, { operation: 'generateAndWait', prompt: '={{ $json.prompt }}', options: { maxConcurrency: BULK_MAX_CONCURRENCY } }),
	],
	[
		['Webhook', 'Prompts'],
		['Prompts', 'Generate'],
	],
);

type Cluster = Awaited<ReturnType<typeof startQueueCluster>>;

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pixeldojo-e2e-queue-'));
/** Where the resumable example writes its images: the workers share this machine's disk. */
const outputFolder = path.join(scratch, 'images');
const stops = createStopList();
let sandbox: Sandbox;
let cluster: Cluster;
let workflowIdOf: Record<string, string>;

beforeAll(async () => {
	fs.mkdirSync(outputFolder);
	// A key no log line could hold by chance, so that finding it means a leak.
	sandbox = await startSandbox({ jobDurationMs, apiKeys: [`pd-queue-${randomBytes(12).toString('hex')}`] });
	await stops.add(() => sandbox.close());
	const workflows = [burstWorkflow, bulkWorkflow].map((workflow) => ({ ...workflow, id: newWorkflowId() }));
	workflowIdOf = Object.fromEntries(workflows.map((workflow) => [workflow.name, workflow.id]));
	cluster = await startQueueCluster({
		runtime,
		tarball: packed.tarball,
		scratch,
		stops,
		concurrency: WORKER_CONCURRENCY,
		credentials: [{ ...CREDENTIAL, type: 'pixelDojoApi', data: { apiKey: sandbox.apiKey, baseUrl: sandbox.apiUrl } }],
		workflows,
		webhookPaths: [BURST_PATH, BULK_PATH],
		env: { ...QUEUE_ENV, ...BINARY_DATA_ENV, N8N_RESTRICT_FILE_ACCESS_TO: outputFolder },
	});
}, 900_000);

afterAll(async () => {
	try {
		await stops.stopAll();
	} finally {
		fs.rmSync(scratch, { recursive: true, force: true });
	}
}, 120_000);

/** n8n's own record of the executions of a workflow: id → status. */
function executionStatuses(workflowName: string): Record<string, string> {
	const rows = cluster.postgres.query(`select id, status from execution_entity where "workflowId" = '${workflowIdOf[workflowName]}' order by id`);
	return Object.fromEntries(rows.map(([id, status]) => [id, status]));
}

/** The execution's status once n8n is done with it; undefined while it is new or running. */
function endedStatus(workflowName: string, executionId: string): string | undefined {
	const status = executionStatuses(workflowName)[executionId];
	return status === 'new' || status === 'running' ? undefined : status;
}

/** Polls `read` until it returns something, with the cluster's logs in the error if it never does. */
async function waitFor<T>(what: string, read: () => T | undefined, timeoutMs: number): Promise<T> {
	for (const until = Date.now() + timeoutMs; ; await new Promise((resolve) => setTimeout(resolve, 250))) {
		const value = read();
		if (value !== undefined) return value;
		if (Date.now() > until) throw new Error(`waited ${timeoutMs} ms for ${what}\n${cluster.logs().map(({ name, text }) => `--- ${name}\n${text.slice(-3000)}`).join('\n')}`);
	}
}

interface CrashedRun {
	victim: number;
	executionId: string;
	/** The sandbox's jobs for the run's prompts when the worker died. */
	jobsAtKill: SandboxJob[];
	/** The killed execution's status once n8n stopped waiting for it, and the reason the main logged. */
	status: string;
	reason: string | undefined;
	settledAfterMs: number;
	/** The execution that went to the end: the killed one run again (1.x), or a new one (2.x). */
	finished: { executionId: string; worker: number; status: string };
}

/**
 * Starts a run (`start(0)`), SIGKILLs the worker that took it once half its prompts have jobs
 * (the sandbox's count, not a timer), waits for n8n to settle the execution, and, where n8n
 * leaves it failed, starts the workflow again (`start(1)`) as its user would. Resolves when a run
 * has gone to the end.
 */
async function crashMidRun(workflowName: string, prompts: string[], start: (attempt: number) => Promise<unknown>): Promise<CrashedRun> {
	const taken = cluster.workers.map((_, i) => cluster.executionsOf(i).length);
	const running = [start(0).catch((error: Error) => error)];
	const victim = await waitFor(
		'a worker to take the run',
		() => {
			const index = cluster.workers.findIndex((_, i) => cluster.executionsOf(i).length > taken[i]);
			return index >= 0 ? index : undefined;
		},
		120_000,
	);
	const survivor = 1 - victim;
	const executionId = cluster.executionsOf(victim).at(-1)!;
	const jobsOfRun = () => sandbox.stats().jobs.filter((job) => prompts.includes(String(job.body.prompt)));
	await waitFor('half the prompts submitted', () => (jobsOfRun().length >= prompts.length / 2 ? true : undefined), 300_000);
	await cluster.workers[victim].crash();
	const killedAt = Date.now();
	// The sandbox runs in this process: submits the worker sent just before it died may still be
	// on their way through this event loop, so the count is taken once it stops moving.
	let previous = -1;
	const jobsAtKill = await waitFor(
		"the killed worker's last submits to land",
		() => {
			const jobs = jobsOfRun();
			const settled = jobs.length === previous;
			previous = jobs.length;
			return settled ? jobs : undefined;
		},
		60_000,
	);
	const status = await waitFor('n8n to settle the killed execution', () => endedStatus(workflowName, executionId), SETTLE_TIMEOUT_MS);
	const settledAfterMs = Date.now() - killedAt;
	// 2.x's main logs why it gave up just before it stores the status, and its log reaches this
	// process a little later than Postgres answers.
	const giveUp = new RegExp(`Problem with execution ${executionId}: ([^\\n]*?)\\. Aborting`);
	const reason = N8N_RUNS_STALLED_JOB_AGAIN ? undefined : await waitFor("the main's reason for giving up", () => giveUp.exec(cluster.main.output())?.[1], 30_000);
	let finishedId = executionId;
	if (!N8N_RUNS_STALLED_JOB_AGAIN) {
		const before = cluster.executionsOf(survivor).length;
		running.push(start(1).catch((error: Error) => error));
		finishedId = await waitFor('the workflow run again to be taken', () => cluster.executionsOf(survivor)[before], 120_000);
	}
	const finishedStatus = await waitFor('the run to end', () => endedStatus(workflowName, finishedId), SETTLE_TIMEOUT_MS);
	await Promise.all(running);
	return {
		victim,
		executionId,
		jobsAtKill,
		status,
		reason,
		settledAfterMs,
		finished: { executionId: finishedId, worker: cluster.executionsOf(survivor).includes(finishedId) ? survivor : victim, status: finishedStatus },
	};
}

function itShowsWhatN8nDoesWithTheKilledRun(crashed: () => CrashedRun) {
	if (N8N_RUNS_STALLED_JOB_AGAIN) {
		it("n8n 1.x hands the dead worker's job to the other worker, which runs the execution again from its start, to success", () => {
			const { victim, executionId, status, finished } = crashed();
			expect({ status, finished }).toEqual({ status: 'success', finished: { executionId, worker: 1 - victim, status: 'success' } });
		});
	} else {
		it('n8n 2.x fails the execution ("failed to be processed too many times"); run again, the workflow finishes on the other worker', () => {
			const { victim, executionId, status, reason, finished } = crashed();
			expect({ status, reason }).toEqual({ status: 'error', reason: expect.stringMatching(/^This execution failed to be processed too many times and will no longer retry/) });
			expect(finished.executionId).not.toBe(executionId);
			expect(finished).toEqual({ executionId: finished.executionId, worker: 1 - victim, status: 'success' });
		});
	}
}

const jobsPerPrompt = (stats: SandboxStats, prompts: string[]) => prompts.map((prompt) => stats.jobs.filter((job) => job.body.prompt === prompt).length);

describe(`n8n ${runtime.n8nVersion} in queue mode: a main and two workers`, () => {
	describe(`${BURST_CALLS} webhook calls at once`, () => {
		let answers: Array<Awaited<ReturnType<Cluster['main']['postWebhook']>>>;
		let stats: SandboxStats;
		beforeAll(async () => {
			answers = await Promise.all(BURST_PROMPTS.map((prompt) => cluster.main.postWebhook(BURST_PATH, { prompt })));
			stats = sandbox.stats();
		}, 600_000);

		it('every execution succeeds, and both workers ran some', () => {
			const statuses = Object.values(executionStatuses(burstWorkflow.name));
			expect(statuses).toEqual(Array(BURST_CALLS).fill('success'));
			const perWorker = cluster.workers.map((_, i) => cluster.executionsOf(i).length);
			expect(perWorker.reduce((sum, count) => sum + count, 0)).toBe(BURST_CALLS);
			expect(Math.min(...perWorker)).toBeGreaterThan(0);
		});

		it('each call gets, from the main, the very image the sandbox served for its prompt', () => {
			expect(answers.map((answer) => `${answer.status} ${answer.contentType.split(';')[0]}`)).toEqual(Array(BURST_CALLS).fill('200 image/png'));
			const promptOf = promptOfImage(stats);
			expect(answers.map((answer) => promptOf(answer.body))).toEqual(BURST_PROMPTS);
		});

		it('submits one job per prompt', () => {
			expect(jobsPerPrompt(stats, BURST_PROMPTS)).toEqual(Array(BURST_CALLS).fill(1));
		});
	});

	describe(`a worker SIGKILLed in the middle of a Generate and Wait bulk run (${BULK_PROMPTS.length} prompts, Max Concurrency ${BULK_MAX_CONCURRENCY})`, () => {
		let crash: CrashedRun;
		let answers: string[];
		let stats: SandboxStats;
		const abort = new AbortController();
		afterAll(() => abort.abort());

		beforeAll(async () => {
			answers = [];
			crash = await crashMidRun(bulkWorkflow.name, BULK_PROMPTS, async (attempt) => {
				const answer = await cluster.main.postWebhook(BULK_PATH, { prompts: BULK_PROMPTS.map((prompt) => ({ prompt })) }, { signal: abort.signal });
				answers[attempt] = `${answer.status} ${answer.body.toString('utf8')}`;
			});
			stats = sandbox.stats();
		}, 900_000);

		itShowsWhatN8nDoesWithTheKilledRun(() => crash);

		it(`the call that started the killed run is answered: ${N8N_RUNS_STALLED_JOB_AGAIN ? 'with every item, once the run again is done' : '500, "Error in workflow"'}`, () => {
			if (N8N_RUNS_STALLED_JOB_AGAIN) expect(JSON.parse(answers[0].slice(4)).map((item: { prompt: string }) => item.prompt)).toEqual(BULK_PROMPTS);
			else expect(answers[0]).toBe('500 {"message":"Error in workflow"}');
		});

		it('the run that finishes answers every prompt, each with a completed job of its own', () => {
			const items = JSON.parse(answers.at(-1)!.slice(4)) as Array<{ prompt: string; jobId: string }>;
			expect(items.map((item) => item.prompt)).toEqual(BULK_PROMPTS);
			const jobs = new Map(stats.jobs.map((job) => [job.jobId, job]));
			expect(items.filter((item) => jobs.get(item.jobId)?.status !== 'completed' || jobs.get(item.jobId)?.body.prompt !== item.prompt)).toEqual([]);
		});

		it('pays again for every prompt the killed run had submitted, and only for those', () => {
			const paidTwice = new Set(crash.jobsAtKill.map((job) => job.body.prompt));
			process.stderr.write(`[queue-mode] Generate and Wait: worker killed after ${crash.jobsAtKill.length} of ${BULK_PROMPTS.length} prompts submitted; n8n settled the run ${crash.settledAfterMs} ms later; jobs in all ${jobsPerPrompt(stats, BULK_PROMPTS).reduce((a, b) => a + b, 0)}\n`);
			expect(crash.jobsAtKill.length).toBeLessThan(BULK_PROMPTS.length);
			expect(jobsPerPrompt(stats, BULK_PROMPTS)).toEqual(BULK_PROMPTS.map((prompt) => (paidTwice.has(prompt) ? 2 : 1)));
		});
	});

	describe(`a worker SIGKILLed in the middle of the resumable bulk run (examples/${RESUMABLE_EXAMPLE}, ${RESUMABLE_PROMPTS.length} prompts)`, () => {
		let crash: CrashedRun;
		let rows: DataTableRow[];
		let stats: SandboxStats;

		beforeAll(async () => {
			// What a user does first in the editor: the owner account, the table, its prompts; the
			// example then gets the table's ID, and the main registers its webhook at its next start.
			const session = await ownerSession(cluster.main.url);
			const tableId = await createDataTable(session, RESUMABLE_TABLE.name, RESUMABLE_TABLE.columns);
			await insertRows(session, tableId, RESUMABLE_PROMPTS.map((prompt) => ({ prompt })));
			const workflow = { ...startedByWebhook(withSettings(loadExample(RESUMABLE_EXAMPLE), { outputFolder, dataTableId: tableId }), RESUMABLE_PATH), id: newWorkflowId() };
			workflowIdOf[workflow.name] = workflow.id;
			await cluster.mainHome.importWorkflow(workflow);
			await cluster.mainHome.activateWorkflow(workflow.id);
			await cluster.restartMain([RESUMABLE_PATH]);
			// The worker killed above, back, so that the kill again leaves one to finish the run.
			await Promise.all(cluster.workers.map((worker, i) => (worker.exited() ? cluster.startWorker(i) : undefined)));

			crash = await crashMidRun(workflow.name, RESUMABLE_PROMPTS, () => cluster.main.postWebhook(RESUMABLE_PATH, {}));
			rows = await readRows(await ownerSession(cluster.main.url), tableId);
			stats = sandbox.stats();
		}, 900_000);

		itShowsWhatN8nDoesWithTheKilledRun(() => crash);

		it('every row ends done, with its own job and the image bytes PixelDojo served', () => {
			expect(rows.map((row) => row.prompt).sort()).toEqual([...RESUMABLE_PROMPTS].sort());
			const jobs = new Map(stats.jobs.map((job) => [job.jobId, job]));
			const wrong = rows.filter((row) => {
				const served = sandbox.imageBytesFor(`${sandbox.imageOrigin}/images/${String(row.jobId)}-0.png`);
				return row.status !== 'done' || jobs.get(String(row.jobId))?.body.prompt !== row.prompt || !served || !fs.readFileSync(String(row.imageFile)).equals(served);
			});
			expect(wrong).toEqual([]);
		});

		it(`pays for every prompt once: at most the batch in flight at the kill (${RESUMABLE_BATCH}) twice, and only prompts the killed run had submitted`, () => {
			const counts = jobsPerPrompt(stats, RESUMABLE_PROMPTS);
			const submittedBeforeKill = new Set(crash.jobsAtKill.map((job) => job.body.prompt));
			const twice = RESUMABLE_PROMPTS.filter((_, index) => counts[index] === 2);
			process.stderr.write(`[queue-mode] resumable: worker killed after ${crash.jobsAtKill.length} of ${RESUMABLE_PROMPTS.length} prompts submitted; n8n settled the run ${crash.settledAfterMs} ms later; paid twice ${twice.length}\n`);
			expect(crash.jobsAtKill.length).toBeLessThan(RESUMABLE_PROMPTS.length);
			expect(counts.filter((count) => count !== 1 && count !== 2)).toEqual([]);
			expect(twice.length).toBeLessThanOrEqual(RESUMABLE_BATCH);
			expect(twice.filter((prompt) => !submittedBeforeKill.has(prompt))).toEqual([]);
		});
	});

	describe('after all of it', () => {
		it('the API key is nowhere in clear: not in the Postgres dump, not in any process log', () => {
			const dump = cluster.postgres.dump();
			// The executions' data is in the dump, so the key's absence from it means something.
			expect(BURST_PROMPTS.filter((prompt) => !dump.includes(prompt))).toEqual([]);
			const places = [{ name: 'Postgres dump', text: dump }, ...cluster.logs()];
			expect(places.filter(({ text }) => text.includes(sandbox.apiKey)).map(({ name }) => name)).toEqual([]);
		});
	});
});
