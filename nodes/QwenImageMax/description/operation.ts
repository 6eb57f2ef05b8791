import type { INodeProperties } from 'n8n-workflow';

export type Operation = 'submit' | 'poll' | 'generateAndWait';

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
