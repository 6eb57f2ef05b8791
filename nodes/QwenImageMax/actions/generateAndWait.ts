import type { INodeExecutionData } from 'n8n-workflow';

import type { GenerationRequest } from '../schemas/generationRequest';
import type { RunContext } from './runContext';
import { itemScope, jobOutput } from './runContext';

/** Generate and Wait: submit, poll until the job ends, download its images. */
export async function generateAndWait(run: RunContext, request: GenerationRequest): Promise<INodeExecutionData[]> {
	const { submitted, outcome } = await run.scheduler.withJobSlot(async () => {
		const scope = itemScope(run);
		const submitted = await run.client.submit(request, scope);
		const submittedAt = Date.now();
		run.scheduler.noteJob(run.itemIndex, submitted.jobId);
		const outcome = await run.scheduler.waitForJob(run.client, submitted.jobId, { ...scope, jobId: submitted.jobId }, submittedAt);
		return { submitted, outcome };
	});
	return await jobOutput(run, submitted.jobId, outcome.job, { submitted, prompt: request.prompt, timedOut: outcome.timedOut });
}
