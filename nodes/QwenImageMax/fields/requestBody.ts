import type { ApiField } from './apiFields';
import { ADDITIONAL_FIELDS, LORA_SWITCH, SWITCH_VALUE, fieldsOn } from './apiFields';
import type { Path } from './kinds';
import { PATHS, coerce, isEmpty, isRequired } from './kinds';

/** Reads one node parameter of the current item, like `getNodeParameter(name, itemIndex, fallback)`. */
export type ReadParameter = (name: string, fallback: unknown) => unknown;

export function pathOf(read: ReadParameter): Path {
	const on = coerce(LORA_SWITCH.kind, read(LORA_SWITCH.name, LORA_SWITCH.default)) === true;
	return PATHS.find((path) => SWITCH_VALUE[path] === on) as Path;
}

/**
 * The submit body for one path: each of the path's fields under its API name, numbers and
 * booleans as JSON types. Fields of the other path are never sent; an empty optional field is
 * left out, so the API's own default (a random seed, for one) applies.
 */
export function requestBody(fields: readonly ApiField[], path: Path, read: ReadParameter): Record<string, unknown> {
	const additional = (read(ADDITIONAL_FIELDS.name, {}) ?? {}) as Record<string, unknown>;
	const body: Record<string, unknown> = {};
	for (const field of fieldsOn(fields, path)) {
		const value = coerce(field.kind, field.placement === 'top' ? read(field.name, field.default) : additional[field.name]);
		// An empty required field must be refused, not dropped as an unset optional one.
		if (isRequired(field.kind) || !isEmpty(value)) body[field.apiName] = value;
	}
	return body;
}
