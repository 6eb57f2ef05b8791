import type { INodeProperties } from 'n8n-workflow';

import { DASHSCOPE_MODELS, LIMITS } from '../schemas/generationRequest';

const generating = { operation: ['submit', 'generateAndWait'] };
const withLora = { show: { ...generating, useLora: [true] } };
const withoutLora = { show: { ...generating, useLora: [false] } };

const MODEL_LABELS: Record<(typeof DASHSCOPE_MODELS)[number], string> = {
	'qwen-image-plus': 'Qwen Image Plus (Rolling)',
	'qwen-image-plus-2026-01-09': 'Qwen Image Plus 2026-01-09 (Snapshot)',
	'qwen-image-max': 'Qwen Image Max (Rolling)',
	'qwen-image-max-2025-12-30': 'Qwen Image Max 2025-12-30 (Snapshot)',
	'qwen-image': 'Qwen Image (Legacy)',
};

export const generationFields: INodeProperties[] = [
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		placeholder: 'A mountain landscape at golden hour, photorealistic',
		description: 'Text description of the image to generate',
		displayOptions: { show: generating },
	},
	{
		displayName: 'Use LoRA',
		name: 'useLora',
		type: 'boolean',
		default: false,
		description:
			'Whether to apply a Qwen Image LoRA. Runs on the LoRA path, which unlocks 21:9, up to 4 images per job and the sampler settings; the generation model and prompt extend do not apply there.',
		displayOptions: { show: generating },
	},
	{
		displayName: 'Generation Model',
		name: 'generationModel',
		type: 'options',
		options: DASHSCOPE_MODELS.map((value) => ({ name: MODEL_LABELS[value], value })),
		default: 'qwen-image-plus',
		description: 'Model variant. Rolling names follow the newest release; dated snapshots pin one.',
		displayOptions: withoutLora,
	},
	{
		displayName: 'Aspect Ratio',
		name: 'aspectRatio',
		type: 'options',
		options: [
			{ name: '1:1 (Square)', value: '1:1' },
			{ name: '16:9 (Landscape)', value: '16:9' },
			{ name: '21:9 (Ultra-Wide, LoRA Only)', value: '21:9' },
			{ name: '3:4', value: '3:4' },
			{ name: '4:3', value: '4:3' },
			{ name: '9:16 (Portrait)', value: '9:16' },
		],
		default: '1:1',
		description: 'Shape of the image. 21:9 needs Use LoRA on.',
		displayOptions: { show: generating },
	},
	{
		displayName: 'LoRA Weights',
		name: 'loraWeights',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://huggingface.co/owner/repo/resolve/main/lora.safetensors or owner/repo',
		description: 'URL or HuggingFace path of a Qwen Image LoRA',
		displayOptions: withLora,
	},
	{
		displayName: 'LoRA Scale',
		name: 'loraScale',
		type: 'number',
		typeOptions: { minValue: LIMITS.loraScale.min, maxValue: LIMITS.loraScale.max, numberPrecision: 2 },
		default: 1,
		description: 'Strength of the LoRA effect (0 to 2)',
		displayOptions: withLora,
	},
	{
		displayName: 'Number of Images',
		name: 'numberOfImages',
		type: 'number',
		typeOptions: { minValue: LIMITS.numberOfImages.min, maxValue: LIMITS.numberOfImages.max },
		default: 1,
		description: 'Images per job (1 to 4); each is one output item and costs 2 credits',
		displayOptions: withLora,
	},
	{
		displayName: 'Inference Steps',
		name: 'numInferenceSteps',
		type: 'number',
		typeOptions: { minValue: LIMITS.numInferenceSteps.min, maxValue: LIMITS.numInferenceSteps.max },
		default: 35,
		description: 'Denoising steps (28 to 50): more is slower and finer',
		displayOptions: withLora,
	},
	{
		displayName: 'Guidance',
		name: 'guidance',
		type: 'number',
		typeOptions: { minValue: LIMITS.guidance.min, maxValue: LIMITS.guidance.max, numberPrecision: 2 },
		default: 3,
		description: 'How closely the image follows the prompt (2 to 4)',
		displayOptions: withLora,
	},
	{
		displayName: 'Go Fast',
		name: 'goFast',
		type: 'boolean',
		default: false,
		description: 'Whether to trade some quality for faster generation',
		displayOptions: withLora,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: generating },
		options: [
			{
				displayName: 'Negative Prompt',
				name: 'negativePrompt',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				description: `What the image should avoid (at most ${LIMITS.negativePromptMaxLength} characters)`,
			},
			{
				displayName: 'Prompt Extend',
				name: 'promptExtend',
				type: 'boolean',
				default: true,
				description: 'Whether PixelDojo may rewrite the prompt to add detail (not used with LoRA)',
				displayOptions: { show: { '/useLora': [false] } },
			},
			{
				displayName: 'Seed',
				name: 'seed',
				type: 'number',
				typeOptions: { minValue: LIMITS.seed.min, maxValue: LIMITS.seed.max },
				default: 0,
				description: 'Seed for reproducible images (0 to 2147483647)',
			},
			{
				displayName: 'Watermark',
				name: 'watermark',
				type: 'boolean',
				default: false,
				description: 'Whether to add a "Qwen-Image" watermark at the bottom right',
			},
		],
	},
];
