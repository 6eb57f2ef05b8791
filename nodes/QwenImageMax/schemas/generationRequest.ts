import type { ZodTypeAny } from 'zod';
import { z } from 'zod';

import type { ApiField, SentField } from '../fields/apiFields';
import { API_FIELDS, PATH_TEXT, choicesOn, fieldsOn, isSent, labelOf, missingChoicesNote } from '../fields/apiFields';
import type { Path } from '../fields/kinds';
import { PATHS, isRequired } from '../fields/kinds';
import { fieldSchema } from './fieldSchema';
import { FieldValidationError, firstFieldError } from './validationError';

/** A submit body that passed the rules of its path: API field names, JSON types. */
export type GenerationRequest = Readonly<Record<string, string | number | boolean>> & { readonly prompt: string };

export interface RequestRules {
	/** Validates a body against the path it targets; throws FieldValidationError naming the first bad field. */
	parse(body: Record<string, unknown>, path: Path): GenerationRequest;
	/** "Label (api_name)" per API field name, as refusals name them. */
	labels: Readonly<Record<string, string>>;
}

function ruleOf(field: SentField, path: Path): ZodTypeAny {
	const missing = missingChoicesNote(field, path);
	const schema = fieldSchema(field.kind, choicesOn(field, path), missing && `${PATH_TEXT[path].name} (${missing})`);
	// Only what the user must give is required; the API has a default for every other field.
	return isRequired(field.kind) ? schema : schema.optional();
}

/** Everything the API would reject, derived from the field table: the node refuses it before any request. */
export function requestRules(fields: readonly ApiField[]): RequestRules {
	const sent = fields.filter(isSent);
	const labels = Object.fromEntries(sent.map((field) => [field.apiName, labelOf(field)]));
	const labelFor = (apiName: string) => labels[apiName] ?? apiName;
	const schemas = Object.fromEntries(
		PATHS.map((path) => [path, z.object(Object.fromEntries(fieldsOn(fields, path).map((field) => [field.apiName, ruleOf(field, path)]))).strict()]),
	) as Record<Path, z.AnyZodObject>;

	return {
		labels,
		parse(body, path) {
			const result = schemas[path].safeParse(body);
			if (result.success) return result.data as GenerationRequest;
			const issue = result.error.issues[0];
			if (issue.code === 'unrecognized_keys') {
				const field = issue.keys[0];
				const reason = field in labels ? PATH_TEXT[path].refusesOthers : 'is not a field of the API';
				throw new FieldValidationError(field, labelFor(field), reason, body[field]);
			}
			throw firstFieldError(result.error, body, labelFor);
		},
	};
}

const rules = requestRules(API_FIELDS);

export const FIELD_LABELS = rules.labels;
export const parseGenerationRequest = rules.parse;
