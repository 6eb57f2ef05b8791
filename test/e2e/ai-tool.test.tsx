import { exampleCredential, loadExample } from '../../scripts/examples';
import { startSandbox, type Sandbox } from '../support/sandbox';
import { createInstalledHome, type N8nHome, type N8nRun } from './support/context';
import { startFakeOpenAi, type FakeOpenAi } from './support/fakeOpenAi';
import { assertRunOk, outputOf } from './support/runData';
import { manualTrigger, type CredentialRef } from './support/workflow';

// An AI Agent with a scripted model calls the node as its tool, in real n8n: the model (a fake
// OpenAI chat-completions server) first asks for an image, then answers. What the agent hands
// the model in between, the tool message, is what the node gives an agent. The agent and the
// tool are examples/ai-agent-tool.json's, as they are; a manual start and a fixed prompt replace
// its chat (and the chat's memory).
const example = loadExample('ai-agent-tool.json');
const exampleNode = (name: string) => {
	const found = example.nodes.find((n) => n.name === name);
	if (!found) throw new Error(`examples/ai-agent-tool.json has no node "${name}"`);
	return found;
};
const PIXELDOJO: CredentialRef = exampleCredential();
const OPENAI = exampleNode('OpenAI Chat Model').credentials?.openAiApi as CredentialRef;
const TOOL_NODE = 'Generate Image';
const PROMPT = 'A red fox (in the snow), watercolor';
const FINAL_ANSWER = 'Here is your fox.';

const workflow = {
	id: 'e2eAiAgentTool01',
	name: 'E2E AI Agent with Qwen Image Max as a tool',
	nodes: [
		manualTrigger(),
		{ ...exampleNode('AI Agent'), parameters: { ...exampleNode('AI Agent').parameters, promptType: 'define', text: `Draw this: ${PROMPT}` } },
		exampleNode('OpenAI Chat Model'),
		exampleNode(TOOL_NODE),
		exampleNode('Check Image'),
	],
	connections: {
		Start: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
		'OpenAI Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
		[TOOL_NODE]: example.connections[TOOL_NODE],
		'Check Image': example.connections['Check Image'],
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
		{ toolCall: { name: 'Generate_Image', arguments: { prompt: PROMPT, aspectRatio: '16:9' } } },
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
	const offered = model.requests[0].tools?.map((tool) => tool.function);
	expect(offered?.map((tool) => tool.name).sort()).toEqual(['Check_Image', 'Generate_Image']);
	expect(offered?.find((tool) => tool.name === 'Generate_Image')?.description).toBe(exampleNode(TOOL_NODE).parameters.toolDescription);
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
	expect(job.body).toMatchObject({ prompt: PROMPT, aspect_ratio: '16:9' });
});

it('exactly one submit, and no image downloaded', () => {
	const stats = sandbox.stats();
	expect(stats.jobsCreated).toBe(1);
	expect(stats.requests.submit).toEqual({ '200': 1 });
	expect(stats.images).toEqual([]);
});
