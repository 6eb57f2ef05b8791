import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeHelpers, UnexpectedError } from 'n8n-workflow';

export type NodeTypeMap = Record<string, INodeType | IVersionedNodeType>;

export const INPUT_ITEMS_NODE_TYPE = 'harness.inputItems';
export const PASS_THROUGH_NODE_TYPE = 'harness.passThrough';

/**
 * Start node: emits the items the harness seeds onto the execution stack,
 * the same way n8n's own NodeTestHarness feeds trigger input to the start node.
 */
class InputItems implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Input Items',
		name: INPUT_ITEMS_NODE_TYPE,
		group: ['input'],
		version: 1,
		description: 'Emits the items given to the harness',
		defaults: { name: 'Input Items' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/**
 * Downstream node: forwards its input, optionally writing `note` into each
 * item. An expression such as `={{ $('Input Items').item.json.x }}` there is
 * resolved by n8n through pairedItem lineage, so it proves lineage survived.
 */
class PassThrough implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pass Through',
		name: PASS_THROUGH_NODE_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Forwards items unchanged, except for an optional note',
		defaults: { name: 'Pass Through' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Note',
				name: 'note',
				type: 'string',
				default: '',
				description: 'Written to json.note of every item when not empty',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		return [items.map((item, index) => withNote(item, this.getNodeParameter('note', index, '')))];
	}
}

function withNote(item: INodeExecutionData, note: unknown): INodeExecutionData {
	if (note === '') return item;
	return { ...item, json: { ...item.json, note: note as IDataObject[string] } };
}

const HARNESS_NODE_TYPES: NodeTypeMap = {
	[INPUT_ITEMS_NODE_TYPE]: new InputItems(),
	[PASS_THROUGH_NODE_TYPE]: new PassThrough(),
};

/** INodeTypes over the given types plus the harness's own start/downstream nodes. */
export class NodeTypeRegistry implements INodeTypes {
	private readonly types: NodeTypeMap;

	constructor(types: NodeTypeMap) {
		this.types = { ...HARNESS_NODE_TYPES, ...types };
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types[nodeType];
		if (!type) throw new UnexpectedError(`Unknown node type "${nodeType}"`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}
