import { imageUrlsOf } from '../schemas/apiResponses';
import type { OutputShape } from './imageItems';
import { promptField } from './imageItems';

/** PixelDojo's image URLs are temporary, about a day; the API says neither when a job finished nor when its URLs die. */
export const IMAGE_URL_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Long prompts would fill the chat twice (the prompt and the image's alt text). */
const ALT_TEXT_MAX = 100;

const NOT_FINISHED = 'Not finished yet: poll this jobId later to get the image.';

/** The prompt as one line of alt text, with nothing that ends the Markdown link early. */
function altText(prompt: string | undefined): string {
	const text = (prompt ?? 'Generated image').replace(/[[\]\\]/g, '').replace(/\s+/g, ' ').trim() || 'Generated image';
	const characters = [...text];
	return characters.length > ALT_TEXT_MAX ? `${characters.slice(0, ALT_TEXT_MAX - 1).join('')}…` : text;
}

/** A URL with a space or a parenthesis would end `(…)` early. */
function markdownUrl(url: string): string {
	return url.replace(/[ ()]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function markdownImage(prompt: string | undefined, url: string): string {
	return `![${altText(prompt)}](${markdownUrl(url)})`;
}

/**
 * For the model of an AI Agent that called the node as a tool: n8n hands it the items' json
 * (never binary data), so each image is what a model can use and nothing more: the job, the
 * prompt, the URL, when the URL stops working, and a ready Markdown image for the chat.
 */
export const agentShape: OutputShape = {
	submitted(submitted, prompt) {
		return { jobId: submitted.jobId, prompt, status: submitted.status ?? 'pending', note: NOT_FINISHED };
	},
	pending(jobId, job, known, timedOut) {
		return { jobId, ...promptField(known), status: job.status, ...(timedOut ? { timedOut: true } : {}), note: NOT_FINISHED };
	},
	images(jobId, job, known) {
		const expiresAt = new Date(Date.now() + IMAGE_URL_LIFETIME_MS).toISOString();
		return imageUrlsOf(job).map((imageUrl) => ({
			jobId,
			...promptField(known),
			imageUrl,
			expiresAt,
			markdown: markdownImage(known.prompt, imageUrl),
		}));
	},
};
