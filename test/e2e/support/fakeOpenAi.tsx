import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One chat-completions request as the model received it. */
export interface ChatRequest {
	model?: string;
	stream?: boolean;
	messages: Array<{ role: string; content?: unknown; tool_calls?: unknown[]; tool_call_id?: string }>;
	tools?: Array<{ type: string; function: { name: string; description?: string; parameters?: unknown } }>;
}

/** What the scripted model answers: a call of a tool (by the name n8n gave it), or a final text. */
export type ScriptedAnswer = { toolCall: { name: string; arguments: Record<string, unknown> } } | { text: string };

/** One step of a conversation: an answer, or one made from the request (to use what a tool returned). */
export type ScriptStep = ScriptedAnswer | ((request: ChatRequest) => ScriptedAnswer);

export interface FakeOpenAi {
	/** For the OpenAI credential's Base URL. */
	baseUrl: string;
	requests: ChatRequest[];
	close(): Promise<void>;
}

function completion(answer: ScriptedAnswer, turn: number) {
	const message =
		'toolCall' in answer
			? {
					role: 'assistant',
					content: null,
					tool_calls: [
						{ id: `call_${turn}`, type: 'function', function: { name: answer.toolCall.name, arguments: JSON.stringify(answer.toolCall.arguments) } },
					],
				}
			: { role: 'assistant', content: answer.text };
	return { message, finishReason: 'toolCall' in answer ? 'tool_calls' : 'stop' };
}

/** The answer as one JSON body, or as the server-sent chunks of a streamed answer. */
function send(res: http.ServerResponse, request: ChatRequest, turn: number, answer: ScriptedAnswer) {
	const { message, finishReason } = completion(answer, turn);
	const base = { id: `chatcmpl-${turn}`, created: Math.floor(Date.now() / 1000), model: request.model ?? 'gpt-test' };
	const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };
	if (!request.stream) {
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: finishReason }], usage }));
		return;
	}
	res.writeHead(200, { 'content-type': 'text/event-stream' });
	const chunk = (delta: object, finish: string | null) =>
		res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
	const toolCalls = 'tool_calls' in message ? message.tool_calls?.map((call, index) => ({ index, ...call })) : undefined;
	chunk(toolCalls ? { role: 'assistant', content: null, tool_calls: toolCalls } : { role: 'assistant', content: message.content }, null);
	chunk({}, finishReason);
	res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [], usage })}\n\n`);
	res.end('data: [DONE]\n\n');
}

/** The tool results the model has seen in this request's conversation, oldest first. */
export function toolResults(request: ChatRequest | undefined): unknown[] {
	return (request?.messages ?? []).filter((message) => message.role === 'tool').map((message) => JSON.parse(String(message.content)) as unknown);
}

/**
 * A chat-completions server on 127.0.0.1 that answers from a script: step n after n tool
 * results in the conversation (the last step repeated). It keeps every request so a test can
 * read what the agent sent the model.
 */
export async function startFakeOpenAi(script: ScriptStep[]): Promise<FakeOpenAi> {
	const requests: ChatRequest[] = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
		req.on('end', () => {
			if (req.method === 'POST' && req.url?.endsWith('/chat/completions')) {
				const request = JSON.parse(body) as ChatRequest;
				requests.push(request);
				const step = script[Math.min(toolResults(request).length, script.length - 1)];
				send(res, request, requests.length, typeof step === 'function' ? step(request) : step);
				return;
			}
			res.writeHead(404, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ error: { message: `fake OpenAI: no ${req.method} ${req.url}` } }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}/v1`,
		requests,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
