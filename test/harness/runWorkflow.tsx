import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ExecutionError,
	ExecutionStatus,
	IBinaryData,
	IConnections,
	INode,
	INodeExecutionData,
	IRun,
	IRunData,
	IWorkflowBase,
} from 'n8n-workflow';
import { UserError, Workflow, createRunExecutionData } from 'n8n-workflow';

import { buildAdditionalData } from './additionalData';
import { ensureBinaryDataService, readBinaryData } from './binaryData';
import {
	type CredentialDataMap,
	type CredentialTypeMap,
	CredentialTypeRegistry,
	HarnessCredentialsHelper,
} from './credentials';
import { type NodeTypeMap, NodeTypeRegistry } from './nodeTypes';

export interface WorkflowSpec {
	nodes: INode[];
	connections: IConnections;
}

export interface RunNodeWorkflowOptions {
	/** Keyed by the `type` the workflow's nodes use, e.g. `n8n-nodes-pixeldojo.qwenImageMax`. */
	nodeTypes: NodeTypeMap;
	credentialTypes?: CredentialTypeMap;
	/** Decrypted credential data, keyed by credential type name. */
	credentials?: CredentialDataMap;
	workflow: WorkflowSpec;
	/** Items fed to the workflow's single root node; defaults to one empty item. */
	inputItems?: INodeExecutionData[];
	/** Aborting it cancels the execution, as pressing "stop" in n8n does. */
	abortSignal?: AbortSignal;
}

export interface WorkflowRunResult {
	run: IRun;
	status: ExecutionStatus;
	runData: IRunData;
	/** The execution-level error: a failing node without continueOnFail, or cancellation. */
	error?: ExecutionError;
	/** Items a node emitted; throws if it did not run or failed. */
	outputOf(nodeName: string, outputIndex?: number, runIndex?: number): INodeExecutionData[];
	nodeError(nodeName: string, runIndex?: number): ExecutionError | undefined;
	binaryBytes(binaryData: IBinaryData): Promise<Buffer>;
}

const WORKFLOW_ID = 'harness-workflow';
let executionCounter = 0;

/**
 * Runs a workflow through n8n-core's WorkflowExecute in manual mode, the way
 * n8n's own NodeTestHarness does: real execute contexts, helpers, expression
 * resolution, pairedItem handling and binary data storage.
 */
export async function runNodeWorkflow(options: RunNodeWorkflowOptions): Promise<WorkflowRunResult> {
	await ensureBinaryDataService();
	const executionId = String(++executionCounter);
	const { nodes, connections } = options.workflow;
	const workflow = new Workflow({
		id: WORKFLOW_ID,
		nodes,
		connections,
		active: false,
		nodeTypes: new NodeTypeRegistry(options.nodeTypes),
		settings: { executionOrder: 'v1' },
	});
	const credentialsHelper = new HarnessCredentialsHelper(
		new CredentialTypeRegistry(options.credentialTypes ?? {}),
		{ ...options.credentials },
	);
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowBase(options.workflow));
	const additionalData = buildAdditionalData({
		credentialsHelper,
		executionId,
		workflowId: WORKFLOW_ID,
		hooks,
	});
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node: rootNode(workflow),
					data: { main: [options.inputItems ?? [{ json: {} }]] },
					source: null,
				},
			],
		},
	});

	const execution = new WorkflowExecute(
		additionalData,
		'manual',
		runExecutionData,
	).processRunExecutionData(workflow);
	return toResult(await settle(execution, options.abortSignal));
}

/** Chains nodes output-to-input in the given order, filling in ids and positions. */
export function linearWorkflow(
	...specs: Array<Pick<INode, 'name' | 'type'> & Partial<INode>>
): WorkflowSpec {
	const nodes = specs.map<INode>((spec, index) => ({
		id: `node-${index}`,
		typeVersion: 1,
		position: [index * 200, 0],
		parameters: {},
		...spec,
	}));
	const connections: IConnections = {};
	for (let i = 1; i < nodes.length; i++) {
		connections[nodes[i - 1].name] = {
			main: [[{ node: nodes[i].name, type: 'main', index: 0 }]],
		};
	}
	return { nodes, connections };
}

function workflowBase({ nodes, connections }: WorkflowSpec): IWorkflowBase {
	const now = new Date();
	return {
		id: WORKFLOW_ID,
		name: 'Harness workflow',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: now,
		updatedAt: now,
		nodes,
		connections,
	};
}

/** The node the input items enter at: the only one without a parent. */
function rootNode(workflow: Workflow): INode {
	const roots = Object.values(workflow.nodes).filter(
		(node) => workflow.getParentNodes(node.name).length === 0,
	);
	if (roots.length !== 1) {
		const names = roots.map((node) => node.name).join(', ');
		throw new UserError(`The harness needs exactly one root node, found: ${names || 'none'}`);
	}
	return roots[0];
}

type Execution = ReturnType<WorkflowExecute['processRunExecutionData']>;

/**
 * Cancelling the execution aborts the signal every node's
 * `getExecutionCancelSignal()` returns; the run then resolves once the running
 * node has returned, with a ManualExecutionCancelledError.
 */
async function settle(execution: Execution, abortSignal?: AbortSignal): Promise<IRun> {
	if (!abortSignal) return await execution;
	const cancel = () => execution.cancel();
	if (abortSignal.aborted) cancel();
	else abortSignal.addEventListener('abort', cancel, { once: true });
	try {
		return await execution;
	} finally {
		abortSignal.removeEventListener('abort', cancel);
	}
}

function toResult(run: IRun): WorkflowRunResult {
	const { runData, error } = run.data.resultData;
	return {
		run,
		status: run.status,
		runData,
		error,
		outputOf(nodeName, outputIndex = 0, runIndex = 0) {
			const task = runData[nodeName]?.[runIndex];
			if (!task) throw new UserError(`Node "${nodeName}" did not run (run ${runIndex})`);
			if (task.error) {
				throw new UserError(`Node "${nodeName}" failed: ${task.error.message}`, {
					cause: task.error,
				});
			}
			return task.data?.main[outputIndex] ?? [];
		},
		nodeError: (nodeName, runIndex = 0) => runData[nodeName]?.[runIndex]?.error,
		binaryBytes: readBinaryData,
	};
}
