import { promptOfImage } from '../../scripts/bench/metrics';
import { startSandbox, type Sandbox, type SandboxStats } from '../support/sandbox';
import { createInstalledHome, n8nMajor, runtime, type N8nHome } from './support/context';
import { buildWorkflow, qwen, webhookTrigger, type CredentialRef } from './support/workflow';

// Twenty executions started at once on one running n8n, as users meet it: a webhook called twenty
// times together, one prompt per call, answered with the image when the node is done. Every call
// of the node uses the same key in the same n8n process, so all share the key's coordinator: one
// request budget, one learnt duration model, one limit on the key's jobs in flight.
const CREDENTIAL: CredentialRef = { id: 'e2eBurstCred0001', name: 'PixelDojo sandbox' };
const WEBHOOK_PATH = 'qwen-burst';
const EXECUTIONS = 20;
/** The node's default Max Concurrency: the key's jobs in flight, whatever the number of executions. */
const MAX_CONCURRENCY = 5;
const PROMPTS = Array.from({ length: EXECUTIONS }, (_, index) => `burst: a lighthouse at dusk, take ${index}`);

// PixelDojo's rate limit the way the vendor documents it: a 429 with Retry-After and no
// X-RateLimit-* headers, over a sliding minute (the window the node assumes for such a limit).
// 30 a minute rather than the vendor's 60, so that the run (about 45 requests) meets the limit
// and gets past it within the test's time; 60 would never be met by twenty jobs of 1-2 s.
const SANDBOX = {
	jobDurationMs: { distribution: 'uniform', min: 1000, max: 2000, seed: 9 },
	rateLimit: { requestsPerMinute: 30, headers: false },
};

const workflow = buildWorkflow(
	'E2E webhook burst',
	[webhookTrigger('Webhook', WEBHOOK_PATH, 'firstEntryBinary'), qwen('Generate', CREDENTIAL, { operation: 'generateAndWait', prompt: '={{ $json.body.prompt }}' })],
	[['Webhook', 'Generate']],
);

type Editor = Awaited<ReturnType<N8nHome['startEditor']>>;
type WebhookAnswer = Awaited<ReturnType<Editor['postWebhook']>>;

let sandbox: Sandbox;
let home: N8nHome;
let editor: Editor | undefined;
let answers: WebhookAnswer[];
let stats: SandboxStats;

beforeAll(async () => {
	sandbox = await startSandbox(SANDBOX);
	// n8n 1.x in its default in-memory binary mode answers a webhook's file as the JSON of a Node
	// Buffer ({"type":"Buffer","data":[…]}); in filesystem mode (2.x's default) it sends the bytes.
	({ home } = await createInstalledHome(n8nMajor < 2 ? { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' } : {}));
	await home.importCredentials([{ ...CREDENTIAL, type: 'pixelDojoApi', data: { apiKey: sandbox.apiKey, baseUrl: sandbox.apiUrl } }]);
	const [workflowId] = await home.importWorkflow(workflow);
	await home.activateWorkflow(workflowId);
	editor = await home.startEditor();
	await editor.waitForWebhook(WEBHOOK_PATH);
	answers = await Promise.all(PROMPTS.map((prompt) => editor!.postWebhook(WEBHOOK_PATH, { prompt })));
	stats = sandbox.stats();
}, 600_000);

afterAll(async () => {
	await editor?.stop();
	home?.cleanup();
	await sandbox?.close();
});

const apiLog = () => stats.requestLog.filter((entry) => entry.origin === 'api');

describe(`${EXECUTIONS} webhook executions at once on one n8n ${runtime.n8nVersion}`, () => {
	it('each answers with the image of its own prompt', () => {
		// n8n 1.x adds "; charset=utf-8" to the image's type.
		expect(answers.map((answer) => `${answer.status} ${answer.contentType.split(';')[0]}`)).toEqual(Array(EXECUTIONS).fill('200 image/png'));
		const promptOf = promptOfImage(stats);
		expect(answers.map((answer) => promptOf(answer.body))).toEqual(PROMPTS);
	});

	it('submits every prompt exactly once: no execution pays twice', () => {
		expect(stats.jobs.map((job) => String(job.body.prompt)).sort()).toEqual([...PROMPTS].sort());
		expect(stats.creditsSpent).toBe(2 * EXECUTIONS);
	});

	it(`keeps the key to Max Concurrency (${MAX_CONCURRENCY}) jobs in flight across the executions, and uses them`, () => {
		expect(stats.maxInFlight).toBe(MAX_CONCURRENCY);
	});

	it('shares one request budget: after the first 429, nothing is sent until its Retry-After has passed', () => {
		const log = apiLog();
		const limited = log.find((entry) => entry.status === 429);
		// About 45 requests against 30 a minute: the limit is met (the point of this test).
		expect(limited).toBeDefined();
		const retryAfterMs = Number(limited!.retryAfter) * 1000;
		expect(retryAfterMs).toBeGreaterThan(0);
		// Requests already on their way when the 429 left the sandbox may still arrive during the
		// pause: at most one per other job slot, as each job slot has one request out at a time.
		// (Counted, not timed: on a busy machine n8n may take a while to send what it had started.)
		const duringPause = log.filter((entry) => entry.at > limited!.respondedAt! && entry.at < limited!.at + retryAfterMs);
		expect(duringPause.length).toBeLessThanOrEqual(MAX_CONCURRENCY - 1);
		expect(log.filter((entry) => entry.at >= limited!.at + retryAfterMs).length).toBeGreaterThan(0);
	});

	it('meets the limit once, not once per execution: it learns it for all of them', () => {
		// Twenty separate budgets would each send a poll into the full window and collect a 429 of
		// its own (ten or more here); one shared budget pauses everything at the first and then
		// paces by what it learnt, so only requests in flight with the first can be refused.
		const limited = apiLog().filter((entry) => entry.status === 429);
		expect(limited.length).toBeLessThanOrEqual(MAX_CONCURRENCY);
		// Once the pause is over the budget paces by what it learnt: no 429 after it. Each late one
		// is named by its time after the first, so that a failure shows when the limit was met again.
		const retryAfterMs = Number(limited[0].retryAfter) * 1000;
		const afterPause = limited.filter((entry) => entry.at >= limited[0].at + retryAfterMs);
		expect(afterPause.map((entry) => `${entry.method} ${entry.path} ${entry.at - limited[0].at} ms after the first 429`)).toEqual([]);
	});
});
