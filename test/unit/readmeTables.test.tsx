import * as fs from 'node:fs';
import * as path from 'node:path';

import * as operation from '../../nodes/QwenImageMax/description/operation';
import * as apiFields from '../../nodes/QwenImageMax/fields/apiFields';
import * as kinds from '../../nodes/QwenImageMax/fields/kinds';
import * as nodeOptions from '../../nodes/QwenImageMax/fields/nodeOptions';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fieldsTable, optionsTable, sectionOf, tablesFrom, withTables } = require('../../scripts/readme-tables.js');

const README = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');
const tables = tablesFrom({ apiFields, kinds, nodeOptions, operation });

describe("the README's tables are the node's tables", () => {
	it.each([
		['fields', fieldsTable],
		['options', optionsTable],
	])('%s (if this fails: npm run readme)', (name, render) => {
		expect(sectionOf(README, name)).toBe(render(tables));
	});

	it('rewriting the README from the tables changes nothing', () => {
		expect(withTables(README, tables)).toBe(README);
	});

	it('has one row per field and per option, in table order', () => {
		const rows = (name: string) => sectionOf(README, name).split('\n').slice(2);
		expect(rows('fields').map((row: string) => row.split(' | ')[0].replace(/^\| (Additional Fields → )?/, ''))).toEqual(
			apiFields.API_FIELDS.map((field) => field.label),
		);
		expect(rows('options')).toHaveLength(nodeOptions.NODE_OPTIONS.length);
	});

	it('a field added to the table gets its row', () => {
		const added = {
			...tables,
			API_FIELDS: [
				...apiFields.API_FIELDS,
				{
					name: 'outputFormat',
					apiName: 'output_format',
					label: 'Output Format',
					kind: { type: 'choice', choices: [{ value: 'png', label: 'PNG' }, { value: 'webp', label: 'WebP', paths: ['lora'] }] },
					default: 'png',
					paths: kinds.PATHS,
					placement: 'top',
					description: 'File format of the images',
				},
			],
		};
		expect(fieldsTable(added)).toContain('| Output Format | `output_format` | `png`, `webp` (with LoRA only) | `png` | always | File format of the images. |');
	});

	it('refuses a README without the markers', () => {
		expect(() => withTables(README.replace(/<!-- END options -->/, ''), tables)).toThrow(/lacks the markers of the options table/);
	});
});
