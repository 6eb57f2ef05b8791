// @ts-check
'use strict';

// The submit body rules of the documented API (see /work/shared/api/qwen-image-max.md).

const GENERATION_MODELS = ['qwen-image-plus', 'qwen-image-plus-2026-01-09', 'qwen-image-max', 'qwen-image-max-2025-12-30', 'qwen-image'];
const ASPECT_RATIOS = ['1:1', '16:9', '9:16', '4:3', '3:4', '21:9'];

/** @typedef {(v: unknown) => string | null} FieldCheck returns what is wrong, or null */

/** @type {(min: number, max: number) => FieldCheck} */
const integerIn = (min, max) => (v) =>
	Number.isInteger(v) && /** @type {number} */ (v) >= min && /** @type {number} */ (v) <= max ? null : `must be an integer from ${min} to ${max}`;
/** @type {(min: number, max: number) => FieldCheck} */
const numberIn = (min, max) => (v) =>
	typeof v === 'number' && v >= min && v <= max ? null : `must be a number from ${min} to ${max}`;
/** @type {(values: string[]) => FieldCheck} */
const oneOf = (values) => (v) => (values.includes(/** @type {string} */ (v)) ? null : `must be one of ${values.join(', ')}`);
/** @type {FieldCheck} */
const boolean = (v) => (typeof v === 'boolean' ? null : 'must be a boolean');
/** @type {FieldCheck} */
const nonEmptyString = (v) => (typeof v === 'string' && v.trim() !== '' ? null : 'must be a non-empty string');

/** @type {Record<string, FieldCheck>} */
const FIELDS = {
	prompt: nonEmptyString,
	generation_model: oneOf(GENERATION_MODELS),
	aspect_ratio: oneOf(ASPECT_RATIOS),
	// Counted in code points, as a user would count characters.
	negative_prompt: (v) => (typeof v !== 'string' ? 'must be a string' : [...v].length > 500 ? 'must be at most 500 characters' : null),
	prompt_extend: boolean,
	watermark: boolean,
	num_inference_steps: integerIn(28, 50),
	guidance: numberIn(2, 4),
	go_fast: boolean,
	numberOfImages: integerIn(1, 4),
	seed: integerIn(0, 2147483647),
	lora_weights: nonEmptyString,
	lora_scale: numberIn(0, 2),
};

// Accepted but without effect on one of the two paths; tests can assert a client never sends them.
const LORA_ONLY = ['num_inference_steps', 'guidance', 'go_fast', 'lora_scale'];
const DASHSCOPE_ONLY = ['generation_model', 'prompt_extend'];

/**
 * @param {unknown} body parsed JSON
 * @param {{ rejectUnknownFields: boolean }} options
 * @returns {{ error: string } | { body: Record<string, unknown>, ignoredFields: string[] }}
 */
function validateSubmit(body, options) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return { error: 'Request body must be a JSON object' };
	const fields = /** @type {Record<string, unknown>} */ (body);
	if (!Object.hasOwn(fields, 'prompt')) return { error: 'prompt: is required' };
	for (const [name, value] of Object.entries(fields)) {
		if (!Object.hasOwn(FIELDS, name)) {
			if (options.rejectUnknownFields) return { error: `${name}: unknown field` };
			continue;
		}
		const problem = FIELDS[name](value);
		if (problem) return { error: `${name}: ${problem}` };
	}
	const lora = Object.hasOwn(fields, 'lora_weights');
	if (fields.aspect_ratio === '21:9' && !lora) return { error: 'aspect_ratio: 21:9 requires lora_weights' };
	if (/** @type {number} */ (fields.numberOfImages ?? 1) > 1 && !lora) return { error: 'numberOfImages: more than 1 requires lora_weights' };
	const ignoredFields = (lora ? DASHSCOPE_ONLY : LORA_ONLY).filter((name) => Object.hasOwn(fields, name));
	return { body: fields, ignoredFields };
}

module.exports = { validateSubmit };
