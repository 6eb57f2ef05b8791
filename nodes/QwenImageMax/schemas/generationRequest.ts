import { z } from 'zod';

export const DASHSCOPE_MODELS = [
	'qwen-image-plus',
	'qwen-image-plus-2026-01-09',
	'qwen-image-max',
	'qwen-image-max-2025-12-30',
	'qwen-image',
] as const;

/** The plus/max series ship five ratios; 21:9 exists only on the LoRA (Replicate) path. */
export const DASHSCOPE_ASPECT_RATIOS = ['1:1', '16:9', '9:16', '4:3', '3:4'] as const;
export const LORA_ASPECT_RATIOS = [...DASHSCOPE_ASPECT_RATIOS, '21:9'] as const;

export const LIMITS = {
	negativePromptMaxLength: 500,
	loraScale: { min: 0, max: 2 },
	numberOfImages: { min: 1, max: 4 },
	numInferenceSteps: { min: 28, max: 50 },
	guidance: { min: 2, max: 4 },
	seed: { min: 0, max: 2147483647 },
} as const;

/**
 * How each API field is named in the node's UI, so a refusal names the field the user sees
 * and the allowed range, not a zod path.
 */
export const FIELD_LABELS: Record<string, string> = {
	prompt: 'Prompt (prompt)',
	generation_model: 'Generation Model (generation_model)',
	aspect_ratio: 'Aspect Ratio (aspect_ratio)',
	negative_prompt: 'Negative Prompt (negative_prompt)',
	prompt_extend: 'Prompt Extend (prompt_extend)',
	watermark: 'Watermark (watermark)',
	seed: 'Seed (seed)',
	lora_weights: 'LoRA Weights (lora_weights)',
	lora_scale: 'LoRA Scale (lora_scale)',
	numberOfImages: 'Number of Images (numberOfImages)',
	num_inference_steps: 'Inference Steps (num_inference_steps)',
	guidance: 'Guidance (guidance)',
	go_fast: 'Go Fast (go_fast)',
};

const promptSchema = z
	.string({ invalid_type_error: 'must be text', required_error: 'must not be empty' })
	.refine((prompt) => prompt.trim().length > 0, 'must not be empty');

const negativePromptSchema = z
	.string({ invalid_type_error: 'must be text' })
	.max(LIMITS.negativePromptMaxLength, `must be at most ${LIMITS.negativePromptMaxLength} characters`);

function boundedNumber(range: { min: number; max: number }, integer: boolean) {
	const kind = integer ? 'an integer' : 'a number';
	const rule = `must be ${kind} from ${range.min} to ${range.max}`;
	const base = z.number({ invalid_type_error: rule, required_error: rule }).finite(rule);
	return (integer ? base.int(rule) : base).min(range.min, rule).max(range.max, rule);
}

const booleanSchema = z.boolean({ invalid_type_error: 'must be true or false' });

const sharedFields = {
	prompt: promptSchema,
	negative_prompt: negativePromptSchema.optional(),
	watermark: booleanSchema.optional(),
	seed: boundedNumber(LIMITS.seed, true).optional(),
};

export const dashScopeRequestSchema = z
	.object({
		...sharedFields,
		generation_model: z.enum(DASHSCOPE_MODELS, {
			errorMap: () => ({ message: `must be one of ${DASHSCOPE_MODELS.join(', ')}` }),
		}),
		aspect_ratio: z.enum(DASHSCOPE_ASPECT_RATIOS, {
			errorMap: () => ({
				message: `must be one of ${DASHSCOPE_ASPECT_RATIOS.join(', ')} without LoRA (21:9 needs Use LoRA on)`,
			}),
		}),
		prompt_extend: booleanSchema.optional(),
	})
	.strict();

export const loraRequestSchema = z
	.object({
		...sharedFields,
		aspect_ratio: z.enum(LORA_ASPECT_RATIOS, {
			errorMap: () => ({ message: `must be one of ${LORA_ASPECT_RATIOS.join(', ')}` }),
		}),
		lora_weights: z
			.string({ invalid_type_error: 'must be a URL or HuggingFace path', required_error: 'is required when Use LoRA is on' })
			.refine((weights) => weights.trim().length > 0, 'is required when Use LoRA is on'),
		lora_scale: boundedNumber(LIMITS.loraScale, false),
		numberOfImages: boundedNumber(LIMITS.numberOfImages, true),
		num_inference_steps: boundedNumber(LIMITS.numInferenceSteps, true),
		guidance: boundedNumber(LIMITS.guidance, false),
		go_fast: booleanSchema,
	})
	.strict();

export type DashScopeRequest = z.infer<typeof dashScopeRequestSchema>;
export type LoraRequest = z.infer<typeof loraRequestSchema>;
export type GenerationRequest = DashScopeRequest | LoraRequest;

export class RequestValidationError extends Error {
	constructor(
		readonly field: string,
		reason: string,
		readonly received: unknown,
	) {
		super(`${FIELD_LABELS[field] ?? field} ${reason}${describeReceived(received)}`);
		this.name = 'RequestValidationError';
	}
}

function describeReceived(received: unknown): string {
	if (received === undefined) return '';
	const text =
		typeof received === 'string' || (typeof received === 'object' && received !== null)
			? JSON.stringify(received)
			: String(received);
	return `; got ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}

/** Validates a request body against the path it targets; throws RequestValidationError naming the first bad field. */
export function parseGenerationRequest(body: Record<string, unknown>): GenerationRequest {
	const isLora = body.lora_weights !== undefined;
	const result = (isLora ? loraRequestSchema : dashScopeRequestSchema).safeParse(body);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	if (issue.code === 'unrecognized_keys') {
		const field = issue.keys[0];
		const reason = isLora
			? 'is not used on the LoRA path (only without LoRA)'
			: 'is only available with Use LoRA on';
		throw new RequestValidationError(field, reason, body[field]);
	}
	const field = String(issue.path[0]);
	throw new RequestValidationError(field, issue.message, body[field]);
}
