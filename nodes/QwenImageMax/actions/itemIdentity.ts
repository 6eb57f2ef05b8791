import { createHash } from 'crypto';
import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * Names this call of the node across n8n's Retry On Fail, which runs the node again in the same
 * execution with the same run index; a Loop Over Items batch has a new run index and a new
 * execution a new ID, so both are new work. Undefined where n8n gives no execution to tie to.
 */
export function callIdentity(fn: IExecuteFunctions): string | undefined {
	try {
		const executionId = fn.getExecutionId();
		if (!executionId) return undefined;
		const node = fn.getNode();
		return [executionId, node.id ?? node.name, fn.getWorkflowDataProxy(0).$runIndex].join('\n');
	} catch {
		return undefined;
	}
}

/** An item of that call and what it asks for: two items with the same prompt are still two jobs. */
export function itemIdentity(call: string, itemIndex: number, request: object): string {
	const fingerprint = createHash('sha256').update(JSON.stringify(request)).digest('base64');
	return `${call}\n${itemIndex}\n${fingerprint}`;
}
