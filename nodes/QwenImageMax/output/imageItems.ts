import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { JobResponse, SubmitResponse } from '../schemas/apiResponses';
import { imageUrlsOf } from '../schemas/apiResponses';

/** `creditCost` / `creditsRemaining` whenever the API returned them, from the job or its submit. */
export function creditFields(job?: JobResponse, submitted?: SubmitResponse): IDataObject {
	const fields: IDataObject = {};
	const creditCost = job?.creditCost ?? submitted?.creditCost;
	const creditsRemaining = job?.creditsRemaining ?? submitted?.creditsRemaining;
	if (creditCost !== undefined) fields.creditCost = creditCost;
	if (creditsRemaining !== undefined) fields.creditsRemaining = creditsRemaining;
	return fields;
}

/**
 * What the node knows of a job besides its state: its submit answer and its prompt, when this
 * run submitted it. The prompt tells a dozen images apart without following item links.
 */
export interface KnownJob {
	submitted?: SubmitResponse;
	prompt?: string;
}

function promptField(known: KnownJob): IDataObject {
	return known.prompt === undefined ? {} : { prompt: known.prompt };
}

export function submittedJobJson(submitted: SubmitResponse, prompt: string): IDataObject {
	const json: IDataObject = { jobId: submitted.jobId, prompt, status: submitted.status ?? 'pending' };
	if (submitted.statusUrl) json.statusUrl = submitted.statusUrl;
	return { ...json, ...creditFields(undefined, submitted) };
}

export function pendingJobJson(jobId: string, job: JobResponse, known: KnownJob, timedOut = false): IDataObject {
	return { jobId, ...promptField(known), status: job.status, ...(timedOut ? { timedOut: true } : {}), ...creditFields(job, known.submitted) };
}

/** One item per image of a completed job, in the API's order. */
export function imageItems(
	jobId: string,
	job: JobResponse,
	known: KnownJob,
): Array<INodeExecutionData & { json: IDataObject & { imageUrl: string; imageIndex: number } }> {
	const imageUrls = imageUrlsOf(job);
	return imageUrls.map((imageUrl, imageIndex) => ({
		json: { jobId, ...promptField(known), status: job.status, imageUrl, imageIndex, imageUrls, ...creditFields(job, known.submitted) },
	}));
}
