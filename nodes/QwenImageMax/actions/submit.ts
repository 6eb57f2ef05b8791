import type { INodeExecutionData } from 'n8n-workflow';

import { submittedJobJson } from '../output/imageItems';
import type { GenerationRequest } from '../schemas/generationRequest';
import { submitOnce } from './jobSubmission';
import type { RunContext } from './runContext';

/** Submit: POST the job (once, across n8n's retries) and return at once with its ID. */
export async function submit(run: RunContext, request: GenerationRequest): Promise<INodeExecutionData[]> {
	return await run.scheduler.withJobSlot(async () => [{ json: submittedJobJson((await submitOnce(run, request)).submitted, request.prompt) }]);
}
