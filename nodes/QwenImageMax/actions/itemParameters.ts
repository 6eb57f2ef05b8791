import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_MAX_CONCURRENCY, DEFAULT_MAX_IMAGE_MB, DEFAULT_TIMEOUT_SECONDS } from '../description/options';
import type { GenerationRequest } from '../schemas/generationRequest';
import { parseGenerationRequest, RequestValidationError } from '../schemas/generationRequest';

export interface ItemOptions {
	downloadImages: boolean;
	binaryPropertyName: string;
	maxConcurrency: number;
	timeoutSeconds: number;
	onTimeout: 'error' | 'returnPending';
	maxImageBytes: number;
	/** Undefined: no cap. */
	maxCredits: number | undefined;
	workersSharingKey: number;
}

/** Expressions hand numbers and booleans over as text ("3", "true"); the API wants JSON types. */
function coerce(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	const text = value.trim();
	if (text === 'true' || text === 'false') return text === 'true';
	if (text !== '' && Number.isFinite(Number(text))) return Number(text);
	return value;
}

function withoutEmpty(body: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined && value !== ''));
}

/**
 * Builds the submit body from the node's fields and refuses, before any request, what the
 * API would reject; only the fields of the chosen path (DashScope or LoRA) are sent.
 */
export function readGenerationRequest(fn: IExecuteFunctions, itemIndex: number): GenerationRequest {
	const param = (name: string, fallback?: unknown) => fn.getNodeParameter(name, itemIndex, fallback) as unknown;
	const additional = (param('additionalFields', {}) ?? {}) as IDataObject;
	const useLora = coerce(param('useLora', false)) === true;
	const shared = {
		prompt: param('prompt'),
		aspect_ratio: param('aspectRatio', '1:1'),
		negative_prompt: additional.negativePrompt,
		watermark: coerce(additional.watermark),
		seed: coerce(additional.seed),
	};
	const body: Record<string, unknown> = useLora
		? {
				...shared,
				lora_weights: param('loraWeights', ''),
				lora_scale: coerce(param('loraScale', 1)),
				numberOfImages: coerce(param('numberOfImages', 1)),
				num_inference_steps: coerce(param('numInferenceSteps', 35)),
				guidance: coerce(param('guidance', 3)),
				go_fast: coerce(param('goFast', false)),
			}
		: {
				...shared,
				generation_model: param('generationModel', 'qwen-image-plus'),
				prompt_extend: coerce(additional.promptExtend),
			};
	try {
		const request = withoutEmpty(body);
		// An empty prompt must be refused, not dropped as an unset optional field.
		request.prompt = body.prompt;
		if (useLora) request.lora_weights = body.lora_weights;
		return parseGenerationRequest(request);
	} catch (error) {
		if (error instanceof RequestValidationError) {
			throw new NodeOperationError(fn.getNode(), error.message, {
				itemIndex,
				description: 'Nothing was sent to PixelDojo and no credits were spent.',
			});
		}
		throw new NodeOperationError(fn.getNode(), error as Error, { itemIndex });
	}
}

function boundedInteger(fn: IExecuteFunctions, itemIndex: number, label: string, value: unknown, min: number, max: number): number {
	const number = coerce(value);
	if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
		throw new NodeOperationError(fn.getNode(), `${label} must be a whole number from ${min} to ${max}; got ${String(value)}`, {
			itemIndex,
		});
	}
	return number;
}

export function readItemOptions(fn: IExecuteFunctions, itemIndex: number): ItemOptions {
	const options = fn.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const binaryPropertyName = String(options.binaryPropertyName ?? 'data').trim();
	if (!binaryPropertyName) {
		throw new NodeOperationError(fn.getNode(), 'Binary Property (binaryPropertyName) must not be empty', { itemIndex });
	}
	const onTimeout = options.onTimeout ?? 'error';
	if (onTimeout !== 'error' && onTimeout !== 'returnPending') {
		throw new NodeOperationError(fn.getNode(), `On Timeout (onTimeout) must be "error" or "returnPending"; got ${String(onTimeout)}`, {
			itemIndex,
		});
	}
	return {
		downloadImages: coerce(options.downloadImages ?? true) !== false,
		binaryPropertyName,
		maxConcurrency: boundedInteger(fn, itemIndex, 'Max Concurrency (maxConcurrency)', options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY, 1, 100),
		timeoutSeconds: boundedInteger(fn, itemIndex, 'Timeout (timeoutSeconds)', options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS, 1, 7 * 24 * 3600),
		onTimeout,
		maxImageBytes:
			boundedInteger(fn, itemIndex, 'Max Image Size (maxImageSizeMb)', options.maxImageSizeMb ?? DEFAULT_MAX_IMAGE_MB, 1, 1024) * 1024 * 1024,
		maxCredits:
			options.maxCredits === undefined ? undefined : boundedInteger(fn, itemIndex, 'Max Credits (maxCredits)', options.maxCredits, 1, 1_000_000),
		workersSharingKey: boundedInteger(fn, itemIndex, 'Workers Sharing the API Key (workersSharingKey)', options.workersSharingKey ?? 1, 1, 100),
	};
}

export function readJobId(fn: IExecuteFunctions, itemIndex: number): string {
	const jobId = fn.getNodeParameter('jobId', itemIndex, '') as unknown;
	if (typeof jobId !== 'string' || jobId.trim() === '') {
		throw new NodeOperationError(fn.getNode(), `Job ID (jobId) must be a non-empty job ID such as "job_abc123"; got ${JSON.stringify(jobId) ?? 'nothing'}`, {
			itemIndex,
			description: 'The default {{ $json.jobId }} reads it from the output of a Submit node.',
		});
	}
	return jobId.trim();
}
