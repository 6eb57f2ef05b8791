import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { API_FIELDS } from '../fields/apiFields';
import { OPTIONS_COLLECTION } from '../fields/nodeOptions';
import type { OptionValues } from '../fields/nodeOptions';
import type { ReadParameter } from '../fields/requestBody';
import { pathOf, requestBody } from '../fields/requestBody';
import type { GenerationRequest } from '../schemas/generationRequest';
import { parseGenerationRequest } from '../schemas/generationRequest';
import { parseItemOptions } from '../schemas/itemOptions';
import { FieldValidationError } from '../schemas/validationError';

/** An item's options; the image size limit in bytes, as the client checks it. */
export type ItemOptions = Omit<OptionValues, 'maxImageSizeMb'> & { maxImageBytes: number };

function refusal(fn: IExecuteFunctions, itemIndex: number, error: unknown): NodeOperationError {
	if (error instanceof FieldValidationError) {
		return new NodeOperationError(fn.getNode(), error.message, {
			itemIndex,
			description: 'Nothing was sent to PixelDojo and no credits were spent.',
		});
	}
	return new NodeOperationError(fn.getNode(), error as Error, { itemIndex });
}

/**
 * Builds the submit body from the node's fields and refuses, before any request, what the
 * API would reject; only the fields of the chosen path (DashScope or LoRA) are sent.
 */
export function readGenerationRequest(fn: IExecuteFunctions, itemIndex: number): GenerationRequest {
	const read: ReadParameter = (name, fallback) => fn.getNodeParameter(name, itemIndex, fallback);
	try {
		const path = pathOf(read);
		return parseGenerationRequest(requestBody(API_FIELDS, path, read), path);
	} catch (error) {
		throw refusal(fn, itemIndex, error);
	}
}

export function readItemOptions(fn: IExecuteFunctions, itemIndex: number, asTool: boolean): ItemOptions {
	try {
		const { maxImageSizeMb, ...options } = parseItemOptions(
			(fn.getNodeParameter(OPTIONS_COLLECTION.name, itemIndex, {}) ?? {}) as Record<string, unknown>,
			{ asTool },
		);
		return { ...options, maxImageBytes: maxImageSizeMb * 1024 * 1024 };
	} catch (error) {
		throw refusal(fn, itemIndex, error);
	}
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
