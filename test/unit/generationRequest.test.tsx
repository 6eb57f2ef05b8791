import type { Path } from '../../nodes/QwenImageMax/fields/kinds';
import { parseGenerationRequest as parseOnPath } from '../../nodes/QwenImageMax/schemas/generationRequest';
import { FieldValidationError } from '../../nodes/QwenImageMax/schemas/validationError';

/** The API's rule: a body with lora_weights runs on the LoRA path. */
const pathOf = (body: Record<string, unknown>): Path => ('lora_weights' in body ? 'lora' : 'dashScope');
const parseGenerationRequest = (body: Record<string, unknown>) => parseOnPath(body, pathOf(body));

const dashScope = { prompt: 'a fox', generation_model: 'qwen-image-plus', aspect_ratio: '1:1' };
const lora = {
	prompt: 'a fox',
	aspect_ratio: '1:1',
	lora_weights: 'owner/repo',
	lora_scale: 1,
	numberOfImages: 1,
	num_inference_steps: 35,
	guidance: 3,
	go_fast: false,
};

function refusal(body: Record<string, unknown>): FieldValidationError {
	try {
		parseGenerationRequest(body);
	} catch (error) {
		if (error instanceof FieldValidationError) return error;
		throw error;
	}
	throw new Error(`accepted ${JSON.stringify(body)}`);
}

describe('numeric bounds: just inside is accepted, just outside is refused naming the field and range', () => {
	const cases: Array<[string, Record<string, unknown>, number, number, number, RegExp]> = [
		// field, base body, min, max, step just outside, message
		['lora_scale', lora, 0, 2, 0.01, /LoRA Scale \(lora_scale\) must be a number from 0 to 2/],
		['numberOfImages', lora, 1, 4, 1, /Number of Images \(numberOfImages\) must be an integer from 1 to 4/],
		['num_inference_steps', lora, 28, 50, 1, /Inference Steps \(num_inference_steps\) must be an integer from 28 to 50/],
		['guidance', lora, 2, 4, 0.01, /Guidance \(guidance\) must be a number from 2 to 4/],
		['seed', dashScope, 0, 2147483647, 1, /Seed \(seed\) must be an integer from 0 to 2147483647/],
		['seed', lora, 0, 2147483647, 1, /Seed \(seed\) must be an integer from 0 to 2147483647/],
	];

	it.each(cases)('%s', (field, base, min, max, step, message) => {
		expect(parseGenerationRequest({ ...base, [field]: min })).toMatchObject({ [field]: min });
		expect(parseGenerationRequest({ ...base, [field]: max })).toMatchObject({ [field]: max });
		expect(refusal({ ...base, [field]: min - step }).message).toMatch(message);
		expect(refusal({ ...base, [field]: max + step }).message).toMatch(message);
		expect(refusal({ ...base, [field]: min - step }).field).toBe(field);
	});

	it.each(['numberOfImages', 'num_inference_steps', 'seed'])('%s must be a whole number', (field) => {
		const base = field === 'seed' ? dashScope : lora;
		const middle = field === 'seed' ? 10.5 : field === 'numberOfImages' ? 2.5 : 30.5;
		expect(refusal({ ...base, [field]: middle }).message).toMatch(/must be an integer/);
	});

	it.each([Number.NaN, Number.POSITIVE_INFINITY, '3', null, true])('refuses %p as a number', (value) => {
		expect(refusal({ ...lora, guidance: value }).field).toBe('guidance');
	});
});

describe('negative prompt', () => {
	it('accepts 500 characters and refuses 501', () => {
		expect(parseGenerationRequest({ ...dashScope, negative_prompt: 'x'.repeat(500) })).toMatchObject({
			negative_prompt: 'x'.repeat(500),
		});
		expect(refusal({ ...dashScope, negative_prompt: 'x'.repeat(501) }).message).toMatch(
			/Negative Prompt \(negative_prompt\) must be at most 500 characters/,
		);
	});
});

describe('prompt', () => {
	it.each(['', '   ', '\n'])('refuses the empty prompt %p', (prompt) => {
		expect(refusal({ ...dashScope, prompt }).message).toMatch(/Prompt \(prompt\) must not be empty/);
	});

	it('refuses a prompt that is not text', () => {
		expect(refusal({ ...dashScope, prompt: 42 }).message).toMatch(/Prompt \(prompt\) must be text/);
	});

	it('accepts long and non-Latin prompts unchanged', () => {
		const prompt = `${'山の風景 '.repeat(2000)}🦊`;
		expect(parseGenerationRequest({ ...dashScope, prompt }).prompt).toBe(prompt);
	});
});

describe('the two paths', () => {
	it('offers 21:9 only with LoRA', () => {
		expect(parseGenerationRequest({ ...lora, aspect_ratio: '21:9' })).toMatchObject({ aspect_ratio: '21:9' });
		const error = refusal({ ...dashScope, aspect_ratio: '21:9' });
		expect(error.field).toBe('aspect_ratio');
		expect(error.message).toMatch(/1:1, 16:9, 9:16, 4:3, 3:4 without LoRA \(21:9 needs Use LoRA on\)/);
	});

	it.each(['1:1', '16:9', '9:16', '4:3', '3:4'])('accepts %s on both paths', (ratio) => {
		expect(parseGenerationRequest({ ...dashScope, aspect_ratio: ratio }).aspect_ratio).toBe(ratio);
		expect(parseGenerationRequest({ ...lora, aspect_ratio: ratio }).aspect_ratio).toBe(ratio);
	});

	it('refuses numberOfImages and every LoRA-only field without LoRA', () => {
		for (const [field, value] of Object.entries({
			numberOfImages: 3,
			num_inference_steps: 35,
			guidance: 3,
			go_fast: true,
			lora_scale: 1,
		})) {
			const error = refusal({ ...dashScope, [field]: value });
			expect(error.field).toBe(field);
			expect(error.message).toMatch(/is only available with Use LoRA on/);
		}
	});

	it('refuses generation_model and prompt_extend on the LoRA path', () => {
		expect(refusal({ ...lora, generation_model: 'qwen-image-max' }).field).toBe('generation_model');
		expect(refusal({ ...lora, prompt_extend: true }).message).toMatch(/not used on the LoRA path/);
	});

	it('refuses an unknown generation model, listing the five', () => {
		expect(refusal({ ...dashScope, generation_model: 'qwen-image-ultra' }).message).toMatch(
			/must be one of qwen-image-plus, qwen-image-plus-2026-01-09, qwen-image-max, qwen-image-max-2025-12-30, qwen-image/,
		);
	});

	it('requires LoRA weights on the LoRA path', () => {
		expect(refusal({ ...lora, lora_weights: ' ' }).message).toMatch(/LoRA Weights \(lora_weights\) is required/);
	});
});
