import type { INodeProperties } from 'n8n-workflow';

export type Operation = 'submit' | 'poll' | 'generateAndWait';

/**
 * n8n itself adds "Custom API Call" to the Operation list of a node whose credential uses generic
 * auth; the node then runs with this value. What that entry promises is the HTTP Request node.
 */
export const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

export const CUSTOM_API_CALL_MESSAGE =
	'"Custom API Call" is not an operation of this node: use the HTTP Request node for it';

export const CUSTOM_API_CALL_DESCRIPTION =
	'In the HTTP Request node, set Authentication to "Predefined Credential Type" and Credential Type to "PixelDojo API": ' +
	'it sends your API key to any path of the PixelDojo API (for example GET https://pixeldojo.ai/api/v1/models). ' +
	'In this node, pick Generate and Wait, Submit or Poll.';

export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Generate and Wait',
			value: 'generateAndWait',
			description: 'Submit a job, wait for it and download its images, in one step',
			action: 'Generate images and wait',
		},
		{
			name: 'Poll',
			value: 'poll',
			description: "Get a job's state; optionally wait until it ends and download its images",
			action: 'Poll a job',
		},
		{
			name: 'Submit',
			value: 'submit',
			description: 'Submit a job and return at once with its job ID',
			action: 'Submit a job',
		},
	],
	default: 'generateAndWait',
};
