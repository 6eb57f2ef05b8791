import type { INodeExecutionData } from 'n8n-workflow';

import type { RunContext } from './runContext';
import { itemScope, jobOutput } from './runContext';

/** Poll: read a job once, or wait until it ends; download its images when it completed. */
export async function poll(run: RunContext, jobId: string, waitForCompletion: boolean): Promise<INodeExecutionData[]> {
	run.scheduler.noteJob(run.itemIndex, jobId);
	const outcome = await run.scheduler.withJobSlot(async () => {
		const scope = itemScope(run, jobId);
		if (waitForCompletion) return await run.scheduler.waitForJob(run.client, jobId, scope);
		return { job: await run.client.getJob(jobId, scope), timedOut: false };
	});
	return await jobOutput(run, jobId, outcome.job, { timedOut: outcome.timedOut });
}
