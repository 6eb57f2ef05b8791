import type { INodeExecutionData } from 'n8n-workflow';

import type { GenerationRequest } from '../schemas/generationRequest';
import { submitOnce } from './jobSubmission';
import type { RunContext } from './runContext';

/** Submit: POST the job (once, across n8n's retries) and return at once with its ID. */
export async function submit(run: RunContext, request: GenerationRequest): Promise<INodeExecutionData[]> {
	return await run.scheduler.withJobSlot(async () => [{ json: run.shape.submitted((await submitOnce(run, request)).submitted, request.prompt) }]);
}
