import { z } from 'zod';

import { coerce } from '../fields/kinds';
import type { NodeOption, OptionValues } from '../fields/nodeOptions';
import { NODE_OPTIONS, optionLabel } from '../fields/nodeOptions';
import { fieldSchema } from './fieldSchema';
import { firstFieldError } from './validationError';

/** Parses an item's Options collection against a table of options; throws FieldValidationError naming the first bad one. */
export function optionParser(options: readonly NodeOption[]): (values: Record<string, unknown>) => Record<string, unknown> {
	const schema = z.object(Object.fromEntries(options.map((option) => [option.name, fieldSchema(option.kind)])));
	const labels = Object.fromEntries(options.map((option) => [option.name, optionLabel(option)]));
	return (values) => {
		// An option not added to the collection has its default; an added one keeps what the user set, even empty.
		const withDefaults = Object.fromEntries(
			options.map((option) => [option.name, coerce(option.kind, values[option.name] ?? option.default)]),
		);
		const result = schema.safeParse(withDefaults);
		if (!result.success) throw firstFieldError(result.error, values, (name) => labels[name] ?? name);
		return result.data;
	};
}

export const parseItemOptions = optionParser(NODE_OPTIONS) as (values: Record<string, unknown>) => OptionValues;
