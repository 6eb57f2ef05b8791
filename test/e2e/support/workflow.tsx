import { randomUUID } from 'node:crypto';

import { QWEN_NODE_TYPE } from './context';

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: 'continueRegularOutput';
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
	webhookId?: string;
}

export interface Workflow {
	id?: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }>;
	settings?: Record<string, unknown>;
}

export interface CredentialRef {
	id: string;
	name: string;
}

function node(name: string, type: string, typeVersion: number, parameters: Record<string, unknown>): WorkflowNode {
	return { id: randomUUID(), name, type, typeVersion, position: [0, 0], parameters };
}

export const manualTrigger = (name = 'Start') => node(name, 'n8n-nodes-base.manualTrigger', 1, {});

/**
 * A Webhook trigger for POST /webhook/<path> that answers when the last node finishes, with
 * `responseData` of that node: its first item ('firstEntryJson', or 'firstEntryBinary': its
 * file), or every item's json ('allEntries').
 */
export const webhookTrigger = (name: string, path: string, responseData: 'firstEntryJson' | 'firstEntryBinary' | 'allEntries') => ({
	...node(name, 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path, responseMode: 'lastNode', responseData, options: {} }),
	webhookId: randomUUID(),
});

/** A Set node that outputs `json` as its one item. */
export const jsonSet = (name: string, json: unknown) =>
	node(name, 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify(json, null, 2), options: {} });

/** Loop Over Items: output 0 ("done") gets every item once the loop ends, output 1 ("loop") each batch. */
export const loopOverItems = (name: string, batchSize: number) => node(name, 'n8n-nodes-base.splitInBatches', 3, { batchSize, options: {} });

/** One item per element of the array field `field`. */
export const splitOut = (name: string, field: string) => node(name, 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: field, options: {} });

/** A Set node that adds one string field and keeps the rest of the item. */
export const setField = (name: string, field: string, value: string) =>
	node(name, 'n8n-nodes-base.set', 3.4, {
		assignments: { assignments: [{ id: randomUUID(), name: field, value, type: 'string' }] },
		includeOtherFields: true,
		options: {},
	});

/** What n8n's "Custom API Call" entry promises: the HTTP Request node, authenticated by the PixelDojo API credential. */
export const httpRequestWithPixelDojoKey = (name: string, credential: CredentialRef, url: string): WorkflowNode => ({
	...node(name, 'n8n-nodes-base.httpRequest', 4.2, { method: 'GET', url, authentication: 'predefinedCredentialType', nodeCredentialType: 'pixelDojoApi', options: {} }),
	credentials: { pixelDojoApi: credential },
});

export function qwen(
	name: string,
	credential: CredentialRef,
	parameters: Record<string, unknown>,
	{ continueOnFail = false, retry }: { continueOnFail?: boolean; retry?: { maxTries: number; waitBetweenTries: number } } = {},
): WorkflowNode {
	return {
		...node(name, QWEN_NODE_TYPE, 1, parameters),
		credentials: { pixelDojoApi: credential },
		...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		...(retry ? { retryOnFail: true, ...retry } : {}),
	};
}

/**
 * Nodes in a row, wired by `edges` ([from, to] names, or [from, to, output index]). Positions
 * follow the list order: n8n's v1 execution order runs parallel branches top to bottom, so
 * that order is deterministic.
 */
export function buildWorkflow(name: string, nodes: WorkflowNode[], edges: Array<[string, string] | [string, string, number]>): Workflow {
	const connections: Workflow['connections'] = {};
	for (const [from, to, output = 0] of edges) {
		if (!nodes.some((n) => n.name === from) || !nodes.some((n) => n.name === to)) throw new Error(`buildWorkflow: unknown node in edge ${from} → ${to}`);
		const outputs = (connections[from] ??= { main: [] }).main;
		while (outputs.length <= output) outputs.push([]);
		outputs[output].push({ node: to, type: 'main', index: 0 });
	}
	nodes.forEach((n, i) => (n.position = [250 * (i % 4), 200 * i]));
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}
