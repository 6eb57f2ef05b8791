// @ts-check
'use strict';

/**
 * The workflows in examples/, and the few changes that make them run on this machine: where the
 * file-writing examples put their images, and (for tests) a manual start instead of a schedule.
 * The JSON files stay the single source of truth, credential reference included.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const EXAMPLES_DIR = path.resolve(__dirname, '..', 'examples');
const QWEN_TYPES = ['n8n-nodes-pixeldojo.qwenImageMax', 'n8n-nodes-pixeldojo.qwenImageMaxTool'];

/** @typedef {{ name: string, type: string, parameters: Record<string, any>, credentials?: Record<string, { id: string, name: string }>, [key: string]: unknown }} WorkflowNode */
/** @typedef {{ id?: string, name: string, nodes: WorkflowNode[], connections: Record<string, any>, [key: string]: unknown }} Workflow */

/** The Data Table examples/resumable-bulk-run.json works on, as its note asks a user to create it (string columns). */
const RESUMABLE_TABLE = { name: 'Image prompts', columns: ['prompt', 'jobId', 'status', 'imageFile', 'error'] };

/** @returns {Array<{ file: string, workflow: Workflow }>} every examples/*.json, by file name */
function loadExamples() {
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({ file, workflow: JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) }));
}

/** @param {string} file @returns {Workflow} */
function loadExample(file) {
	const found = loadExamples().find((e) => e.file === file);
	if (!found) throw new Error(`examples/${file} does not exist`);
	return found.workflow;
}

/**
 * A stable workflow id per example (16 alphanumerics with a digit, like n8n's), so that importing
 * again updates the same workflow instead of adding a copy.
 * @param {string} file
 */
function exampleId(file) {
	return `pdx${crypto.createHash('sha256').update(file).digest('hex').slice(0, 12)}7`;
}

/** The one PixelDojo credential reference all examples share: import a credential with this id and they run. */
function exampleCredential() {
	const refs = new Map();
	for (const { workflow } of loadExamples()) {
		for (const node of workflow.nodes) {
			const ref = QWEN_TYPES.includes(node.type) ? node.credentials?.pixelDojoApi : undefined;
			if (ref) refs.set(ref.id, ref);
		}
	}
	if (refs.size !== 1) throw new Error(`examples/ should share one PixelDojo credential reference, found ${refs.size}`);
	return /** @type {{ id: string, name: string }} */ ([...refs.values()][0]);
}

/** @param {Workflow} workflow @returns {Workflow} */
const copy = (workflow) => JSON.parse(JSON.stringify(workflow));

/**
 * The workflow with fields of its Settings node set to `values`: the examples keep there what
 * differs between installations (the folder images go to, the Data Table they use).
 * @param {Workflow} workflow
 * @param {Record<string, string>} values
 */
function withSettings(workflow, values) {
	const result = copy(workflow);
	const settings = result.nodes.find((n) => n.name === 'Settings');
	if (!settings) return result;
	const json = JSON.parse(settings.parameters.jsonOutput);
	settings.parameters.jsonOutput = JSON.stringify({ ...json, ...values }, null, 2);
	return result;
}

/**
 * The file-writing examples keep their output folder in the `outputFolder` of their Settings node.
 * @param {Workflow} workflow
 * @param {string} folder absolute path
 */
const withOutputFolder = (workflow, folder) => withSettings(workflow, { outputFolder: folder });

/**
 * The same workflow started by a Manual Trigger in place of its schedule (n8n's CLI runs manual
 * triggers only), with its Wait nodes shortened to `waitSeconds`.
 * @param {Workflow} workflow
 * @param {{ waitSeconds: number }} options
 */
function runnableNow(workflow, { waitSeconds }) {
	const result = copy(workflow);
	for (const node of result.nodes) {
		if (node.type === 'n8n-nodes-base.scheduleTrigger') Object.assign(node, { type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} });
		if (node.type === 'n8n-nodes-base.wait') node.parameters = { ...node.parameters, amount: waitSeconds, unit: 'seconds' };
	}
	return result;
}

/**
 * The same workflow started by a POST to /webhook/<path> in place of its schedule, answered at
 * once while the run goes on, as a schedule starts it: in a running n8n, where a test can start
 * it again after a restart.
 * @param {Workflow} workflow
 * @param {string} webhookPath
 */
function startedByWebhook(workflow, webhookPath) {
	const result = copy(workflow);
	for (const node of result.nodes) {
		if (node.type !== 'n8n-nodes-base.scheduleTrigger') continue;
		Object.assign(node, {
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
			webhookId: crypto.randomUUID(),
		});
	}
	return result;
}

module.exports = { EXAMPLES_DIR, RESUMABLE_TABLE, loadExamples, loadExample, exampleId, exampleCredential, withSettings, withOutputFolder, runnableNow, startedByWebhook };
