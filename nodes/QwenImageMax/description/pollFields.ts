import type { INodeProperties } from 'n8n-workflow';

const polling = { show: { operation: ['poll'] } };

export const pollFields: INodeProperties[] = [
	{
		displayName: 'Job ID',
		name: 'jobId',
		type: 'string',
		required: true,
		default: '={{ $json.jobId }}',
		description: 'ID of the job to read, as returned by Submit',
		displayOptions: polling,
	},
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description: 'Whether to keep polling until the job completes or fails (up to Timeout), instead of returning its current state',
		displayOptions: polling,
	},
];
