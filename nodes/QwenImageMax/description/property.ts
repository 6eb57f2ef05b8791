import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import type { Choice, FieldBase, FieldKind } from '../fields/kinds';
import { isRequired } from '../fields/kinds';

/** The limits of a kind in words, shown under the field (n8n's `hint`), not only in the tooltip. */
function limitHint(kind: FieldKind): string | undefined {
	if (kind.type === 'number') return `${kind.integer ? 'Whole number from' : 'From'} ${kind.min} to ${kind.max}`;
	if (kind.type === 'text' && kind.maxLength !== undefined) return `At most ${kind.maxLength} characters`;
	return undefined;
}

function kindProperties(kind: FieldKind, choices: readonly Choice[], inCollection: boolean): Partial<INodeProperties> & Pick<INodeProperties, 'type'> {
	switch (kind.type) {
		case 'text':
			return {
				type: 'string',
				...(kind.rows ? { typeOptions: { rows: kind.rows } } : {}),
				// n8n checks `required` on a collection's fields even when they were not added.
				...(isRequired(kind) && !inCollection ? { required: true } : {}),
				...(kind.placeholder ? { placeholder: kind.placeholder } : {}),
			};
		case 'number':
			return {
				type: 'number',
				typeOptions: { minValue: kind.min, maxValue: kind.max, ...(kind.precision ? { numberPrecision: kind.precision } : {}) },
			};
		case 'boolean':
			return { type: 'boolean' };
		case 'choice':
			return {
				type: 'options',
				// n8n lists options alphabetically; the table keeps the API's order for messages.
				options: [...choices]
					.sort((a, b) => a.label.localeCompare(b.label, 'en'))
					.map((choice) => ({ name: choice.label, value: choice.value, ...(choice.description ? { description: choice.description } : {}) })),
			};
	}
}

/**
 * One editor property from a table entry. `choices` narrows a choice field (one property per
 * path when paths differ); `notes` join the hint after the limits.
 */
export function toProperty(
	entry: FieldBase,
	options: {
		displayOptions?: IDisplayOptions;
		choices?: readonly Choice[];
		notes?: ReadonlyArray<string | undefined>;
		inCollection?: boolean;
	} = {},
): INodeProperties {
	const choices = options.choices ?? (entry.kind.type === 'choice' ? entry.kind.choices : []);
	const hint = [limitHint(entry.kind), entry.hint, ...(options.notes ?? [])].filter(Boolean).join('. ');
	return {
		displayName: entry.label,
		name: entry.name,
		...kindProperties(entry.kind, choices, options.inCollection === true),
		default: entry.default,
		description: entry.description,
		...(hint ? { hint } : {}),
		...(options.displayOptions ? { displayOptions: options.displayOptions } : {}),
	};
}

/** n8n lists a collection's fields alphabetically. */
export function byDisplayName(a: INodeProperties, b: INodeProperties): number {
	return a.displayName.localeCompare(b.displayName, 'en');
}
