import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * Whether an AI Agent called the node as a tool. n8n offers a `usableAsTool` node to agents as
 * a second node type, its name + "Tool" (`n8n-nodes-pixeldojo.qwenImageMaxTool`), with no main
 * input: only an agent, or the editor's test of that tool, runs it. n8n tells tools apart the
 * same way (its `@tool` display option). The type is the one sign both 1.x and 2.x give: their
 * AI Agent runs a tool as an ordinary node execution, where 2.x's `isToolExecution()` answers
 * false and 1.x has no such method.
 */
export function runsAsTool(fn: IExecuteFunctions): boolean {
	return fn.getNode().type.endsWith('Tool');
}
