import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { CUSTOM_API_CALL, CUSTOM_API_CALL_DESCRIPTION, CUSTOM_API_CALL_MESSAGE, type Operation } from '../description/operation';
import { agentShape } from '../output/agentItems';
import { workflowShape } from '../output/imageItems';
import { coordinatorFor } from '../scheduler/coordinators';
import { JobScheduler } from '../scheduler/jobScheduler';
import type { Timing } from '../timing';
import { CREDENTIAL_NAME, PixelDojoClient } from '../transport/pixelDojoClient';
import { RunStopped } from '../utils/runStop';
import { runsAsTool } from '../utils/runsAsTool';
import { CreditCap } from './creditCap';
import { generateAndWait } from './generateAndWait';
import { callIdentity, itemIdentity } from './itemIdentity';
import type { ItemOptions } from './itemParameters';
import { readGenerationRequest, readItemOptions, readJobId } from './itemParameters';
import { poll } from './poll';
import type { RunContext } from './runContext';
import { submit } from './submit';

type ItemWork = (run: RunContext) => Promise<INodeExecutionData[]>;

interface PreparedItem {
	options: ItemOptions;
	work: ItemWork;
	/** What the item asks to generate, when it submits a job: it names the item across n8n's retries. */
	request?: object;
}

const MAX_DOWNLOADS = 8;

/** Reads and checks one item's fields; nothing is sent yet. */
function prepareItem(fn: IExecuteFunctions, operation: Operation, itemIndex: number, asTool: boolean): PreparedItem {
	const options = readItemOptions(fn, itemIndex, asTool);
	switch (operation) {
		case 'submit': {
			const request = readGenerationRequest(fn, itemIndex);
			return { options, request, work: async (run) => await submit(run, request) };
		}
		case 'generateAndWait': {
			const request = readGenerationRequest(fn, itemIndex);
			return { options, request, work: async (run) => await generateAndWait(run, request) };
		}
		case 'poll': {
			const jobId = readJobId(fn, itemIndex);
			const waitForCompletion = fn.getNodeParameter('waitForCompletion', itemIndex, false) === true;
			return { options, work: async (run) => await poll(run, jobId, waitForCompletion) };
		}
		default:
			throw new NodeOperationError(fn.getNode(), `Operation "${String(operation)}" is not supported`);
	}
}

/**
 * Runs one operation over all input items: every item is validated before the first request,
 * then all run together under one scheduler, which shares the key's coordinator with every
 * other call of the node in this process, and the output keeps input order with `pairedItem`
 * on every item.
 */
export async function route(this: IExecuteFunctions, timing: Timing): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as Operation;
	// A choice of the node's settings, not of an item: no item could run, Continue On Fail or not.
	if ((operation as string) === CUSTOM_API_CALL) {
		throw new NodeOperationError(this.getNode(), CUSTOM_API_CALL_MESSAGE, { description: CUSTOM_API_CALL_DESCRIPTION });
	}
	const inputItems = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const asTool = runsAsTool(this);
	const shape = asTool ? agentShape : workflowShape;

	const prepared = inputItems.map((_, itemIndex) => {
		try {
			return { ok: true as const, ...prepareItem(this, operation, itemIndex, asTool) };
		} catch (error) {
			if (!continueOnFail) throw asNodeError(this, error, itemIndex);
			return { ok: false as const, error };
		}
	});
	const firstReady = prepared.find((item) => item.ok);
	if (!firstReady?.ok) return [prepared.map((item, itemIndex) => errorItem(this, item.ok ? undefined : item.error, itemIndex))];

	const credentials = await this.getCredentials(CREDENTIAL_NAME);
	const baseUrl = String(credentials.baseUrl);
	const apiKey = String(credentials.apiKey ?? '');
	const callOptions = firstReady.options;
	const scheduler = new JobScheduler(
		{
			maxConcurrency: callOptions.maxConcurrency,
			maxDownloads: Math.min(MAX_DOWNLOADS, callOptions.maxConcurrency),
			processesSharingKey: callOptions.workersSharingKey,
		},
		this.getExecutionCancelSignal?.(),
		coordinatorFor(baseUrl, apiKey, timing),
		timing.poll,
	);
	const client = new PixelDojoClient(this, { baseUrl, apiKey, maxImageBytes: callOptions.maxImageBytes }, scheduler.budget, scheduler.stop, timing.httpRetry);
	const credits = new CreditCap(callOptions.maxCredits);
	const call = callIdentity(this);

	const outcomes = await scheduler.runItems(
		prepared.length,
		async (itemIndex) => {
			const item = prepared[itemIndex];
			if (!item.ok) throw item.error;
			const ledgerKey = call !== undefined && item.request !== undefined ? itemIdentity(call, itemIndex, item.request) : undefined;
			return await item.work({ fn: this, client, scheduler, credits, options: item.options, shape, itemIndex, ledgerKey });
		},
		continueOnFail,
	);
	if (!continueOnFail && scheduler.stoppingFailure !== undefined) {
		throw stoppedRunError(this, scheduler, outcomes.findIndex((outcome) => !outcome.ok && outcome.error === scheduler.stoppingFailure));
	}
	return [
		outcomes.flatMap((outcome, itemIndex) =>
			outcome.ok
				? outcome.value.map((item) => ({ ...item, pairedItem: { item: itemIndex } }))
				: [errorItem(this, outcome.error, itemIndex, scheduler.jobOf(itemIndex))],
		),
	];
}

/** n8n shows NodeApiError / NodeOperationError well; anything else (a bug, a cancellation) is wrapped. */
function asNodeError(fn: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(fn.getNode(), error instanceof Error ? error.message : String(error), { itemIndex });
}

function errorCode(error: unknown): string {
	if (error instanceof RunStopped) return 'cancelled';
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		const code = error.context.code;
		if (typeof code === 'string') return code;
		return error instanceof NodeOperationError ? 'validation' : 'api_error';
	}
	return 'unexpected';
}

/**
 * The item a failing input gives under "Continue On Fail": readable error, code, and the job ID
 * if a job exists. Under "Continue (using error output)" n8n picks the items for the error output
 * by their json, with rules that differ between versions (2.x: keys `error`, `message`, `details`
 * only; 1.x: `error` alone or with `message`), and replaces the json of an item that carries the
 * error object itself by `{ error: message }` on both. So there the facts go inside `error`, the
 * one shape both accept; n8n then merges in the input item's fields.
 */
function errorItem(fn: IExecuteFunctions, failure: unknown, itemIndex: number, knownJobId?: string): INodeExecutionData {
	const error = asNodeError(fn, failure, itemIndex);
	const jobId = typeof error.context.jobId === 'string' ? error.context.jobId : knownJobId;
	const facts = { code: errorCode(failure), ...(jobId ? { jobId } : {}) };
	const json = fn.getNode().onError === 'continueErrorOutput' ? { error: { message: error.message, ...facts } } : { error: error.message, ...facts };
	return { json, pairedItem: { item: itemIndex } };
}

/** The error that fails the node: the first item failure, naming every job the run had created so none is lost. */
function stoppedRunError(fn: IExecuteFunctions, scheduler: JobScheduler, itemIndex: number): Error {
	const error = asNodeError(fn, scheduler.stoppingFailure, itemIndex);
	const otherJobs = scheduler.otherJobs(itemIndex);
	if (otherJobs.length > 0) {
		const note = `Other items of this run had already created jobs, which were left running: ${otherJobs.join(', ')}. Poll them with the Poll operation to get their images.`;
		error.description = error.description ? `${error.description} ${note}` : note;
	}
	return error;
}
