import type { INodeProperties } from 'n8n-workflow';

import { NODE_OPTIONS, OPTIONS_COLLECTION, PER_RUN_NOTE, toolDefaultNote } from '../fields/nodeOptions';
import type { NodeOption } from '../fields/nodeOptions';
import { byDisplayName, toProperty } from './property';

/** The Options collection of the editor, derived from the options table. */
export function optionsProperty(options: readonly NodeOption[]): INodeProperties {
	return {
		displayName: OPTIONS_COLLECTION.label,
		name: OPTIONS_COLLECTION.name,
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: options
			.map((option) =>
				toProperty(option, {
					notes: [option.perRun ? PER_RUN_NOTE : undefined, toolDefaultNote(option)],
					inCollection: true,
					displayOptions: option.operations ? { show: { '/operation': [...option.operations] } } : undefined,
				}),
			)
			.sort(byDisplayName),
	};
}

export const optionsField = optionsProperty(NODE_OPTIONS);
