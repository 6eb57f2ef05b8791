import type { INodeExecutionData } from 'n8n-workflow';

import { submittedJobJson } from '../output/imageItems';
import type { GenerationRequest } from '../schemas/generationRequest';
import type { RunContext } from './runContext';
import { itemScope } from './runContext';

/** Submit: POST the job and return at once with its ID. */
export async function submit(run: RunContext, request: GenerationRequest): Promise<INodeExecutionData[]> {
	return await run.scheduler.withJobSlot(async () => {
		const submitted = await run.client.submit(request, itemScope(run));
		run.scheduler.noteJob(run.itemIndex, submitted.jobId);
		return [{ json: submittedJobJson(submitted, request.prompt) }];
	});
}
