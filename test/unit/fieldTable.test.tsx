import type { INodeParameters, INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { QwenImageMax } from '../../nodes/QwenImageMax/QwenImageMax.node';
import { generationProperties } from '../../nodes/QwenImageMax/description/generationFields';
import { operationField } from '../../nodes/QwenImageMax/description/operation';
import type { ApiField, SentField } from '../../nodes/QwenImageMax/fields/apiFields';
import { ADDITIONAL_FIELDS, API_FIELDS, LORA_SWITCH, SWITCH_VALUE, choicesOn, isSent } from '../../nodes/QwenImageMax/fields/apiFields';
import type { Path } from '../../nodes/QwenImageMax/fields/kinds';
import { PATHS, isEmpty, isRequired } from '../../nodes/QwenImageMax/fields/kinds';
import { requestBody } from '../../nodes/QwenImageMax/fields/requestBody';
import { FIELD_LABELS, requestRules } from '../../nodes/QwenImageMax/schemas/generationRequest';
import { FieldValidationError } from '../../nodes/QwenImageMax/schemas/validationError';

/** A field the API does not have (yet): what adding an enum parameter looks like. */
const OUTPUT_FORMAT: ApiField = {
	name: 'outputFormat',
	apiName: 'output_format',
	label: 'Output Format',
	kind: {
		type: 'choice',
		choices: [
			{ value: 'png', label: 'PNG' },
			{ value: 'jpeg', label: 'JPEG' },
			{ value: 'webp', label: 'WebP', paths: ['lora'] },
		],
	},
	default: 'png',
	paths: PATHS,
	placement: 'top',
	description: 'File format of the images',
};

const TABLES: Array<[string, readonly ApiField[]]> = [
	['the node', API_FIELDS],
	['a test build with one more enum field', [...API_FIELDS.slice(0, 5), OUTPUT_FORMAT, ...API_FIELDS.slice(5)]],
];

/** Valid values of a field on a path: the limits and every choice. */
function validSamples(field: ApiField, path: Path): unknown[] {
	const { kind } = field;
	if (kind.type === 'number') return [kind.min, kind.max];
	if (kind.type === 'boolean') return [true, false];
	if (kind.type === 'choice') return choicesOn(field, path).map((choice) => choice.value);
	return [kind.maxLength ? '🦊'.repeat(kind.maxLength) : 'some text'];
}

/** Invalid values, with what the refusal must say. */
function invalidSamples(field: ApiField, path: Path): Array<[unknown, RegExp]> {
	const { kind } = field;
	if (kind.type === 'number') {
		const range = new RegExp(`must be an? (integer|number) from ${kind.min} to ${kind.max}`);
		return [
			[kind.min - 1, range],
			[kind.max + 1, range],
		];
	}
	if (kind.type === 'boolean') return [['maybe', /must be true or false/]];
	if (kind.type === 'choice') {
		const elsewhere = kind.choices.filter((choice) => !choicesOn(field, path).includes(choice));
		return ['no-such-value', ...elsewhere.map((choice) => choice.value)].map((value) => [value, /must be one of /]);
	}
	const samples: Array<[unknown, RegExp]> = [];
	if (kind.requiredReason) samples.push([' ', new RegExp(kind.requiredReason)]);
	if (kind.maxLength) {
		samples.push(['🦊'.repeat(kind.maxLength + 1), new RegExp(`at most ${kind.maxLength} characters; got ${kind.maxLength + 1} characters`)]);
	}
	return samples;
}

describe.each(TABLES)('%s: description, mapping, rules and labels are derived from one table', (_, fields) => {
	const properties: INodeProperties[] = [operationField, ...generationProperties(fields)];
	const description = { ...new QwenImageMax().description, properties } as INodeTypeDescription;
	const rules = requestRules(fields);
	const node = { typeVersion: 1 };

	const asSaved = (field: ApiField, value: unknown): INodeParameters =>
		(field.placement === 'top' ? { [field.name]: value } : { [ADDITIONAL_FIELDS.name]: { [field.name]: value } }) as INodeParameters;
	// What every request needs: a value for each required field.
	const required = Object.assign({}, ...fields.filter((field) => isRequired(field.kind)).map((field) => asSaved(field, 'x'))) as INodeParameters;

	/** What n8n itself resolves from the saved parameters (displayOptions, defaults, duplicate names), then what the node sends. */
	function sent(path: Path, values: INodeParameters): Record<string, unknown> {
		const saved = { operation: 'submit', [LORA_SWITCH.name]: SWITCH_VALUE[path], ...required, ...values };
		const resolved = NodeHelpers.getNodeParameters(properties, saved, true, false, node, description) ?? {};
		return requestBody(fields, path, (name, fallback) => resolved[name] ?? fallback);
	}

	const sentFields = fields.filter(isSent);
	const cases = sentFields.flatMap((field) => PATHS.map((path) => [field.label, path, field] as [string, Path, SentField]));

	it.each(cases)('%s on the %s path', (_label, path, field) => {
		const onPath = field.paths.includes(path);
		for (const value of validSamples(field, path)) {
			const body = sent(path, asSaved(field, value));
			if (!onPath) {
				expect(body).not.toHaveProperty(field.apiName);
				continue;
			}
			expect(body[field.apiName]).toEqual(value);
			expect(rules.parse(body, path)[field.apiName]).toEqual(value);
		}
		if (!onPath) return;

		// The editor offers exactly what the rules accept, with the table's default and limits.
		const shown = properties
			.flatMap((property) => (property.name === ADDITIONAL_FIELDS.name ? (property.options as INodeProperties[]) : [property]))
			.filter((property) => property.name === field.name)
			.filter((property) => {
				const show = property.displayOptions?.show ?? {};
				const switchValues = show[LORA_SWITCH.name] ?? show[`/${LORA_SWITCH.name}`];
				return switchValues === undefined || (switchValues as unknown[]).includes(SWITCH_VALUE[path]);
			});
		expect(shown).toHaveLength(1);
		expect(shown[0]).toMatchObject({ displayName: field.label, default: field.default });
		if (field.kind.type === 'number') expect(shown[0].typeOptions).toMatchObject({ minValue: field.kind.min, maxValue: field.kind.max });
		if (field.kind.type === 'choice') {
			expect(shown[0].options?.map((option) => (option as { value: string }).value).sort()).toEqual(
				choicesOn(field, path).map((choice) => choice.value).sort(),
			);
		}

		for (const [value, reason] of invalidSamples(field, path)) {
			const body = { ...sent(path, {}), [field.apiName]: value };
			let refusal: unknown;
			try {
				rules.parse(body, path);
			} catch (error) {
				refusal = error;
			}
			expect(refusal).toBeInstanceOf(FieldValidationError);
			expect((refusal as FieldValidationError).field).toBe(field.apiName);
			expect((refusal as Error).message.startsWith(`${field.label} (${field.apiName}) `)).toBe(true);
			expect((refusal as Error).message).toMatch(reason);
		}
	});

	it('sends the defaults of every top-level field of a path and nothing of the other path', () => {
		for (const path of PATHS) {
			const body = sent(path, {});
			const expected = sentFields
				.filter((field) => field.paths.includes(path) && field.placement === 'top')
				.map((field) => field.apiName)
				.sort();
			expect(Object.keys(body).sort()).toEqual(expected);
		}
	});

	it('sends no value for an optional field added but left empty: the API default applies (a random seed, for one)', () => {
		const startEmpty = sentFields.filter((field) => !isRequired(field.kind) && isEmpty(field.default));
		expect(startEmpty.length).toBeGreaterThan(0);
		for (const field of startEmpty) {
			for (const path of field.paths) {
				for (const empty of [field.default, '', null]) expect(sent(path, asSaved(field, empty))).not.toHaveProperty(field.apiName);
			}
		}
	});

	it('labels every API field, and nothing else', () => {
		expect(Object.keys(rules.labels).sort()).toEqual(sentFields.map((field) => field.apiName).sort());
	});
});

describe('the node itself', () => {
	it('uses the derived labels', () => {
		expect(FIELD_LABELS).toMatchObject({ lora_scale: 'LoRA Scale (lora_scale)', numberOfImages: 'Number of Images (numberOfImages)' });
	});

	it('keeps the saved-workflow names of the contract', () => {
		const names = API_FIELDS.map((field) => (field.placement === 'top' ? field.name : `${ADDITIONAL_FIELDS.name}.${field.name}`));
		expect(names.sort()).toEqual(
			[
				'prompt',
				'useLora',
				'generationModel',
				'aspectRatio',
				'loraWeights',
				'loraScale',
				'numberOfImages',
				'numInferenceSteps',
				'guidance',
				'goFast',
				'additionalFields.negativePrompt',
				'additionalFields.promptExtend',
				'additionalFields.watermark',
				'additionalFields.seed',
			].sort(),
		);
	});
});
