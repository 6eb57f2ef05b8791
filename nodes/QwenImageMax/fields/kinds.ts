/**
 * The vocabulary both tables (API fields, node options) are written in: what kind of value a
 * parameter holds and its limits. The editor properties, the coercion and the zod rules are all
 * derived from these, so a limit is stated once.
 */

/** The API's two ways to run a job: DashScope (plain) or Replicate with a LoRA. */
export type Path = 'dashScope' | 'lora';
export const PATHS: readonly Path[] = ['dashScope', 'lora'];

export interface Choice {
	readonly value: string;
	readonly label: string;
	readonly description?: string;
	/** The paths this value exists on; all of its field's paths when absent. */
	readonly paths?: readonly Path[];
}

export type FieldKind =
	| {
			readonly type: 'text';
			/** The field must not be empty; the refusal's wording. */
			readonly requiredReason?: string;
			/** At most this many characters, counted as a user counts them (see characterCount). */
			readonly maxLength?: number;
			/** Surrounding spaces are not part of the value. */
			readonly trimmed?: boolean;
			readonly rows?: number;
			readonly placeholder?: string;
	  }
	| { readonly type: 'number'; readonly integer: boolean; readonly min: number; readonly max: number; readonly precision?: number }
	| { readonly type: 'boolean' }
	| { readonly type: 'choice'; readonly choices: readonly Choice[] };

/** What both tables say about one n8n parameter. */
export interface FieldBase {
	/** The n8n parameter name: saved workflows store it, so it never changes. */
	readonly name: string;
	readonly label: string;
	readonly kind: FieldKind;
	/** `null`: the field starts empty, and empty means "not sent" (the API's own default applies). */
	readonly default: string | number | boolean | null;
	/** The tooltip. */
	readonly description: string;
	/** Shown under the field, after the limits derived from `kind`. */
	readonly hint?: string;
}

/** Characters as a user counts them: code points, so an emoji is one, not two UTF-16 units. */
export function characterCount(text: string): number {
	return [...text].length;
}

export function isRequired(kind: FieldKind): boolean {
	return kind.type === 'text' && kind.requiredReason !== undefined;
}

export function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || value === '';
}

/** Expressions hand numbers and booleans over as text ("3", "true"); the API wants JSON types. */
export function coerce(kind: FieldKind, value: unknown): unknown {
	if (typeof value !== 'string') return value;
	const text = value.trim();
	if (kind.type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
	if (kind.type === 'number' && text !== '' && Number.isFinite(Number(text))) return Number(text);
	if (kind.type === 'text' && kind.trimmed) return text;
	return value;
}
