import { randomUUID } from 'node:crypto';

import { startSandbox, type Sandbox } from '../support/sandbox';
import { createInstalledHome, n8nMajor, QWEN_NODE_TYPE, type N8nHome, type N8nRun } from './support/context';
import { startFakeOpenAi, type FakeOpenAi } from './support/fakeOpenAi';
import { assertRunOk, outputOf } from './support/runData';
import { manualTrigger, type CredentialRef } from './support/workflow';

// An AI Agent with a scripted model calls the node as its tool, in real n8n: the model (a fake
// OpenAI chat-completions server) first asks for an image, then answers. What the agent hands
// the model in between, the tool message, is what the node gives an agent.
const PIXELDOJO: CredentialRef = { id: 'e2eAgentPixel001', name: 'PixelDojo sandbox' };
const OPENAI: CredentialRef = { id: 'e2eAgentOpenAi01', name: 'Fake OpenAI' };
const TOOL_NODE = 'Generate Image';
const PROMPT = 'A red fox (in the snow), watercolor';
const FINAL_ANSWER = 'Here is your fox.';
// The AI Agent's newest version on each host: 2.x runs tools as engine requests (V3), 1.x inside the agent.
const AGENT_VERSION = n8nMajor >= 2 ? 3 : 2.2;

const node = (name: string, type: string, typeVersion: number, parameters: object, credentials?: object) => ({
	id: randomUUID(),
	name,
	type,
	typeVersion,
	position: [0, 0],
	parameters,
	...(credentials ? { credentials } : {}),
});

const workflow = {
	id: 'e2eAiAgentTool01',
	name: 'E2E AI Agent with Qwen Image Max as a tool',
	nodes: [
		manualTrigger(),
		node('AI Agent', '@n8n/n8n-nodes-langchain.agent', AGENT_VERSION, { promptType: 'define', text: `Draw this: ${PROMPT}`, options: {} }),
		node(
			'OpenAI Chat Model',
			'@n8n/n8n-nodes-langchain.lmChatOpenAi',
			1.2,
			{ model: { __rl: true, mode: 'id', value: 'gpt-4.1-mini' }, options: {} },
			{ openAiApi: OPENAI },
		),
		node(
			TOOL_NODE,
			`${QWEN_NODE_TYPE}Tool`,
			1,
			{
				descriptionType: 'manual',
				toolDescription: 'Generates an image from a text prompt and returns its URL and a Markdown image.',
				operation: 'generateAndWait',
				prompt: "={{ $fromAI('prompt', 'A detailed visual description of the image', 'string') }}",
				additionalFields: {},
				options: {},
			},
			{ pixelDojoApi: PIXELDOJO },
		),
	],
	connections: {
		Start: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
		'OpenAI Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
		[TOOL_NODE]: { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
	},
	settings: { executionOrder: 'v1' },
};

let sandbox: Sandbox;
let model: FakeOpenAi;
let home: N8nHome;
let run: N8nRun;

beforeAll(async () => {
	sandbox = await startSandbox({ jobDurationMs: 400 });
	model = await startFakeOpenAi([
		{ toolCall: { name: (offered) => offered.find((name) => name.includes('Generate')) ?? offered[0], arguments: { prompt: PROMPT } } },
		{ text: FINAL_ANSWER },
	]);
	({ home } = await createInstalledHome());
	await home.importCredentials([
		{ ...PIXELDOJO, type: 'pixelDojoApi', data: { apiKey: sandbox.apiKey, baseUrl: sandbox.apiUrl } },
		{ ...OPENAI, type: 'openAiApi', data: { apiKey: 'sk-fake-openai-key', url: model.baseUrl } },
	]);
	await home.importWorkflow(workflow);
	run = await home.execute(workflow.id);
}, 600_000);

afterAll(async () => {
	home?.cleanup();
	await model?.close();
	await sandbox?.close();
});

/** The tool message of the model's second request: what the agent passed on from the node. */
function toolResult(): Array<Record<string, unknown>> {
	const tool = model.requests[1]?.messages.find((message) => message.role === 'tool');
	if (typeof tool?.content !== 'string') throw new Error(`no tool message in the second model request: ${JSON.stringify(model.requests[1]?.messages)}`);
	return JSON.parse(tool.content) as Array<Record<string, unknown>>;
}

it('the agent runs to its final answer after one tool call', () => {
	assertRunOk(run);
	expect(model.requests).toHaveLength(2);
	expect(model.requests[0].tools?.map((tool) => tool.function.name)).toEqual([expect.stringContaining('Generate')]);
	expect(outputOf(run.runData, 'AI Agent')[0].json.output).toBe(FINAL_ANSWER);
});

it('the model gets the prompt, job ID, image URL, its expiry and a Markdown image, and nothing bigger', () => {
	const [job] = sandbox.stats().jobs;
	const result = toolResult();
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
	expect(job.body.prompt).toBe(PROMPT);
});

it('exactly one submit, and no image downloaded', () => {
	const stats = sandbox.stats();
	expect(stats.jobsCreated).toBe(1);
	expect(stats.requests.submit).toEqual({ '200': 1 });
	expect(stats.images).toEqual([]);
});
