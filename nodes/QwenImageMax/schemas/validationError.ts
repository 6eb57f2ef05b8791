import type { ZodError } from 'zod';

import { characterCount } from '../fields/kinds';

/** A refusal naming the field as the user sees it, what is allowed, and what it got. */
export class FieldValidationError extends Error {
	constructor(
		readonly field: string,
		label: string,
		reason: string,
		readonly received: unknown,
	) {
		super(`${label} ${reason}${describeReceived(received)}`);
		this.name = 'FieldValidationError';
	}
}

/** Long text is described by its length (what a "too long" refusal needs) and its start. */
function describeReceived(received: unknown): string {
	if (received === undefined) return '';
	if (typeof received === 'string' && characterCount(received) > 60) {
		return `; got ${characterCount(received)} characters: ${JSON.stringify(`${[...received].slice(0, 40).join('')}...`)}`;
	}
	const text = typeof received === 'string' || (typeof received === 'object' && received !== null) ? JSON.stringify(received) : String(received);
	return `; got ${characterCount(text) > 60 ? `${[...text].slice(0, 57).join('')}...` : text}`;
}

/** The first problem zod found, as a refusal of that field. */
export function firstFieldError(error: ZodError, values: Record<string, unknown>, labelOf: (field: string) => string): FieldValidationError {
	const issue = error.issues[0];
	const field = String(issue.path[0]);
	return new FieldValidationError(field, labelOf(field), issue.message, values[field]);
}
