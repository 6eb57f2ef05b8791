import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * Whether an AI Agent called the node as a tool. n8n offers a `usableAsTool` node to agents as
 * a second node type, its own name + "Tool" (`n8n-nodes-pixeldojo.qwenImageMaxTool`), which has
 * no main input: only an agent, or the editor's test of that tool, runs it. The type is the one
 * sign n8n 1.x and 2.x both give: 2.x's AI Agent runs its tools as ordinary node executions,
 * where `isToolExecution()` answers false.
 */
export function runsAsTool(fn: IExecuteFunctions): boolean {
	return fn.getNode().type.endsWith('Tool');
}
