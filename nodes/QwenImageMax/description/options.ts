import type { INodeProperties } from 'n8n-workflow';

export const DEFAULT_MAX_CONCURRENCY = 5;
export const DEFAULT_TIMEOUT_SECONDS = 600;
export const DEFAULT_MAX_IMAGE_MB = 50;

const returnsImages = { show: { '/operation': ['generateAndWait', 'poll'] } };

export const optionsField: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Binary Property',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			description: 'Name of the binary property the image is written to',
			displayOptions: returnsImages,
		},
		{
			displayName: 'Download Images',
			name: 'downloadImages',
			type: 'boolean',
			default: true,
			description: 'Whether to attach the images as binary data; off returns only their (temporary) URLs',
			displayOptions: returnsImages,
		},
		{
			displayName: 'Max Concurrency',
			name: 'maxConcurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100 },
			default: DEFAULT_MAX_CONCURRENCY,
			description:
				'Jobs in flight at once across all input items of this run. Set it to the number of jobs your PixelDojo plan runs at once; requests are paced to the rate limit either way.',
		},
		{
			displayName: 'Max Credits',
			name: 'maxCredits',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 1_000_000 },
			default: 100,
			description:
				'Most credits this node may spend in one run (2 per image). Items past the cap get the error code credit_limit, with nothing submitted or charged. Not added: no cap. Read from the first item.',
			displayOptions: { show: { '/operation': ['submit', 'generateAndWait'] } },
		},
		{
			displayName: 'Max Image Size (MB)',
			name: 'maxImageSizeMb',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 1024 },
			default: DEFAULT_MAX_IMAGE_MB,
			description: 'Refuse an image download larger than this',
			displayOptions: returnsImages,
		},
		{
			displayName: 'On Timeout',
			name: 'onTimeout',
			type: 'options',
			options: [
				{ name: 'Error', value: 'error', description: 'Fail the item, with the job ID in the error' },
				{
					name: 'Return Pending Job',
					value: 'returnPending',
					description: 'Output the still-running job (jobId, status) to poll later',
				},
			],
			default: 'error',
			description: 'What to do when a job is still running at the timeout',
			displayOptions: { show: { '/operation': ['generateAndWait', 'poll'] } },
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_TIMEOUT_SECONDS,
			description:
				'How long an item may wait for its job, counted from its submit (or first poll). Also bounds waiting out rate limits.',
		},
		{
			displayName: 'Workers Sharing the API Key',
			name: 'workersSharingKey',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100 },
			default: 1,
			description:
				'In queue mode: how many n8n workers run this node with the same API key at once. Each then keeps to its share of Max Concurrency and of the rate limit PixelDojo announces. Read from the first item.',
		},
	],
};
