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

export function submittedJobJson(submitted: SubmitResponse): IDataObject {
	const json: IDataObject = { jobId: submitted.jobId, status: submitted.status ?? 'pending' };
	if (submitted.statusUrl) json.statusUrl = submitted.statusUrl;
	return { ...json, ...creditFields(undefined, submitted) };
}

export function pendingJobJson(jobId: string, job: JobResponse, submitted?: SubmitResponse, timedOut = false): IDataObject {
	return { jobId, status: job.status, ...(timedOut ? { timedOut: true } : {}), ...creditFields(job, submitted) };
}

/** One item per image of a completed job, in the API's order. */
export function imageItems(
	jobId: string,
	job: JobResponse,
	submitted: SubmitResponse | undefined,
): Array<INodeExecutionData & { json: IDataObject & { imageUrl: string; imageIndex: number } }> {
	const imageUrls = imageUrlsOf(job);
	return imageUrls.map((imageUrl, imageIndex) => ({
		json: { jobId, status: job.status, imageUrl, imageIndex, imageUrls, ...creditFields(job, submitted) },
	}));
}
