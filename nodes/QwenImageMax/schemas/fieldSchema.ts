import type { ZodTypeAny } from 'zod';
import { z } from 'zod';

import type { Choice, FieldKind } from '../fields/kinds';
import { characterCount } from '../fields/kinds';

function boundedNumber(kind: Extract<FieldKind, { type: 'number' }>): ZodTypeAny {
	const rule = `must be ${kind.integer ? 'an integer' : 'a number'} from ${kind.min} to ${kind.max}`;
	const base = z.number({ invalid_type_error: rule, required_error: rule }).finite(rule);
	return (kind.integer ? base.int(rule) : base).min(kind.min, rule).max(kind.max, rule);
}

function text(kind: Extract<FieldKind, { type: 'text' }>): ZodTypeAny {
	const { requiredReason, maxLength } = kind;
	let schema: ZodTypeAny = z.string({ invalid_type_error: 'must be text', required_error: requiredReason ?? 'must be text' });
	if (requiredReason) schema = schema.refine((value: string) => value.trim().length > 0, requiredReason);
	if (maxLength !== undefined) {
		schema = schema.refine((value: string) => characterCount(value) <= maxLength, `must be at most ${maxLength} characters`);
	}
	return schema;
}

/**
 * The rule for one value of the given kind, with refusals worded for a user ("must be one of
 * …", "must be an integer from … to …"). `choices` narrows a choice field to one path's values;
 * `qualifier` follows the list in its refusal.
 */
export function fieldSchema(kind: FieldKind, choices?: readonly Choice[], qualifier?: string): ZodTypeAny {
	switch (kind.type) {
		case 'text':
			return text(kind);
		case 'number':
			return boundedNumber(kind);
		case 'boolean':
			return z.boolean({ invalid_type_error: 'must be true or false', required_error: 'must be true or false' });
		case 'choice': {
			const values = (choices ?? kind.choices).map((choice) => choice.value);
			const message = `must be one of ${values.join(', ')}${qualifier ? ` ${qualifier}` : ''}`;
			return z.string({ invalid_type_error: message, required_error: message }).refine((value) => values.includes(value), message);
		}
	}
}
