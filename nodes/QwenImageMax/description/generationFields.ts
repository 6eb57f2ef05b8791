import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import type { ApiField } from '../fields/apiFields';
import { ADDITIONAL_FIELDS, API_FIELDS, LORA_SWITCH, SWITCH_VALUE, choicesOn, missingChoicesNote } from '../fields/apiFields';
import type { Path } from '../fields/kinds';
import { PATHS } from '../fields/kinds';
import type { Operation } from './operation';
import { byDisplayName, toProperty } from './property';

const GENERATING: Operation[] = ['submit', 'generateAndWait'];

/** Shown on the given paths only; `prefix` is "/" inside a collection, where the switch is a root parameter. */
function onPaths(paths: readonly Path[], prefix: string): IDisplayOptions['show'] {
	if (PATHS.every((path) => paths.includes(path))) return {};
	return { [`${prefix}${LORA_SWITCH.name}`]: paths.map((path) => SWITCH_VALUE[path]) };
}

/**
 * A field as editor properties: one, or, for a choice field whose values differ by path, one per
 * path under the same name, shown exclusively (n8n's way to offer each path only its values).
 */
function propertiesOf(field: ApiField, extraShow: IDisplayOptions['show'], prefix: string): INodeProperties[] {
	const perPath = field.kind.type === 'choice' && field.paths.some((path) => missingChoicesNote(field, path) !== undefined);
	const groups = perPath ? field.paths.map((path) => [path]) : [field.paths];
	return groups.map((paths) => {
		const show = { ...extraShow, ...onPaths(paths, prefix) };
		return toProperty(field, {
			choices: perPath ? choicesOn(field, paths[0]) : undefined,
			notes: perPath ? [missingChoicesNote(field, paths[0])] : [],
			displayOptions: Object.keys(show).length > 0 ? { show } : undefined,
			inCollection: field.placement === 'additional',
		});
	});
}

/** The generation fields of the editor, derived from the field table. */
export function generationProperties(fields: readonly ApiField[]): INodeProperties[] {
	const generating = { operation: GENERATING };
	const additional = fields
		.filter((field) => field.placement === 'additional')
		.flatMap((field) => propertiesOf(field, {}, '/'))
		.sort(byDisplayName);
	return [
		...fields.filter((field) => field.placement === 'top').flatMap((field) => propertiesOf(field, generating, '')),
		{
			displayName: ADDITIONAL_FIELDS.label,
			name: ADDITIONAL_FIELDS.name,
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			displayOptions: { show: generating },
			options: additional,
		},
	];
}

export const generationFields = generationProperties(API_FIELDS);
