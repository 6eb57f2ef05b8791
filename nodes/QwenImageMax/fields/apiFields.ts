import type { Choice, FieldBase, Path } from './kinds';
import { PATHS } from './kinds';

/**
 * One entry per generation field: the single source the editor properties, the request mapping,
 * the zod rules, the error labels and the README's Fields table are derived from. Adding an API
 * parameter is one entry here (and its tests). Order is the order in the editor and the README.
 */
export interface ApiField extends FieldBase {
	/** The body field's name in the API; absent only for the switch that picks the path. */
	readonly apiName?: string;
	/** The paths the API uses the field on; the node sends it on those only. */
	readonly paths: readonly Path[];
	/** At the node's top level, or inside the Additional Fields collection. */
	readonly placement: 'top' | 'additional';
}

export type SentField = ApiField & { readonly apiName: string };

/** Off: DashScope; on: LoRA. Not an API field: the API picks the path by the presence of `lora_weights`. */
export const LORA_SWITCH: ApiField = {
	name: 'useLora',
	label: 'Use LoRA',
	kind: { type: 'boolean' },
	default: false,
	paths: PATHS,
	placement: 'top',
	description:
		'Whether to apply a Qwen Image LoRA. The job then runs on the LoRA path, which unlocks 21:9, up to 4 images per job and the sampler settings; the generation model and Prompt Extend do not apply there.',
};

export const SWITCH_VALUE: Record<Path, boolean> = { dashScope: false, lora: true };

/** How the editor, the errors and the README name each path. */
export const PATH_TEXT: Record<Path, { name: string; refusesOthers: string }> = {
	dashScope: { name: 'without LoRA', refusesOthers: 'is only available with Use LoRA on' },
	lora: { name: 'with LoRA', refusesOthers: 'is not used on the LoRA path (only without LoRA)' },
};

export const ADDITIONAL_FIELDS = { name: 'additionalFields', label: 'Additional Fields' } as const;

const MODELS: readonly Choice[] = [
	{ value: 'qwen-image-plus', label: 'Qwen Image Plus (Rolling)' },
	{ value: 'qwen-image-plus-2026-01-09', label: 'Qwen Image Plus 2026-01-09 (Snapshot)' },
	{ value: 'qwen-image-max', label: 'Qwen Image Max (Rolling)' },
	{ value: 'qwen-image-max-2025-12-30', label: 'Qwen Image Max 2025-12-30 (Snapshot)' },
	{ value: 'qwen-image', label: 'Qwen Image (Legacy)' },
];

/** The plus/max series ship five ratios; 21:9 exists only on the LoRA (Replicate) path. */
const ASPECT_RATIOS: readonly Choice[] = [
	{ value: '1:1', label: '1:1 (Square)' },
	{ value: '16:9', label: '16:9 (Landscape)' },
	{ value: '9:16', label: '9:16 (Portrait)' },
	{ value: '4:3', label: '4:3 (Landscape)' },
	{ value: '3:4', label: '3:4 (Portrait)' },
	{ value: '21:9', label: '21:9 (Ultra-Wide)', paths: ['lora'] },
];

export const API_FIELDS: readonly ApiField[] = [
	{
		name: 'prompt',
		apiName: 'prompt',
		label: 'Prompt',
		kind: { type: 'text', requiredReason: 'must not be empty', rows: 3, placeholder: 'A mountain landscape at golden hour, photorealistic' },
		default: '',
		paths: PATHS,
		placement: 'top',
		description: 'Text description of the image to generate. Long and non-Latin prompts are sent as they are.',
	},
	LORA_SWITCH,
	{
		name: 'loraWeights',
		apiName: 'lora_weights',
		label: 'LoRA Weights',
		kind: {
			type: 'text',
			requiredReason: 'is required when Use LoRA is on',
			placeholder: 'https://huggingface.co/owner/repo/resolve/main/lora.safetensors or owner/repo',
		},
		default: '',
		paths: ['lora'],
		placement: 'top',
		description: 'URL or HuggingFace path of a Qwen Image LoRA',
	},
	{
		name: 'loraScale',
		apiName: 'lora_scale',
		label: 'LoRA Scale',
		kind: { type: 'number', integer: false, min: 0, max: 2, precision: 2 },
		default: 1,
		paths: ['lora'],
		placement: 'top',
		description: 'Strength of the LoRA effect',
	},
	{
		name: 'generationModel',
		apiName: 'generation_model',
		label: 'Generation Model',
		kind: { type: 'choice', choices: MODELS },
		default: 'qwen-image-plus',
		paths: ['dashScope'],
		placement: 'top',
		description: 'Model variant. Rolling names follow the newest release; dated snapshots pin one.',
	},
	{
		name: 'aspectRatio',
		apiName: 'aspect_ratio',
		label: 'Aspect Ratio',
		kind: { type: 'choice', choices: ASPECT_RATIOS },
		default: '1:1',
		paths: PATHS,
		placement: 'top',
		description: 'Shape of the image',
	},
	{
		name: 'numberOfImages',
		apiName: 'numberOfImages',
		label: 'Number of Images',
		kind: { type: 'number', integer: true, min: 1, max: 4 },
		default: 1,
		paths: ['lora'],
		placement: 'top',
		description: 'Images per job (the plain path makes one)',
		hint: 'Each image is one output item and costs 2 credits',
	},
	{
		name: 'numInferenceSteps',
		apiName: 'num_inference_steps',
		label: 'Inference Steps',
		kind: { type: 'number', integer: true, min: 28, max: 50 },
		default: 35,
		paths: ['lora'],
		placement: 'top',
		description: 'Denoising steps: more is slower and finer',
	},
	{
		name: 'guidance',
		apiName: 'guidance',
		label: 'Guidance',
		kind: { type: 'number', integer: false, min: 2, max: 4, precision: 2 },
		default: 3,
		paths: ['lora'],
		placement: 'top',
		description: 'How closely the image follows the prompt',
	},
	{
		name: 'goFast',
		apiName: 'go_fast',
		label: 'Go Fast',
		kind: { type: 'boolean' },
		default: false,
		paths: ['lora'],
		placement: 'top',
		description: 'Whether to trade some quality for faster generation',
	},
	{
		name: 'negativePrompt',
		apiName: 'negative_prompt',
		label: 'Negative Prompt',
		kind: { type: 'text', maxLength: 500, rows: 2 },
		default: '',
		paths: PATHS,
		placement: 'additional',
		description: 'What the image should avoid',
	},
	{
		name: 'promptExtend',
		apiName: 'prompt_extend',
		label: 'Prompt Extend',
		kind: { type: 'boolean' },
		default: true,
		paths: ['dashScope'],
		placement: 'additional',
		description: 'Whether PixelDojo may rewrite the prompt to add detail',
	},
	{
		name: 'watermark',
		apiName: 'watermark',
		label: 'Watermark',
		kind: { type: 'boolean' },
		default: false,
		paths: PATHS,
		placement: 'additional',
		description: 'Whether to add a "Qwen-Image" watermark at the bottom right',
	},
	{
		name: 'seed',
		apiName: 'seed',
		label: 'Seed',
		kind: { type: 'number', integer: true, min: 0, max: 2147483647 },
		default: null,
		paths: PATHS,
		placement: 'additional',
		description: 'Seed for reproducible images: the same seed and settings give the same image',
		hint: 'Leave empty for a new random seed on every run',
	},
];

export function isSent(field: ApiField): field is SentField {
	return field.apiName !== undefined;
}

/** The fields a request on `path` carries, in table order. */
export function fieldsOn(fields: readonly ApiField[], path: Path): SentField[] {
	return fields.filter(isSent).filter((field) => field.paths.includes(path));
}

/** A choice field's values on one path (all of them for any other kind). */
export function choicesOn(field: ApiField, path: Path): readonly Choice[] {
	if (field.kind.type !== 'choice') return [];
	return field.kind.choices.filter((choice) => (choice.paths ?? field.paths).includes(path));
}

/** What a user must switch to reach a choice's other values, e.g. "21:9 needs Use LoRA on"; undefined when nothing is missing. */
export function missingChoicesNote(field: ApiField, path: Path): string | undefined {
	if (field.kind.type !== 'choice') return undefined;
	const here = choicesOn(field, path);
	const missing = field.kind.choices.filter((choice) => !here.includes(choice));
	if (missing.length === 0) return undefined;
	const verb = missing.length > 1 ? 'need' : 'needs';
	return `${missing.map((choice) => choice.value).join(', ')} ${verb} ${LORA_SWITCH.label} ${SWITCH_VALUE[path] ? 'off' : 'on'}`;
}

/** The label a refusal uses: the name the user sees and the API's, e.g. "LoRA Scale (lora_scale)". */
export function labelOf(field: SentField): string {
	return `${field.label} (${field.apiName})`;
}
