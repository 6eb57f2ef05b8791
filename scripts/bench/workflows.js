// @ts-check
'use strict';

// n8n workflow JSON for the approaches that run inside n8n:
//  (a) Manual Trigger → Prompts (Code) → Qwen Image Max (Generate and Wait)
//  (c) Manual Trigger → Prompts (Code) → Submit (HTTP Request POST) → Wait 2 s → Poll (HTTP
//      Request GET) → IF status == completed → true: Download (HTTP Request, file);
//      false: back to Wait. Built only from n8n-nodes-base nodes that exist in n8n 2.41.1.

const crypto = require('node:crypto');

const QWEN_NODE = 'Qwen Image Max';
const DIY_NODES = { submit: 'Submit', wait: 'Wait 2 s', poll: 'Poll', check: 'Completed?', download: 'Download' };

/** @param {number} count */
function promptsNode(count) {
	return {
		id: crypto.randomUUID(),
		name: 'Prompts',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [200, 0],
		parameters: {
			jsCode: `return Array.from({ length: ${count} }, (_, i) => ({ json: { prompt: 'Benchmark ' + (i + 1) + ': a mountain landscape at golden hour, photorealistic' } }));`,
		},
	};
}

function triggerNode() {
	return {
		id: crypto.randomUUID(),
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
}

/** @param {string[]} names */
function chain(...names) {
	/** @type {Record<string, any>} */
	const connections = {};
	for (let i = 0; i + 1 < names.length; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

/**
 * (a) this node, Generate and Wait.
 * @param {{ id: string, name: string, count: number, credential: { id: string, name: string }, maxConcurrency: number }} o
 */
function nodeWorkflow(o) {
	return {
		id: o.id,
		name: o.name,
		nodes: [
			triggerNode(),
			promptsNode(o.count),
			{
				id: crypto.randomUUID(),
				name: QWEN_NODE,
				type: 'CUSTOM.qwenImageMax',
				typeVersion: 1,
				position: [400, 0],
				parameters: {
					operation: 'generateAndWait',
					prompt: '={{ $json.prompt }}',
					options: { maxConcurrency: o.maxConcurrency },
				},
				credentials: { pixelDojoApi: o.credential },
			},
		],
		connections: chain('Start', 'Prompts', QWEN_NODE),
		settings: { executionOrder: 'v1' },
	};
}

/**
 * One HTTP Request node as a user builds it: Bearer Auth generic credential, default options,
 * "Retry On Fail" switched on with n8n's defaults (3 tries, 1000 ms apart).
 * @param {string} name
 * @param {[number, number]} position
 * @param {Record<string, unknown>} parameters
 * @param {{ id: string, name: string } | null} bearer
 */
function httpNode(name, position, parameters, bearer) {
	return {
		id: crypto.randomUUID(),
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position,
		parameters: {
			...(bearer ? { authentication: 'genericCredentialType', genericAuthType: 'httpBearerAuth' } : {}),
			options: {},
			...parameters,
		},
		...(bearer ? { credentials: { httpBearerAuth: bearer } } : {}),
		retryOnFail: true,
	};
}

/**
 * (c) the do-it-yourself loop.
 * @param {{ id: string, name: string, count: number, apiUrl: string, bearer: { id: string, name: string } }} o
 */
function diyWorkflow(o) {
	const n = DIY_NODES;
	return {
		id: o.id,
		name: o.name,
		nodes: [
			triggerNode(),
			promptsNode(o.count),
			httpNode(
				n.submit,
				[400, 0],
				{
					method: 'POST',
					url: `${o.apiUrl}/models/qwen-image-max/run`,
					sendBody: true,
					bodyParameters: { parameters: [{ name: 'prompt', value: '={{ $json.prompt }}' }] },
				},
				o.bearer,
			),
			{
				id: crypto.randomUUID(),
				name: n.wait,
				type: 'n8n-nodes-base.wait',
				typeVersion: 1.1,
				position: [600, 0],
				webhookId: crypto.randomUUID(),
				parameters: { resume: 'timeInterval', amount: 2, unit: 'seconds' },
			},
			httpNode(n.poll, [800, 0], { method: 'GET', url: `=${o.apiUrl}/jobs/{{ $json.jobId }}` }, o.bearer),
			{
				id: crypto.randomUUID(),
				name: n.check,
				type: 'n8n-nodes-base.if',
				typeVersion: 2.2,
				position: [1000, 0],
				parameters: {
					conditions: {
						options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
						conditions: [
							{
								id: crypto.randomUUID(),
								leftValue: '={{ $json.status }}',
								rightValue: 'completed',
								operator: { type: 'string', operation: 'equals' },
							},
						],
						combinator: 'and',
					},
					options: {},
				},
			},
			httpNode(
				n.download,
				[1200, -100],
				{ method: 'GET', url: '={{ $json.output.images[0] }}', options: { response: { response: { responseFormat: 'file' } } } },
				null,
			),
		],
		connections: {
			...chain('Start', 'Prompts', n.submit, n.wait, n.poll, n.check),
			[n.check]: {
				main: [
					[{ node: n.download, type: 'main', index: 0 }],
					[{ node: n.wait, type: 'main', index: 0 }],
				],
			},
		},
		settings: { executionOrder: 'v1' },
	};
}

module.exports = { nodeWorkflow, diyWorkflow, QWEN_NODE, DIY_NODES };
