import { agentShape, markdownImage } from '../../nodes/QwenImageMax/output/agentItems';
import { parseItemOptions } from '../../nodes/QwenImageMax/schemas/itemOptions';

describe('the Markdown image a model can paste into a chat', () => {
	it('uses the prompt as alt text, on one line, without the brackets that would end it', () => {
		expect(markdownImage('A fox\n\n[in] the   snow', 'https://temp.pixeldojo.ai/a.png')).toBe('![A fox in the snow](https://temp.pixeldojo.ai/a.png)');
	});

	it('shortens a long prompt to 100 characters', () => {
		const alt = /^!\[(.*)\]\(/.exec(markdownImage('🦊'.repeat(150), 'https://x/a.png'))?.[1];
		expect([...(alt ?? '')]).toHaveLength(100);
		expect(alt?.endsWith('…')).toBe(true);
	});

	it('keeps a URL with spaces or parentheses inside the link', () => {
		expect(markdownImage('fox', 'https://x/a (1).png')).toBe('![fox](https://x/a%20%281%29.png)');
	});

	it('has alt text without a prompt (a polled job)', () => {
		expect(markdownImage(undefined, 'https://x/a.png')).toBe('![Generated image](https://x/a.png)');
		expect(markdownImage('[]', 'https://x/a.png')).toBe('![Generated image](https://x/a.png)');
	});
});

describe('the agent items', () => {
	it('carry no credits, status URL or list of all URLs', () => {
		const job = { status: 'completed', output: { images: ['https://x/0.png', 'https://x/1.png'] }, creditCost: 4, creditsRemaining: 90 };
		const items = agentShape.images('job_1', job, { prompt: 'fox', submitted: { jobId: 'job_1', statusUrl: 'https://x/jobs/job_1', creditCost: 4 } });
		expect(items.map((item) => Object.keys(item).sort())).toEqual([
			['expiresAt', 'imageUrl', 'jobId', 'markdown', 'prompt'],
			['expiresAt', 'imageUrl', 'jobId', 'markdown', 'prompt'],
		]);
		expect(agentShape.submitted({ jobId: 'job_1', statusUrl: 'https://x/jobs/job_1', creditCost: 2 }, 'fox')).toEqual({
			jobId: 'job_1',
			prompt: 'fox',
			status: 'pending',
			note: expect.any(String),
		});
	});
});

describe('option defaults as a tool', () => {
	it('Download Images off, Timeout 120 s, On Timeout Return Pending Job, unless added', () => {
		expect(parseItemOptions({}, { asTool: true })).toMatchObject({ downloadImages: false, timeoutSeconds: 120, onTimeout: 'returnPending' });
		expect(parseItemOptions({ downloadImages: true, timeoutSeconds: 600, onTimeout: 'error' }, { asTool: true })).toMatchObject({
			downloadImages: true,
			timeoutSeconds: 600,
			onTimeout: 'error',
		});
	});

	it('in a workflow they keep their own defaults', () => {
		expect(parseItemOptions({})).toMatchObject({ downloadImages: true, timeoutSeconds: 600, onTimeout: 'error' });
	});
});
