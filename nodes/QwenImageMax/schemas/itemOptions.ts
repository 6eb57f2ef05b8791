import { z } from 'zod';

import { coerce } from '../fields/kinds';
import type { NodeOption, OptionValues } from '../fields/nodeOptions';
import { NODE_OPTIONS, optionLabel } from '../fields/nodeOptions';
import { fieldSchema } from './fieldSchema';
import { firstFieldError } from './validationError';

/** How the node runs: as an AI Agent's tool, an option not added takes its `toolDefault`. */
export interface ParseContext {
	asTool?: boolean;
}

/** Parses an item's Options collection against a table of options; throws FieldValidationError naming the first bad one. */
export function optionParser(options: readonly NodeOption[]): (values: Record<string, unknown>, context?: ParseContext) => Record<string, unknown> {
	const schema = z.object(
		Object.fromEntries(options.map((option) => [option.name, option.offUnlessAdded ? fieldSchema(option.kind).optional() : fieldSchema(option.kind)])),
	);
	const labels = Object.fromEntries(options.map((option) => [option.name, optionLabel(option)]));
	/** An option not added to the collection has its default (as a tool, its tool default), or is off; an added one is checked as the user set it. */
	const valueOf = (option: NodeOption, value: unknown, asTool: boolean) => {
		if (option.offUnlessAdded) return value === undefined ? undefined : coerce(option.kind, value);
		return coerce(option.kind, value ?? (asTool ? (option.toolDefault ?? option.default) : option.default));
	};
	return (values, context = {}) => {
		const withDefaults = Object.fromEntries(options.map((option) => [option.name, valueOf(option, values[option.name], context.asTool === true)]));
		const result = schema.safeParse(withDefaults);
		if (!result.success) throw firstFieldError(result.error, values, (name) => labels[name] ?? name);
		return result.data;
	};
}

export const parseItemOptions = optionParser(NODE_OPTIONS) as (values: Record<string, unknown>, context?: ParseContext) => OptionValues;
