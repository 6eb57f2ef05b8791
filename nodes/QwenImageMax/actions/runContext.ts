import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { JobResponse } from '../schemas/apiResponses';
import { errorTextOf, imageUrlsOf, jobState } from '../schemas/apiResponses';
import type { JobScheduler } from '../scheduler/jobScheduler';
import type { KnownJob, OutputShape } from '../output/imageItems';
import { pixelDojoFailure } from '../transport/failures';
import type { RequestScope } from '../transport/failures';
import type { PixelDojoClient } from '../transport/pixelDojoClient';
import type { CreditCap } from './creditCap';
import type { ItemOptions } from './itemParameters';

/** What every operation handler gets: the n8n context, the call's client, scheduler, credit cap and output shape, and its item. */
export interface RunContext {
	fn: IExecuteFunctions;
	client: PixelDojoClient;
	scheduler: JobScheduler;
	credits: CreditCap;
	options: ItemOptions;
	/** For the nodes after this one, or for the model of the AI Agent that called it as a tool. */
	shape: OutputShape;
	itemIndex: number;
	/** Names the item across n8n's retries of this node run (see jobSubmission); undefined: no retry can be recognised. */
	ledgerKey?: string;
}

/** The scope of an item's requests; its deadline starts when the item's job phase starts. */
export function itemScope(run: RunContext, jobId?: string): RequestScope {
	return { itemIndex: run.itemIndex, deadline: Date.now() + run.options.timeoutSeconds * 1000, jobId };
}

/**
 * Turns a job's last known state into output: images for a completed job, the pending job
 * for one still running (when allowed), and an error naming the job otherwise.
 */
export async function jobOutput(
	run: RunContext,
	jobId: string,
	job: JobResponse,
	options: KnownJob & { timedOut: boolean },
): Promise<INodeExecutionData[]> {
	const { fn, itemIndex, client } = run;
	const state = jobState(job);
	if (state === 'failed') {
		const reason = errorTextOf(job.error);
		throw pixelDojoFailure(fn.getNode(), {
			code: 'job_failed',
			jobId,
			itemIndex,
			message: `PixelDojo job ${jobId} failed: ${reason ? client.redact(reason, 500) : `status "${client.redact(job.status)}" with no reason given`}`,
		});
	}
	if (state === 'running') {
		if (options.timedOut && run.options.onTimeout === 'error') {
			throw pixelDojoFailure(fn.getNode(), {
				code: 'timeout',
				jobId,
				itemIndex,
				message: `PixelDojo job ${jobId} was still "${job.status}" after ${run.options.timeoutSeconds} s`,
				description: 'The job keeps running and may still finish: poll it later with the Poll operation, or raise Timeout (Seconds).',
			});
		}
		return [{ json: run.shape.pending(jobId, job, options, options.timedOut) }];
	}
	if (imageUrlsOf(job).length === 0) {
		throw pixelDojoFailure(fn.getNode(), {
			code: 'invalid_response',
			jobId,
			itemIndex,
			message: `PixelDojo job ${jobId} completed without any image URL (looked in output.images, output.image and assets[].url)`,
		});
	}
	const items = run.shape.images(jobId, job, options).map((json) => ({ json }));
	if (!run.options.downloadImages) return items;
	const imageUrls = imageUrlsOf(job);
	return await Promise.all(items.map(async (item, imageIndex) => await attachImage(run, jobId, item, imageUrls[imageIndex], imageIndex)));
}

async function attachImage(run: RunContext, jobId: string, item: INodeExecutionData, imageUrl: string, imageIndex: number): Promise<INodeExecutionData> {
	const { fn, scheduler, client, options } = run;
	const binary = await scheduler.withDownloadSlot(
		async () =>
			await client.downloadImage(imageUrl, itemScope(run, jobId), async (image) =>
				await fn.helpers.prepareBinaryData(image.body, `${jobId}-${imageIndex}.${image.extension}`, image.mimeType),
			),
	);
	return { ...item, binary: { [options.binaryPropertyName]: binary } };
}
