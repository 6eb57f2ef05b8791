#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * What the restart safety costs: the resumable example (examples/resumable-bulk-run.json: Submit
 * in batches, each job ID written to a Data Table, then Poll) beside a plain Generate and Wait
 * over the same table (its rows → Generate and Wait → files → row done), N prompts each, in real
 * n8n (`n8n start`, the workflow started by a webhook as a schedule starts it) against the
 * sandbox, in the bench's regimes and job latency. Prints wall time and API requests per job.
 *
 *   npm run build && node scripts/bench/resumable.js [--n 100] [--regime capacity,rate]
 *
 * Each run gets an n8n of its own start (the node learns job durations and rate limits per
 * process, so a run must not inherit what the one before learnt) and a sandbox of its own.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { prepareRuntime, N8N_V2 } = require('../n8n-runtime');
const { createN8nHome } = require('../n8n-cli');
const { packPackage } = require('../pack');
const { RESUMABLE_TABLE, exampleCredential, loadExample, startedByWebhook, withSettings } = require('../examples');
const { ownerSession, createDataTable, insertRows, readRows, listExecutions, hasEnded } = require('../n8n-rest');
const { startSandbox } = require('../../test/sandbox/server');
const { REGIMES, promptText, sandboxOptions } = require('./config');
const { sandboxMetrics } = require('./metrics');

const EXAMPLE = 'resumable-bulk-run.json';
const QWEN_NODE_TYPE = 'n8n-nodes-pixeldojo.qwenImageMax';

/**
 * The example's own table, output and Data Table nodes, with Generate and Wait in place of its
 * Submit → Save Job ID → Poll: what a user builds without the checkpoint.
 * @param {import('../examples').Workflow} resumable
 */
function plainVariant(resumable) {
	const byName = (/** @type {string} */ name) => /** @type {import('../examples').WorkflowNode} */ (resumable.nodes.find((node) => node.name === name));
	const submit = byName('Submit');
	const generate = { ...submit, name: 'Generate Images', parameters: { ...submit.parameters, operation: 'generateAndWait' } };
	const markDone = JSON.parse(JSON.stringify(byName('Mark Done')));
	markDone.parameters.filters.conditions[0].keyValue = "={{ $('Rows Without a Job').item.json.id }}";
	const trigger = resumable.nodes.find((node) => node.type === 'n8n-nodes-base.webhook');
	const link = (/** @type {string} */ to) => ({ main: [[{ node: to, type: 'main', index: 0 }]] });
	return {
		...resumable,
		name: 'Plain Generate and Wait over the table',
		nodes: [trigger, ...['Settings', 'Rows Without a Job', 'Write Image Files'].map(byName), generate, markDone],
		connections: {
			[/** @type {any} */ (trigger).name]: link('Settings'),
			Settings: link('Rows Without a Job'),
			'Rows Without a Job': link('Generate Images'),
			'Generate Images': link('Write Image Files'),
			'Write Image Files': link('Mark Done'),
		},
	};
}

function parseArgs(argv = process.argv.slice(2)) {
	/** @type {{ n: number, regimes: string[] }} */
	const args = { n: 100, regimes: REGIMES.map((regime) => regime.key) };
	for (let i = 0; i < argv.length; i += 2) {
		const [flag, value] = [argv[i], argv[i + 1] ?? ''];
		if (flag === '--n' && Number(value) > 0) args.n = Number(value);
		else if (flag === '--regime' && value.split(',').every((key) => REGIMES.some((regime) => regime.key === key))) args.regimes = value.split(',');
		else throw new Error(`Unknown argument ${flag} ${value} (use --n N, --regime ${REGIMES.map((regime) => regime.key).join(',')})`);
	}
	return args;
}

/** @param {string} msg */
const log = (msg) => process.stderr.write(`[bench:resumable] ${msg}\n`);

async function main() {
	const { n, regimes } = parseArgs();
	const runtime = await prepareRuntime({ n8nVersion: process.env.PIXELDOJO_N8N_VERSION || N8N_V2 });
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pixeldojo-bench-resumable-'));
	const prompts = Array.from({ length: n }, (_, i) => promptText(i));
	const example = loadExample(EXAMPLE);
	const approaches = /** @type {const} */ ([
		['resumable example', (/** @type {string} */ webhookPath) => startedByWebhook(example, webhookPath)],
		['plain Generate and Wait', (/** @type {string} */ webhookPath) => plainVariant(startedByWebhook(example, webhookPath))],
	]);
	/** @type {Array<Record<string, string | number>>} */
	const rows = [];
	try {
		const { tarball } = await packPackage({ into: path.join(scratch, 'pack') });
		for (const regimeKey of regimes) {
			const regime = /** @type {import('./config').Regime} */ (REGIMES.find((candidate) => candidate.key === regimeKey));
			for (const [approach, build] of approaches) {
				const outputDir = fs.mkdtempSync(path.join(scratch, 'files-'));
				const home = createN8nHome({ runtime, env: { N8N_RESTRICT_FILE_ACCESS_TO: outputDir } });
				const sandbox = await startSandbox(sandboxOptions(regime, { tinyImages: true }));
				let editor;
				try {
					await home.installCommunityPackage(tarball);
					await home.importCredentials([{ ...exampleCredential(), type: 'pixelDojoApi', data: { apiKey: sandbox.apiKey, baseUrl: sandbox.apiUrl } }]);
					editor = await home.startEditor();
					const setup = await ownerSession(editor.url);
					const tableId = await createDataTable(setup, RESUMABLE_TABLE.name, RESUMABLE_TABLE.columns);
					await insertRows(setup, tableId, prompts.map((prompt) => ({ prompt })));
					await editor.stop();
					const workflow = withSettings(build('bench'), { outputFolder: outputDir, dataTableId: tableId });
					// Every PixelDojo node at the regime's Max Concurrency, as the main bench runs the node.
					const nodes = workflow.nodes.map((node) => (node.type === QWEN_NODE_TYPE ? { ...node, parameters: { ...node.parameters, options: { ...node.parameters.options, maxConcurrency: regime.maxConcurrency } } } : node));
					const [workflowId] = await home.importWorkflow({ ...workflow, nodes });
					await home.activateWorkflow(workflowId);
					editor = await home.startEditor();
					const session = await ownerSession(editor.url);
					await editor.waitForWebhook('bench');
					const startedAt = Date.now();
					await editor.postWebhook('bench', {});
					for (;;) {
						const [execution] = await listExecutions(session);
						if (execution && hasEnded(execution)) break;
						await new Promise((resolve) => setTimeout(resolve, 250));
					}
					const wallMs = Date.now() - startedAt;
					const done = (await readRows(session, tableId)).filter((row) => row.status === 'done').length;
					const metrics = sandboxMetrics(sandbox.stats(), n);
					const row = {
						regime: regime.title,
						N: n,
						approach,
						'wall (s)': (wallMs / 1000).toFixed(1),
						'rows done': done,
						jobs: metrics.jobsCreated,
						'API requests': metrics.apiRequests,
						'req / job': (metrics.apiRequests / Math.max(1, metrics.jobsCreated)).toFixed(2),
						'429s': metrics.rateLimited,
					};
					rows.push(row);
					log(JSON.stringify(row));
				} finally {
					await editor?.stop();
					await sandbox.close();
					home.cleanup();
				}
			}
		}
	} finally {
		fs.rmSync(scratch, { recursive: true, force: true });
	}
	const columns = Object.keys(rows[0] ?? {});
	process.stdout.write(`n8n ${runtime.n8nVersion} on Node ${runtime.nodeVersion}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GB, load average ${os.loadavg()[0].toFixed(1)}\n`);
	process.stdout.write([`| ${columns.join(' | ')} |`, `| ${columns.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${columns.map((column) => row[column]).join(' | ')} |`)].join('\n') + '\n');
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
	process.exit(1);
});
