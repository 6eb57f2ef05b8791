import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { PixelDojoApi } from '../../credentials/PixelDojoApi.credentials';
import { route } from '../../nodes/QwenImageMax/actions/router';
import { QwenImageMax } from '../../nodes/QwenImageMax/QwenImageMax.node';
import type { Timing } from '../../nodes/QwenImageMax/timing';
import { INPUT_ITEMS_NODE_TYPE, PASS_THROUGH_NODE_TYPE, linearWorkflow, runNodeWorkflow } from '../harness';
import type { WorkflowRunResult } from '../harness';

export const NODE_NAME = 'Qwen Image Max';
export const DOWNSTREAM = 'Downstream';
const NODE_TYPE = 'CUSTOM.qwenImageMax';

export interface QwenRunOptions {
	baseUrl: string;
	apiKey: string;
	parameters: INodeParameters;
	/** One item per entry; default a single empty item. */
	items?: IDataObject[];
	continueOnFail?: boolean;
	/** On Error → "Continue (using error output)": failed items leave by the second output. */
	errorOutput?: boolean;
	abortSignal?: AbortSignal;
	/** The node's settings tab, e.g. `{ retryOnFail: true, maxTries: 3 }`. */
	settings?: Pick<INode, 'retryOnFail' | 'maxTries' | 'waitBetweenTries'>;
	/** Runs the node with other timing than its defaults. */
	timing?: Timing;
	/** Runs it under the type n8n gives the node on an AI Agent's tool connector (`…qwenImageMaxTool`). */
	asTool?: boolean;
}

export interface QwenRun extends WorkflowRunResult {
	/** The node's output items, or [] when the node failed. */
	output: INodeExecutionData[];
	/** The node's error message when it failed the run. */
	failure?: string;
}

/**
 * Runs Input Items → Qwen Image Max → Downstream through n8n-core's WorkflowExecute. Downstream
 * writes each item's originating input `tag` into `json.note`, through n8n's pairedItem lineage.
 */
export async function runQwen(options: QwenRunOptions): Promise<QwenRun> {
	const nodeType = options.asTool ? `${NODE_TYPE}Tool` : NODE_TYPE;
	const result = await runNodeWorkflow({
		nodeTypes: { [nodeType]: qwenNodeType(options.timing) },
		credentialTypes: { pixelDojoApi: new PixelDojoApi() },
		credentials: { pixelDojoApi: { apiKey: options.apiKey, baseUrl: options.baseUrl } },
		inputItems: (options.items ?? [{}]).map((json) => ({ json })),
		abortSignal: options.abortSignal,
		workflow: linearWorkflow(
			{ name: 'Input Items', type: INPUT_ITEMS_NODE_TYPE },
			{
				name: NODE_NAME,
				type: nodeType,
				parameters: options.parameters,
				credentials: { pixelDojoApi: { id: '1', name: 'PixelDojo sandbox' } },
				...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
				...(options.errorOutput ? { onError: 'continueErrorOutput' as const } : {}),
				...options.settings,
			},
			// Resolving an input item's field from the downstream node only works if pairedItem lineage is intact.
			{ name: DOWNSTREAM, type: PASS_THROUGH_NODE_TYPE, parameters: { note: "={{ $('Input Items').item.json.tag }}" } },
		),
	});
	const failure = result.nodeError(NODE_NAME);
	return {
		...result,
		output: failure ? [] : result.outputOf(NODE_NAME),
		failure: failure?.message,
	};
}

/** The node as n8n loads it, or, with `timing`, the same node running with that timing. */
function qwenNodeType(timing: Timing | undefined): QwenImageMax {
	const node = new QwenImageMax();
	if (timing) {
		node.execute = async function (this: IExecuteFunctions) {
			return await route.call(this, timing);
		};
	}
	return node;
}
