import type { INodeExecutionData } from 'n8n-workflow';

import { jobState } from '../schemas/apiResponses';
import type { GenerationRequest } from '../schemas/generationRequest';
import { observeFailure } from '../utils/observeFailure';
import { codeOf, forgetJob, originOf, submitOnce } from './jobSubmission';
import type { RunContext } from './runContext';
import { itemScope, jobOutput } from './runContext';

/** Generate and Wait: submit (once, across n8n's retries), poll until the job ends, download its images. */
export async function generateAndWait(run: RunContext, request: GenerationRequest): Promise<INodeExecutionData[]> {
	const { job, outcome } = await run.scheduler.withJobSlot(async () => {
		const job = await submitOnce(run, request);
		const { jobId } = job.submitted;
		const outcome = await observeFailure(run.scheduler.waitForJob(run.client, jobId, itemScope(run, jobId), originOf(job, request)), (error) => {
			if (codeOf(error) === 'job_not_found') forgetJob(run);
		});
		return { job, outcome };
	});
	if (jobState(outcome.job) === 'failed') forgetJob(run);
	return await jobOutput(run, job.submitted.jobId, outcome.job, { submitted: job.submitted, prompt: request.prompt, timedOut: outcome.timedOut });
}
