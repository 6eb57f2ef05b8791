// @ts-check
'use strict';

// n8n workflow JSON for the approaches that run inside n8n:
//  (a) Manual Trigger → Prompts (Code) → Qwen Image Max (Generate and Wait), or with Loop Over
//      Items between them (batches of 5); or Webhook (one prompt per call) → Qwen Image Max
//  (c) Manual Trigger → Prompts (Code) → Submit (HTTP Request POST) → Wait 2 s → Poll (HTTP
//      Request GET) → IF status == completed → true: Download (HTTP Request, file);
//      false: back to Wait. Built only from n8n-nodes-base nodes that exist in n8n 2.41.1.

const crypto = require('node:crypto');

const QWEN_NODE = 'Qwen Image Max';
const LOOP_NODE = 'Loop Over Items';
const DIY_NODES = { submit: 'Submit', wait: 'Wait 2 s', poll: 'Poll', check: 'Completed?', download: 'Download' };

/**
 * One node of a workflow, with a fresh ID.
 * @param {string} name @param {string} type @param {number} typeVersion @param {[number, number]} position
 * @param {Record<string, unknown>} parameters @param {Record<string, unknown>} [extra] credentials, retry, webhookId…
 */
function n8nNode(name, type, typeVersion, position, parameters, extra = {}) {
	return { id: crypto.randomUUID(), name, type, typeVersion, position, parameters, ...extra };
}

/** @param {number} count */
function promptsNode(count) {
	return n8nNode('Prompts', 'n8n-nodes-base.code', 2, [200, 0], {
		jsCode: `return Array.from({ length: ${count} }, (_, i) => ({ json: { prompt: 'Benchmark ' + (i + 1) + ': a mountain landscape at golden hour, photorealistic' } }));`,
	});
}

function triggerNode() {
	return n8nNode('Start', 'n8n-nodes-base.manualTrigger', 1, [0, 0], {});
}

/**
 * A workflow that starts Start → Prompts (N prompt items) and goes on with `nodes`.
 * @param {{ id: string, name: string, count: number }} o @param {object[]} nodes @param {Record<string, any>} connections
 */
function promptWorkflow(o, nodes, connections) {
	const start = [triggerNode(), promptsNode(o.count)];
	return { id: o.id, name: o.name, nodes: [...start, ...nodes], connections, settings: { executionOrder: 'v1' } };
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
 * @typedef {{ credential: { id: string, name: string }, maxConcurrency: number, nodeType?: string, options?: Record<string, unknown> }} QwenNodeSettings
 *   nodeType: `CUSTOM.qwenImageMax` (the package loaded by N8N_CUSTOM_EXTENSIONS, as the bench
 *   does) unless given; options: more of the node's options.
 */

/**
 * (a)'s node: Generate and Wait with the prompt at `promptExpression`.
 * @param {QwenNodeSettings} o @param {string} promptExpression
 */
function qwenNode(o, promptExpression) {
	return n8nNode(
		QWEN_NODE,
		o.nodeType ?? 'CUSTOM.qwenImageMax',
		1,
		[600, 0],
		{ operation: 'generateAndWait', prompt: promptExpression, options: { maxConcurrency: o.maxConcurrency, ...o.options } },
		{ credentials: { pixelDojoApi: o.credential } },
	);
}

/**
 * (a) this node, Generate and Wait; with `batchSize`, behind Loop Over Items, so every batch is
 * a new call of the node.
 * @param {{ id: string, name: string, count: number, credential: { id: string, name: string }, maxConcurrency: number, batchSize?: number }} o
 */
function nodeWorkflow(o) {
	const qwen = qwenNode(o, '={{ $json.prompt }}');
	if (!o.batchSize) return promptWorkflow(o, [qwen], chain('Start', 'Prompts', QWEN_NODE));
	const loop = n8nNode(LOOP_NODE, 'n8n-nodes-base.splitInBatches', 3, [400, 0], { batchSize: o.batchSize, options: {} });
	return promptWorkflow(o, [loop, qwen], {
		...chain('Start', 'Prompts', LOOP_NODE),
		// Output 0 ("done") ends the workflow; output 1 ("loop") feeds each batch to the node, which hands it back.
		[LOOP_NODE]: { main: [[], [{ node: QWEN_NODE, type: 'main', index: 0 }]] },
		[QWEN_NODE]: { main: [[{ node: LOOP_NODE, type: 'main', index: 0 }]] },
	});
}

/**
 * (a) started by a webhook, one prompt per call (`{ "prompt": … }`), answering with the image
 * when the node is done: many calls at once are many executions of the node in one n8n.
 * @param {QwenNodeSettings & { id: string, name: string, path: string }} o
 */
function webhookNodeWorkflow(o) {
	const webhook = n8nNode(
		'Webhook',
		'n8n-nodes-base.webhook',
		2,
		[0, 0],
		{ httpMethod: 'POST', path: o.path, responseMode: 'lastNode', responseData: 'firstEntryBinary', options: {} },
		{ webhookId: crypto.randomUUID() },
	);
	return { id: o.id, name: o.name, nodes: [webhook, qwenNode(o, '={{ $json.body.prompt }}')], connections: chain('Webhook', QWEN_NODE), settings: { executionOrder: 'v1' } };
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
	return n8nNode(
		name,
		'n8n-nodes-base.httpRequest',
		4.2,
		position,
		{
			...(bearer ? { authentication: 'genericCredentialType', genericAuthType: 'httpBearerAuth' } : {}),
			options: {},
			...parameters,
		},
		{ ...(bearer ? { credentials: { httpBearerAuth: bearer } } : {}), retryOnFail: true },
	);
}

/**
 * (c) the do-it-yourself loop.
 * @param {{ id: string, name: string, count: number, apiUrl: string, bearer: { id: string, name: string } }} o
 */
function diyWorkflow(o) {
	const n = DIY_NODES;
	return promptWorkflow(
		o,
		[
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
			n8nNode(n.wait, 'n8n-nodes-base.wait', 1.1, [600, 0], { resume: 'timeInterval', amount: 2, unit: 'seconds' }, {
				webhookId: crypto.randomUUID(),
			}),
			httpNode(n.poll, [800, 0], { method: 'GET', url: `=${o.apiUrl}/jobs/{{ $json.jobId }}` }, o.bearer),
			n8nNode(n.check, 'n8n-nodes-base.if', 2.2, [1000, 0], {
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
			}),
			httpNode(
				n.download,
				[1200, -100],
				{ method: 'GET', url: '={{ $json.output.images[0] }}', options: { response: { response: { responseFormat: 'file' } } } },
				null,
			),
		],
		{
			...chain('Start', 'Prompts', n.submit, n.wait, n.poll, n.check),
			[n.check]: {
				main: [
					[{ node: n.download, type: 'main', index: 0 }],
					[{ node: n.wait, type: 'main', index: 0 }],
				],
			},
		},
	);
}

module.exports = { nodeWorkflow, webhookNodeWorkflow, diyWorkflow, QWEN_NODE, DIY_NODES };
