import { z } from 'zod';

const creditFields = {
	creditCost: z.number().optional(),
	creditsRemaining: z.number().optional(),
};

export const submitResponseSchema = z
	.object({
		jobId: z.string().min(1),
		status: z.string().min(1).optional(),
		statusUrl: z.string().optional(),
		...creditFields,
	})
	.passthrough();

const apiErrorText = z.union([z.string(), z.object({ message: z.string().optional() }).passthrough()]);

/**
 * The vendor documents `output.images[]`; other public material reports `output.image` and
 * `assets[].url` for the same API, so all three are accepted.
 */
export const jobResponseSchema = z
	.object({
		jobId: z.string().optional(),
		status: z.string().min(1),
		output: z
			.object({
				images: z.array(z.string()).optional(),
				image: z.string().optional(),
			})
			.passthrough()
			.nullish(),
		assets: z.array(z.object({ url: z.string() }).passthrough()).nullish(),
		error: apiErrorText.nullish(),
		...creditFields,
	})
	.passthrough();

export const apiErrorBodySchema = z
	.object({
		error: apiErrorText.optional(),
		code: z.string().optional(),
		message: z.string().optional(),
	})
	.passthrough();

export type SubmitResponse = z.infer<typeof submitResponseSchema>;
export type JobResponse = z.infer<typeof jobResponseSchema>;

export type JobState = 'running' | 'completed' | 'failed';

/** Anything but `completed` and `failed` means "not finished yet" (`pending`, `queued`, `processing`, …). */
export function jobState(job: JobResponse): JobState {
	const status = job.status.toLowerCase();
	if (status === 'completed' || status === 'succeeded') return 'completed';
	if (status === 'failed' || status === 'error' || status === 'canceled' || status === 'cancelled') return 'failed';
	return 'running';
}

export function imageUrlsOf(job: JobResponse): string[] {
	if (job.output?.images?.length) return job.output.images;
	if (job.output?.image) return [job.output.image];
	return (job.assets ?? []).map((asset) => asset.url);
}

export function errorTextOf(error: z.infer<typeof apiErrorText> | null | undefined): string | undefined {
	if (!error) return undefined;
	return typeof error === 'string' ? error : error.message;
}
