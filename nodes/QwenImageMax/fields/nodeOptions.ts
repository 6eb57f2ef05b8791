import type { Operation } from '../description/operation';
import type { FieldBase, FieldKind } from './kinds';

/**
 * One entry per option of the Options collection: its type, default and limits, read by both
 * the editor properties and the parsing. Adding an option is one entry here (and its tests).
 */
export interface NodeOption extends FieldBase {
	/** The operations it applies to, and is shown for; all when absent. */
	readonly operations?: readonly Operation[];
	/** One value for the whole run, read from the first input item (an expression is not read per item). */
	readonly perRun?: boolean;
	/** Not added to the collection: off (undefined). `default` is what the editor fills in once it is added. */
	readonly offUnlessAdded?: boolean;
	/** The value when the node runs as an AI Agent's tool and the option was not added: what a chat needs. */
	readonly toolDefault?: string | number | boolean;
}

export const OPTIONS_COLLECTION = { name: 'options', label: 'Options' } as const;

/** What the editor and the README say of a `perRun` option. */
export const PER_RUN_NOTE = 'One value for the whole run, read from the first input item';

/** A value as the editor shows it: a choice by its label, a boolean as on/off. */
function shownValue(option: NodeOption, value: string | number | boolean): string {
	if (typeof value === 'boolean') return value ? 'on' : 'off';
	const choice = option.kind.type === 'choice' ? option.kind.choices.find((c) => c.value === value) : undefined;
	return choice?.label ?? String(value);
}

/** What the editor and the README say of an option with a `toolDefault`. */
export function toolDefaultNote(option: NodeOption): string | undefined {
	if (option.toolDefault === undefined) return undefined;
	return `As an AI Agent tool: ${shownValue(option, option.toolDefault)} unless added here`;
}

const RETURNS_IMAGES = ['generateAndWait', 'poll'] as const;
const SUBMITS = ['submit', 'generateAndWait'] as const;

export const NODE_OPTIONS = [
	{
		name: 'binaryPropertyName',
		label: 'Binary Property',
		kind: { type: 'text', requiredReason: 'must not be empty', trimmed: true },
		default: 'data',
		operations: RETURNS_IMAGES,
		description: 'Name of the binary property the image is written to',
	},
	{
		name: 'downloadImages',
		label: 'Download Images',
		kind: { type: 'boolean' },
		default: true,
		toolDefault: false,
		operations: RETURNS_IMAGES,
		description: 'Whether to attach the images as binary data; off returns only their (temporary) URLs',
	},
	{
		name: 'maxConcurrency',
		label: 'Max Concurrency',
		kind: { type: 'number', integer: true, min: 1, max: 100 },
		default: 5,
		perRun: true,
		description:
			'Jobs in flight at once across all input items of this run; runs of the node that use the same API key at once in one n8n process (loop batches, executions started together) share the largest of their values. If your PixelDojo plan queues jobs beyond the number it runs at once, about 1.5 × that number keeps the next job waiting at PixelDojo, so no slot idles while the node notices a finished job; requests are paced to the rate limit either way.',
	},
	{
		name: 'maxCredits',
		label: 'Max Credits',
		kind: { type: 'number', integer: true, min: 1, max: 1_000_000 },
		default: 100,
		operations: SUBMITS,
		perRun: true,
		offUnlessAdded: true,
		description:
			'Most credits this node may spend in one run (2 per image). Items past the cap get the error code credit_limit, with nothing submitted or charged.',
		hint: 'Not added: no cap',
	},
	{
		name: 'maxImageSizeMb',
		label: 'Max Image Size (MB)',
		kind: { type: 'number', integer: true, min: 1, max: 1024 },
		default: 50,
		operations: RETURNS_IMAGES,
		perRun: true,
		description: 'Refuse an image download larger than this',
	},
	{
		name: 'onTimeout',
		label: 'On Timeout',
		kind: {
			type: 'choice',
			choices: [
				{ value: 'error', label: 'Error', description: 'Fail the item, with the job ID in the error' },
				{ value: 'returnPending', label: 'Return Pending Job', description: 'Output the still-running job (jobId, status, timedOut: true) to poll later' },
			],
		},
		default: 'error',
		toolDefault: 'returnPending',
		operations: RETURNS_IMAGES,
		description: 'What to do when a job is still running at the timeout',
	},
	{
		name: 'timeoutSeconds',
		label: 'Timeout (Seconds)',
		kind: { type: 'number', integer: true, min: 1, max: 7 * 24 * 3600 },
		default: 600,
		toolDefault: 120,
		hint: '604800 seconds is 7 days',
		description:
			'How long an item may wait for its job, counted from its submit (or first poll). Also bounds waiting out rate limits.',
	},
	{
		name: 'workersSharingKey',
		label: 'Workers Sharing the API Key',
		kind: { type: 'number', integer: true, min: 1, max: 100 },
		default: 1,
		perRun: true,
		description:
			'In queue mode: how many n8n workers run this node with the same API key at once. Each then keeps to its share of Max Concurrency and of the rate limit PixelDojo announces.',
	},
] as const satisfies readonly NodeOption[];

type ValueOf<K extends FieldKind> = K extends { type: 'number' }
	? number
	: K extends { type: 'boolean' }
		? boolean
		: K extends { type: 'choice'; choices: ReadonlyArray<{ value: infer V }> }
			? V
			: string;

/** The parsed options, one typed value per entry of NODE_OPTIONS. */
export type OptionValues = {
	-readonly [O in (typeof NODE_OPTIONS)[number] as O['name']]: O extends { offUnlessAdded: true } ? ValueOf<O['kind']> | undefined : ValueOf<O['kind']>;
};

/** How a refusal names an option: its label without the unit, and its name, e.g. "Timeout (timeoutSeconds)". */
export function optionLabel(option: NodeOption): string {
	return `${option.label.replace(/ \([^)]*\)$/, '')} (${option.name})`;
}
