import type { SubmitResponse } from '../schemas/apiResponses';
import type { GenerationRequest } from '../schemas/generationRequest';
import { jobLedger } from '../scheduler/jobLedger';
import type { JobOrigin } from '../scheduler/keyCoordinator';
import { pixelDojoFailure } from '../transport/failures';
import { observeFailure } from '../utils/observeFailure';
import type { RunContext } from './runContext';
import { itemScope } from './runContext';

export interface ItemJob {
	submitted: SubmitResponse;
	submittedAt: number;
}

function imagesOf(request: GenerationRequest): number {
	return typeof request.numberOfImages === 'number' ? request.numberOfImages : 1;
}

/** Durations are learnt per generation path: LoRA jobs and each model may run at their own pace. */
function generationPath(request: GenerationRequest): string {
	return 'lora_weights' in request ? 'lora' : String(request.generation_model);
}

export function originOf(job: ItemJob, request: GenerationRequest): JobOrigin {
	return { submittedAt: job.submittedAt, path: generationPath(request) };
}

/**
 * The item's job: submitted now, or, when n8n's Retry On Fail runs the node again, the job an
 * earlier try already paid for (the ledger remembers it), so a retry never pays twice. A
 * submit that broke off after it was sent may have created a job nobody knows the ID of: a
 * retry refuses to submit that item again, as the first try did.
 */
export async function submitOnce(run: RunContext, request: GenerationRequest): Promise<ItemJob> {
	const key = run.ledgerKey;
	const earlier = key === undefined ? undefined : jobLedger.get(key);
	if (earlier?.kind === 'uncertain') {
		throw pixelDojoFailure(run.fn.getNode(), {
			code: 'submit_uncertain',
			itemIndex: run.itemIndex,
			message: "An earlier try of this node sent this item's submit, and its answer broke off: the job may exist, so it was not submitted again",
			description:
				'The job may have been created and charged. Check your PixelDojo dashboard before running this item again (a new execution submits it again).',
		});
	}
	if (earlier?.kind === 'job') {
		run.scheduler.noteJob(run.itemIndex, earlier.job.submitted.jobId);
		return earlier.job;
	}
	const credits = run.credits.reserve(run.fn, run.itemIndex, imagesOf(request));
	const submitted = await observeFailure(run.client.submit(request, itemScope(run)), (error) => {
		if (codeOf(error) !== 'submit_uncertain') return credits.release();
		credits.spent(undefined);
		if (key !== undefined) jobLedger.recordUncertain(key);
	});
	credits.spent(submitted.creditCost);
	const job = { submitted, submittedAt: Date.now() };
	if (key !== undefined) jobLedger.recordJob(key, job);
	run.scheduler.noteJob(run.itemIndex, submitted.jobId);
	run.scheduler.rememberSubmitted(submitted.jobId, originOf(job, request));
	return job;
}

/** The item's job failed or is gone: a retry of the node may pay for a new one. */
export function forgetJob(run: RunContext): void {
	if (run.ledgerKey !== undefined) jobLedger.forget(run.ledgerKey);
}

export function codeOf(error: unknown): unknown {
	return (error as { context?: { code?: unknown } } | undefined)?.context?.code;
}
