import type { IDataObject } from 'n8n-workflow';

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

/**
 * The json of the node's output items, by what reads them: the nodes after it in a workflow,
 * or the model of an AI Agent that called the node as a tool (see agentItems).
 */
export interface OutputShape {
	submitted(submitted: SubmitResponse, prompt: string): IDataObject;
	pending(jobId: string, job: JobResponse, known: KnownJob, timedOut: boolean): IDataObject;
	/** One item's json per image of a completed job, in the API's order. */
	images(jobId: string, job: JobResponse, known: KnownJob): IDataObject[];
}

export function promptField(known: KnownJob): IDataObject {
	return known.prompt === undefined ? {} : { prompt: known.prompt };
}

/** For the nodes after it: everything the API said, one item per image. */
export const workflowShape: OutputShape = {
	submitted(submitted, prompt) {
		const json: IDataObject = { jobId: submitted.jobId, prompt, status: submitted.status ?? 'pending' };
		if (submitted.statusUrl) json.statusUrl = submitted.statusUrl;
		return { ...json, ...creditFields(undefined, submitted) };
	},
	pending(jobId, job, known, timedOut) {
		return { jobId, ...promptField(known), status: job.status, ...(timedOut ? { timedOut: true } : {}), ...creditFields(job, known.submitted) };
	},
	images(jobId, job, known) {
		const imageUrls = imageUrlsOf(job);
		return imageUrls.map((imageUrl, imageIndex) => ({
			jobId,
			...promptField(known),
			status: job.status,
			imageUrl,
			imageIndex,
			imageUrls,
			...creditFields(job, known.submitted),
		}));
	},
};
