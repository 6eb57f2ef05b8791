import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { route } from './actions/router';
import { generationFields } from './description/generationFields';
import { operationField } from './description/operation';
import { optionsField } from './description/options';
import { pollFields } from './description/pollFields';
import { DEFAULT_TIMING } from './timing';

export class QwenImageMax implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Qwen Image Max',
		name: 'qwenImageMax',
		icon: { light: 'file:qwenImageMax.svg', dark: 'file:qwenImageMax.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ {"submit": "Submit", "poll": "Poll", "generateAndWait": "Generate and Wait"}[$parameter["operation"]] }}',
		description: "Generate images with PixelDojo's Qwen Image Max text-to-image API",
		defaults: { name: 'Qwen Image Max' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pixelDojoApi', required: true }],
		properties: [operationField, ...generationFields, ...pollFields, optionsField],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this, DEFAULT_TIMING);
	}
}
