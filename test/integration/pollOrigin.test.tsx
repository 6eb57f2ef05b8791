import type { Sandbox } from '../support/sandbox';
import { startSandbox } from '../support/sandbox';
import { runQwen } from '../support/runQwen';

// Submit → (a store) → Poll with Wait for Completion, as the resumable bulk run does it: the
// jobs this n8n process submitted are waited for by their age, like Generate and Wait waits for
// its own, not polled at once while they surely still run. A sandbox of its own, so that its key
// has a coordinator of its own in this process.
const JOBS = 8;
const JOB_MS = 3000;
const PROMPTS = Array.from({ length: JOBS }, (_, index) => ({ prompt: `poll origin ${index}` }));

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ jobDurationMs: JOB_MS });
});
afterAll(async () => await sandbox.close());

const run = (parameters: object, items: object[]) => runQwen({ baseUrl: sandbox.apiUrl, apiKey: sandbox.apiKey, parameters: parameters as never, items: items as never });

/** Poll requests that reached the sandbox within `ms` of their job's submit. */
function earlyPolls(ms: number): number {
	const { jobs, requestLog } = sandbox.stats();
	const submittedAt = new Map(jobs.map((job) => [job.jobId, job.submittedAt]));
	return requestLog.filter((request) => {
		if (request.route !== 'poll') return false;
		const at = submittedAt.get(request.path.split('/').pop() ?? '');
		return at !== undefined && request.at - at < ms;
	}).length;
}

it('Poll waits for jobs this process submitted as Generate and Wait does: no poll in their first second', async () => {
	const submitted = await run({ operation: 'submit', prompt: '={{ $json.prompt }}', options: { maxConcurrency: JOBS } }, PROMPTS);
	const { output } = await run(
		{ operation: 'poll', jobId: '={{ $json.jobId }}', waitForCompletion: true, options: { maxConcurrency: JOBS, downloadImages: false } },
		submitted.output.map((item) => item.json),
	);
	expect(output.map((item) => item.json.status)).toEqual(PROMPTS.map(() => 'completed'));
	expect(earlyPolls(1000)).toBe(0);
	// Each job polled about once: two scouts learn the duration for the others.
	expect(sandbox.stats().requests.poll[200]).toBeLessThan(2 * JOBS);
});

it('a job this process never submitted (another process, or before a restart) is polled at once', async () => {
	sandbox.reset();
	sandbox.configure({ jobDurationMs: JOB_MS });
	const response = await fetch(`${sandbox.apiUrl}/models/qwen-image-max/run`, {
		method: 'POST',
		headers: { authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json' },
		body: JSON.stringify({ prompt: 'submitted elsewhere' }),
	});
	const { jobId } = (await response.json()) as { jobId: string };
	const { output } = await run({ operation: 'poll', jobId, waitForCompletion: true, options: { downloadImages: false } }, [{}]);
	expect(output[0].json.status).toBe('completed');
	expect(earlyPolls(1000)).toBe(1);
});
