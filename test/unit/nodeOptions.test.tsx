import type { INodeProperties } from 'n8n-workflow';

import { optionsField, optionsProperty } from '../../nodes/QwenImageMax/description/options';
import type { NodeOption } from '../../nodes/QwenImageMax/fields/nodeOptions';
import { NODE_OPTIONS, optionLabel } from '../../nodes/QwenImageMax/fields/nodeOptions';
import { optionParser, parseItemOptions } from '../../nodes/QwenImageMax/schemas/itemOptions';
import { FieldValidationError } from '../../nodes/QwenImageMax/schemas/validationError';

/** An option the node does not have (yet): what adding one looks like. */
const MAX_REQUESTS: NodeOption = {
	name: 'maxRequests',
	label: 'Max API Requests',
	kind: { type: 'number', integer: true, min: 2, max: 100000 },
	default: 1000,
	perRun: true,
	description: 'Stop sending requests once this run has sent this many',
};

function refusal(parse: (values: Record<string, unknown>) => unknown, values: Record<string, unknown>): FieldValidationError {
	try {
		parse(values);
	} catch (error) {
		if (error instanceof FieldValidationError) return error;
		throw error;
	}
	throw new Error(`accepted ${JSON.stringify(values)}`);
}

describe.each<[string, readonly NodeOption[]]>([
	['the node', NODE_OPTIONS],
	['a test build with one more option', [...NODE_OPTIONS, MAX_REQUESTS]],
])('%s: the editor and the parsing read one definition per option', (_, options) => {
	const property = optionsProperty(options);
	const parse = optionParser(options);
	const shown = (name: string) => (property.options as INodeProperties[]).find((option) => option.name === name);

	it.each(options.map((option) => [option.label, option] as const))('%s', (_label, option) => {
		const field = shown(option.name);
		expect(field).toMatchObject({ displayName: option.label, default: option.default });
		expect(parse({})[option.name]).toEqual(option.offUnlessAdded ? undefined : option.default);
		expect(field?.hint?.includes('first input item') ?? false).toBe(option.perRun === true);
		expect(field?.displayOptions?.show?.['/operation']).toEqual(option.operations);

		const { kind } = option;
		if (kind.type === 'number') {
			expect(field?.typeOptions).toMatchObject({ minValue: kind.min, maxValue: kind.max });
			expect(parse({ [option.name]: kind.min })[option.name]).toBe(kind.min);
			expect(parse({ [option.name]: String(kind.max) })[option.name]).toBe(kind.max);
			for (const bad of [kind.min - 1, kind.max + 1, 2.5, 'lots']) {
				const error = refusal(parse, { [option.name]: bad });
				expect(error.field).toBe(option.name);
				expect(error.message).toBe(`${optionLabel(option)} must be an integer from ${kind.min} to ${kind.max}; got ${JSON.stringify(bad)}`);
			}
		}
		if (kind.type === 'choice') {
			expect(field?.options?.map((choice) => (choice as { value: string }).value).sort()).toEqual(kind.choices.map((choice) => choice.value).sort());
			for (const choice of kind.choices) expect(parse({ [option.name]: choice.value })[option.name]).toBe(choice.value);
			expect(refusal(parse, { [option.name]: 'sometimes' }).message).toMatch(`${optionLabel(option)} must be one of`);
		}
		if (kind.type === 'boolean') {
			expect(parse({ [option.name]: 'false' })[option.name]).toBe(false);
			expect(refusal(parse, { [option.name]: 'perhaps' }).message).toMatch(`${optionLabel(option)} must be true or false`);
		}
		if (kind.type === 'text' && kind.requiredReason) {
			expect(refusal(parse, { [option.name]: '  ' }).message).toMatch(`${optionLabel(option)} ${kind.requiredReason}`);
		}
	});
});

describe('the node options', () => {
	it('the editor shows the node\'s own table', () => {
		expect(optionsField).toEqual(optionsProperty(NODE_OPTIONS));
	});

	it('Timeout has its 7-day maximum in the editor as in the parsing', () => {
		expect((optionsField.options as INodeProperties[]).find((option) => option.name === 'timeoutSeconds')?.typeOptions?.maxValue).toBe(604800);
		expect(parseItemOptions({ timeoutSeconds: 604800 }).timeoutSeconds).toBe(604800);
		expect(() => parseItemOptions({ timeoutSeconds: 604801 })).toThrow('Timeout (timeoutSeconds) must be an integer from 1 to 604800; got 604801');
	});

	it('Max Concurrency, Max Credits, Max Image Size and Workers Sharing the API Key say they are read from the first item', () => {
		const perRun = (optionsField.options as INodeProperties[]).filter((option) => option.hint?.includes('read from the first input item'));
		expect(perRun.map((option) => option.name).sort()).toEqual(['maxConcurrency', 'maxCredits', 'maxImageSizeMb', 'workersSharingKey']);
	});

	it('names an option in a refusal by its label without the unit', () => {
		expect(NODE_OPTIONS.map(optionLabel)).toEqual(
			expect.arrayContaining(['Timeout (timeoutSeconds)', 'Max Image Size (maxImageSizeMb)', 'Max Concurrency (maxConcurrency)']),
		);
	});

	it('Max Credits is off unless added; added, it is checked as set', () => {
		expect(parseItemOptions({}).maxCredits).toBeUndefined();
		expect(parseItemOptions({ maxCredits: 7 }).maxCredits).toBe(7);
		expect(() => parseItemOptions({ maxCredits: null })).toThrow('Max Credits (maxCredits) must be an integer from 1 to 1000000; got null');
		expect((optionsField.options as INodeProperties[]).find((option) => option.name === 'maxCredits')).toMatchObject({ default: 100, hint: expect.stringContaining('Not added: no cap') });
	});

	it('Download Images, Timeout and On Timeout say their value as an AI Agent tool under the field', () => {
		const hints = Object.fromEntries((optionsField.options as INodeProperties[]).map((option) => [option.name, option.hint ?? '']));
		expect(hints.downloadImages).toContain('As an AI Agent tool: off unless added here');
		expect(hints.timeoutSeconds).toContain('As an AI Agent tool: 120 unless added here');
		expect(hints.onTimeout).toContain('As an AI Agent tool: Return Pending Job unless added here');
		expect(Object.values(hints).filter((hint) => hint.includes('AI Agent tool'))).toHaveLength(3);
	});

	it('trims the binary property name', () => {
		expect(parseItemOptions({ binaryPropertyName: ' image ' }).binaryPropertyName).toBe('image');
	});
});
