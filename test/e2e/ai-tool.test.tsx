import { exampleCredential, loadExample } from '../../scripts/examples';
import { startSandbox, type Sandbox, type SandboxStats } from '../support/sandbox';
import { createInstalledHome, type N8nHome, type N8nRun } from './support/context';
import { startFakeOpenAi, toolResults, type FakeOpenAi } from './support/fakeOpenAi';
import { assertRunOk, outputOf } from './support/runData';
import { manualTrigger, type CredentialRef } from './support/workflow';

// An AI Agent with a scripted model calls the node as its tool, in real n8n: the model (a fake
// OpenAI chat-completions server) asks for an image, then answers. What the agent hands the
// model in between, the tool message, is what the node gives an agent. The agent, its model
// node and both tools are examples/ai-agent-tool.json's, as they are; a manual start and a
// fixed prompt replace its chat (and the chat's memory).
const example = loadExample('ai-agent-tool.json');
const exampleNode = (name: string) => {
	const found = example.nodes.find((n) => n.name === name);
	if (!found) throw new Error(`examples/ai-agent-tool.json has no node "${name}"`);
	return found;
};
const PIXELDOJO: CredentialRef = exampleCredential();
const OPENAI = exampleNode('OpenAI Chat Model').credentials?.openAiApi as CredentialRef;
const SLOW_OPENAI: CredentialRef = { id: 'e2eAgentOpenAi02', name: 'Fake OpenAI (slow job)' };
const PROMPT = 'A red fox (in the snow), watercolor';
const FINAL_ANSWER = 'Here is your fox.';

/** The example's agent with its two tools; `generateOptions` replaces Generate Image's options. */
function agentWorkflow(id: string, openAi: CredentialRef, generateOptions: object) {
	const generate = exampleNode('Generate Image');
	return {
		id,
		name: `E2E AI Agent with Qwen Image Max as a tool (${id})`,
		nodes: [
			manualTrigger(),
			{ ...exampleNode('AI Agent'), parameters: { ...exampleNode('AI Agent').parameters, promptType: 'define', text: `Draw this: ${PROMPT}` } },
			{ ...exampleNode('OpenAI Chat Model'), credentials: { openAiApi: openAi } },
			{ ...generate, parameters: { ...generate.parameters, options: generateOptions } },
			exampleNode('Check Image'),
		],
		connections: {
			Start: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			...Object.fromEntries(['OpenAI Chat Model', 'Generate Image', 'Check Image'].map((name) => [name, example.connections[name]])),
		},
		settings: { executionOrder: 'v1' },
	};
}

const askForImage = { toolCall: { name: 'Generate_Image', arguments: { prompt: PROMPT, aspectRatio: '16:9' } } };

let sandbox: Sandbox;
let model: FakeOpenAi;
let slowModel: FakeOpenAi;
let home: N8nHome;
let run: N8nRun;
let stats: SandboxStats;
let slowRun: N8nRun;
let slowStats: SandboxStats;

beforeAll(async () => {
	sandbox = await startSandbox({ jobDurationMs: 400 });
	model = await startFakeOpenAi([askForImage, { text: FINAL_ANSWER }]);
	// The job outlasts Generate Image's timeout: the model polls the job ID it got back with Check Image.
	slowModel = await startFakeOpenAi([
		askForImage,
		(request) => ({ toolCall: { name: 'Check_Image', arguments: { jobId: (toolResults(request)[0] as Array<{ jobId: string }>)[0].jobId } } }),
		{ text: FINAL_ANSWER },
	]);
	({ home } = await createInstalledHome());
	await home.importCredentials([
		{ ...PIXELDOJO, type: 'pixelDojoApi', data: { apiKey: sandbox.apiKey, baseUrl: sandbox.apiUrl } },
		{ ...OPENAI, type: 'openAiApi', data: { apiKey: 'sk-fake-openai-key', url: model.baseUrl } },
		{ ...SLOW_OPENAI, type: 'openAiApi', data: { apiKey: 'sk-fake-openai-key', url: slowModel.baseUrl } },
	]);
	const workflows = [agentWorkflow('e2eAiAgentTool01', OPENAI, exampleNode('Generate Image').parameters.options), agentWorkflow('e2eAiAgentTool02', SLOW_OPENAI, { timeoutSeconds: 2 })];
	await home.importWorkflow(workflows);
	run = await home.execute(workflows[0].id);
	stats = sandbox.stats();
	sandbox.reset();
	sandbox.configure({ jobDurationMs: 5000 });
	slowRun = await home.execute(workflows[1].id);
	slowStats = sandbox.stats();
}, 600_000);

afterAll(async () => {
	home?.cleanup();
	await model?.close();
	await slowModel?.close();
	await sandbox?.close();
});

/** What the agent passed on from the tool in the conversation of the model's last request. */
const lastToolResults = (fake: FakeOpenAi) => toolResults(fake.requests.at(-1)) as Array<Array<Record<string, unknown>>>;

describe('the example agent with the default tool options', () => {
	it('runs to its final answer after one tool call, offered both tools as the example describes them', () => {
		assertRunOk(run);
		expect(model.requests).toHaveLength(2);
		const offered = model.requests[0].tools?.map((tool) => tool.function);
		expect(offered?.map((tool) => tool.name).sort()).toEqual(['Check_Image', 'Generate_Image']);
		expect(offered?.find((tool) => tool.name === 'Generate_Image')?.description).toBe(exampleNode('Generate Image').parameters.toolDescription);
		expect(outputOf(run.runData, 'AI Agent')[0].json.output).toBe(FINAL_ANSWER);
	});

	it('the model gets the prompt, job ID, image URL, its expiry and a Markdown image, and nothing bigger', () => {
		const [job] = stats.jobs;
		const [result] = lastToolResults(model);
		expect(result).toHaveLength(1);
		const imageUrl = result[0].imageUrl as string;
		expect(result[0]).toEqual({
			jobId: job.jobId,
			prompt: PROMPT,
			imageUrl: expect.stringMatching(new RegExp(`^${sandbox.imageOrigin}/`)),
			expiresAt: expect.any(String),
			markdown: `![${PROMPT}](${imageUrl})`,
		});
		const hoursLeft = (Date.parse(result[0].expiresAt as string) - Date.now()) / 3_600_000;
		expect(hoursLeft).toBeGreaterThan(23);
		expect(hoursLeft).toBeLessThanOrEqual(24);
		expect(job.body).toMatchObject({ prompt: PROMPT, aspect_ratio: '16:9' });
	});

	it('exactly one submit, and no image downloaded', () => {
		expect(stats.jobsCreated).toBe(1);
		expect(stats.requests.submit).toEqual({ '200': 1 });
		expect(stats.images).toEqual([]);
	});
});

describe('a job that outlasts the tool timeout', () => {
	it('comes back pending with its job ID; the model polls it with Check Image and gets the image', () => {
		assertRunOk(slowRun);
		expect(slowModel.requests).toHaveLength(3);
		const [pending, polled] = lastToolResults(slowModel);
		const { jobId } = slowStats.jobs[0];
		expect(pending).toEqual([{ jobId, prompt: PROMPT, status: expect.any(String), timedOut: true, note: expect.stringContaining('poll this jobId') }]);
		expect(polled).toEqual([{ jobId, imageUrl: expect.any(String), expiresAt: expect.any(String), markdown: `![Generated image](${polled[0].imageUrl as string})` }]);
		expect(outputOf(slowRun.runData, 'AI Agent')[0].json.output).toBe(FINAL_ANSWER);
	});

	it('one submit, no download', () => {
		expect(slowStats.jobsCreated).toBe(1);
		expect(slowStats.requests.submit).toEqual({ '200': 1 });
		expect(slowStats.images).toEqual([]);
	});
});
