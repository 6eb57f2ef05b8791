#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `npm run bench` (= npm run build && node scripts/bench.js): this node against the vendor's
 * client loop and a do-it-yourself n8n workflow, in real n8n 2.41.1, against local sandboxes
 * (one per scenario) with a seeded job latency, a capacity and a rate limit. Prints a table and
 * writes output/benchmark.md and output/benchmark.json.
 *
 *   node scripts/bench.js            full run: both regimes, N = 20 and 100 (about 10 min)
 *   node scripts/bench.js --quick    N = 20 only (about 3 min)
 *   node scripts/bench.js --only node-rate-100,node-capacity-100   just these scenarios
 *   node scripts/bench.js --package /tmp/tuned-copy      load the node from another built checkout
 *   node scripts/bench.js --concurrency capacity=20,rate=40   (a)'s Max Concurrency per regime
 *
 * Each run's full sandbox stats (jobs, request log) go to output/bench-runs/<scenario>.json.
 *
 * Only loopback: the sandboxes listen on 127.0.0.1/localhost; nothing calls pixeldojo.ai.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const { prepareRuntime, N8N_V2 } = require('./n8n-runtime');
const { createN8nHome, newWorkflowId } = require('./n8n-cli');
const { startSandbox } = require('../test/sandbox/server');
const { durationSampler } = require('../test/sandbox/durations');
const { LATENCY, IMAGE_BYTES, REGIMES, RATE_WITHOUT_HEADERS, SHAPES, APPROACHES, promptText, plan, sandboxOptions, N8N_TIMEOUT_MS } = require('./bench/config');
const { nodeWorkflow, webhookNodeWorkflow, diyWorkflow } = require('./bench/workflows');
const { runBurst } = require('./bench/webhookBurst');
const { runVendorLoop } = require('./bench/vendorLoop');
const { executeSampled, readExecution } = require('./bench/n8nRun');
const { sandboxMetrics } = require('./bench/metrics');
const { lowerBound } = require('./bench/lowerBound');
const { diagnose } = require('./bench/diagnostics');
const { row, markdownTable, textTable, checkTargets, checksMarkdown, checksText, TARGETS, FORMULA } = require('./bench/report');

const REPO = path.resolve(__dirname, '..');
const ALL_REGIMES = [...REGIMES, RATE_WITHOUT_HEADERS];
const OUTPUT_DIR = path.join(REPO, 'output');
const benchStart = Date.now();

/** @param {string} msg */
function log(msg) {
	process.stderr.write(`[bench +${((Date.now() - benchStart) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`);
}

function parseArgs(argv = process.argv.slice(2)) {
	/** @type {Record<string, string | true>} */
	const flags = {};
	for (let i = 0; i < argv.length; i++) {
		const [name, inline] = argv[i].split(/=(.*)/s, 2);
		if (!['--quick', '--only', '--package', '--concurrency'].includes(name)) {
			throw new Error(`Unknown argument ${argv[i]} (use --quick, --only <ids>, --package <dir>, --concurrency capacity=N,rate=N)`);
		}
		if (name === '--quick') flags.quick = true;
		else flags[name.slice(2)] = inline ?? argv[++i] ?? '';
	}
	const list = (/** @type {string | true | undefined} */ v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : null);
	/** @type {Record<string, number>} */
	const concurrency = {};
	for (const pair of list(flags.concurrency) ?? []) {
		const [key, value] = pair.split('=');
		if (!ALL_REGIMES.some((r) => r.key === key) || !(Number(value) >= 1)) throw new Error(`Bad --concurrency entry "${pair}"`);
		concurrency[key] = Number(value);
	}
	const pkg = typeof flags.package === 'string' ? path.resolve(flags.package) : REPO;
	return { quick: flags.quick === true, only: list(flags.only), pkg, concurrency };
}

/** The first n durations the seeded distribution draws: what the i-th submit of any run gets. @param {number} n */
function seededDurations(n) {
	const draw = durationSampler(LATENCY);
	return Array.from({ length: n }, () => draw({ jobId: '', key: '', body: {} }));
}

/** @param {{ n8nVersion: string, nodeVersion: string }} runtime */
function machine(runtime) {
	let commit = 'unknown';
	try {
		commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
		const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO, encoding: 'utf8' }).trim();
		if (dirty) commit += ' (with uncommitted changes)';
	} catch {
		/* not a git checkout */
	}
	const cpus = os.cpus();
	return {
		date: new Date().toISOString(),
		cores: cpus.length,
		cpuModel: cpus[0]?.model ?? 'unknown',
		ramGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
		os: `${os.type()} ${os.release()} ${os.arch()}`,
		benchNode: process.version,
		n8nVersion: runtime.n8nVersion,
		n8nNode: `v${runtime.nodeVersion}`,
		commit,
	};
}

async function main() {
	const { quick, only, pkg, concurrency } = parseArgs();
	for (const regime of ALL_REGIMES) if (concurrency[regime.key]) regime.maxConcurrency = concurrency[regime.key];
	let scenarios = plan(quick);
	if (only) {
		const known = new Set(plan(false).map((s) => s.id));
		const bad = only.filter((id) => !known.has(id));
		if (bad.length) throw new Error(`Unknown scenario ${bad[0]}; known: ${[...known].join(', ')}`);
		scenarios = plan(false).filter((s) => only.includes(s.id));
	}
	if (!fs.existsSync(path.join(pkg, 'dist', 'nodes', 'QwenImageMax', 'QwenImageMax.node.js'))) {
		throw new Error('dist/ is missing: run `npm run bench` (it builds first) or `npm run build`');
	}
	const n8nScenarios = scenarios.filter((s) => s.approach !== 'vendor');
	const packageDir = snapshotPackage(pkg);
	leftovers.add(path.dirname(packageDir));
	log(`${scenarios.length} scenarios: ${scenarios.map((s) => s.id).join(', ')}`);

	// One sandbox per scenario: its own jobs, stats, capacity and rate-limit window.
	/** @type {Map<string, Awaited<ReturnType<typeof startSandbox>>>} */
	const sandboxes = new Map();
	const closeAll = () => Promise.all([...sandboxes.values()].map((sb) => sb.close()));
	for (const s of scenarios) sandboxes.set(s.id, await startSandbox(sandboxOptions(s.regime, { tinyImages: s.tinyImages })));
	const idleId = 'idle';
	if (n8nScenarios.length) sandboxes.set(idleId, await startSandbox(sandboxOptions(REGIMES[0], { tinyImages: true })));

	// (b) is sleep-dominated: its runs go first, concurrently with each other and with n8n.
	/** @type {Map<string, Promise<any>>} */
	const vendorRuns = new Map();
	/** @type {Set<string>} */
	const vendorDone = new Set();
	for (const s of scenarios.filter((x) => x.approach === 'vendor')) {
		const sb = /** @type {any} */ (sandboxes.get(s.id));
		const prompts = Array.from({ length: s.n }, (_, i) => promptText(i));
		vendorRuns.set(
			s.id,
			runVendorLoop({ apiUrl: sb.apiUrl, apiKey: sb.apiKey, prompts }).then((r) => {
				vendorDone.add(s.id);
				log(`${s.id}: done in ${((r.stoppedAt - r.startedAt) / 1000).toFixed(1)} s, ${r.failed} failed`);
				return r;
			}),
		);
	}
	if (vendorRuns.size) log(`started ${vendorRuns.size} vendor-loop runs in the background`);

	// After the vendor loops have started: on a machine without the n8n cache, its install
	// (several minutes) overlaps their runs instead of adding to the bench.
	const runtime = await prepareRuntime({ n8nVersion: N8N_V2 });
	log(`n8n ${runtime.n8nVersion} on node ${runtime.nodeVersion} ready`);

	/** @type {Record<string, any>} */
	const n8nResults = {};
	/** @type {Record<string, any[]>} RSS samples per n8n run, ms since launch */
	const memoryTimelines = {};
	/** @type {ReturnType<typeof createN8nHome> | null} */
	let home = null;
	if (n8nScenarios.length) {
		home = createN8nHome({ runtime, customExtensions: [packageDir] });
		leftovers.add(home.userFolder);
		const bearer = { id: newWorkflowId(), name: 'Bearer (DIY)', type: 'httpBearerAuth', data: { token: 'sandbox-key' } };
		/** @type {Map<string, { id: string, name: string, type: string, data: Record<string, unknown> }>} */
		const pixelDojoCreds = new Map();
		for (const id of [idleId, ...n8nScenarios.filter((s) => s.approach === 'node').map((s) => s.id)]) {
			const sb = /** @type {any} */ (sandboxes.get(id));
			pixelDojoCreds.set(id, { id: newWorkflowId(), name: `PixelDojo ${id}`, type: 'pixelDojoApi', data: { apiKey: sb.apiKey, baseUrl: sb.apiUrl } });
		}
		await home.importCredentials([bearer, ...pixelDojoCreds.values()]);
		const ref = (/** @type {{ id: string, name: string }} */ c) => ({ id: c.id, name: c.name });
		/** @type {Map<string, any>} */
		const workflows = new Map();
		const idleCred = /** @type {any} */ (pixelDojoCreds.get(idleId));
		workflows.set(idleId, nodeWorkflow({ id: newWorkflowId(), name: 'bench idle', count: 1, credential: ref(idleCred), maxConcurrency: REGIMES[0].maxConcurrency }));
		for (const s of n8nScenarios) {
			const sb = /** @type {any} */ (sandboxes.get(s.id));
			const id = newWorkflowId();
			const node = { id, name: `bench ${s.id}`, credential: ref(/** @type {any} */ (pixelDojoCreds.get(s.id))), maxConcurrency: s.regime.maxConcurrency };
			workflows.set(
				s.id,
				s.approach === 'diy'
					? diyWorkflow({ id, name: `bench ${s.id}`, count: s.n, apiUrl: sb.apiUrl, bearer: ref(bearer) })
					: s.shape === 'burst'
						? webhookNodeWorkflow({ ...node, path: s.id })
						: nodeWorkflow({ ...node, count: s.n, batchSize: SHAPES[s.shape].batchSize }),
			);
		}
		await home.importWorkflow([...workflows.values()]);
		log(`imported ${workflows.size} workflows into ${home.userFolder}`);

		// n8n runs one at a time (2 cores): the idle baseline first, then (a), then (c), then the bursts.
		for (const id of [idleId, ...n8nScenarios.filter((s) => s.shape !== 'burst').map((s) => s.id)]) {
			const s = n8nScenarios.find((x) => x.id === id);
			const approach = s ? s.approach : 'node';
			const items = s ? s.n : 1;
			log(`${id}: n8n execute (boot + run)…`);
			try {
				const ex = await executeSampled(home, workflows.get(id).id, { timeoutMs: N8N_TIMEOUT_MS });
				const r = readExecution(/** @type {'node' | 'diy'} */ (approach), ex, items);
				n8nResults[id] = r;
				memoryTimelines[id] = ex.memory.samples.map((m) => ({ t: m.at - ex.launchedAt, rssMb: Math.round(m.rssKb / 102.4) / 10, runnerMb: Math.round(m.childrenRssKb / 102.4) / 10 }));
				memoryTimelines[id].unshift({ executionFromMs: r.wallFrom !== null && r.wallFrom !== undefined ? r.wallFrom - ex.launchedAt : null, executionToMs: r.wallTo !== null && r.wallTo !== undefined ? r.wallTo - ex.launchedAt : null });
				log(
					`${id}: ${r.ok ? 'ok' : `FAILED (${r.error})`}, wall ${r.wallMs === null ? '–' : (r.wallMs / 1000).toFixed(1)} s, ` +
						`boot ${(r.bootMs / 1000).toFixed(1)} s, peak RSS ${r.memory.peakRssMb?.toFixed(0)} MB, ${r.failed} failed`,
				);
			} catch (error) {
				n8nResults[id] = { ok: false, error: error instanceof Error ? error.message : String(error), succeeded: 0, failed: items, wallMs: null, memory: null };
				log(`${id}: could not run: ${n8nResults[id].error.split('\n')[0]}`);
			}
		}
		Object.assign(n8nResults, await runBursts(home, n8nScenarios.filter((s) => s.shape === 'burst'), workflows));
	}

	/** @type {Record<string, any>} */
	const vendorResults = {};
	for (const [id, p] of vendorRuns) {
		if (!vendorDone.has(id)) log(`waiting for ${id}…`);
		vendorResults[id] = await p;
	}

	const idle = n8nResults[idleId];
	const idlePeakMb = idle && idle.ok && idle.memory ? idle.memory.peakRssMb : null;
	const results = scenarios.map((s) => {
		const sb = /** @type {any} */ (sandboxes.get(s.id));
		const stats = sb.stats();
		const metrics = sandboxMetrics(stats, s.n);
		const drawn = seededDurations(s.n);
		const sameDurations = metrics.durations.slice(0, s.n).every((d, i) => Math.abs(d - drawn[i]) < 1e-6);
		const bound = lowerBound(drawn, { capacity: s.regime.capacity, rateLimit: s.regime.rateLimit });
		if (s.approach === 'vendor') {
			const v = vendorResults[s.id];
			const diagnostics = diagnose(stats, { capacity: s.regime.capacity, wallFrom: v.startedAt, wallTo: v.stoppedAt });
			return { ...s, ok: v.failed === 0, error: v.errors[0], succeeded: v.succeeded, failed: v.failed, wallMs: v.stoppedAt - v.startedAt, memory: null, memoryDeltaMb: null, metrics, diagnostics, lowerBound: bound, sameDurations, vendor: v };
		}
		const r = n8nResults[s.id];
		// A burst runs in a started n8n, which holds more than `n8n execute` does: its idle is its own RSS before the burst.
		const idleMb = s.shape === 'burst' ? r.memory?.preRunRssMb ?? null : idlePeakMb;
		const memoryDeltaMb = r.memory && r.memory.peakRssMb !== null && idleMb !== null ? r.memory.peakRssMb - idleMb : null;
		const diagnostics = diagnose(stats, { capacity: s.regime.capacity, wallFrom: r.wallFrom ?? null, wallTo: r.wallTo ?? null });
		return { ...s, ...r, memoryDeltaMb, metrics, diagnostics, lowerBound: bound, sameDurations };
	});
	const totalMs = Date.now() - benchStart;
	const info = machine(runtime);
	const main = results.filter((r) => !r.control);
	const checks = checkTargets(main, { idlePeakMb });
	const rows = main.map(row);
	const memory = memoryTable(results, idle, idlePeakMb);
	const details = detailLines(results);
	const md = renderMarkdown({ info, rows, checks, details, memory, idle, idlePeakMb, totalMs, quick, only });

	fs.rmSync(path.join(OUTPUT_DIR, 'bench-runs'), { recursive: true, force: true });
	fs.mkdirSync(path.join(OUTPUT_DIR, 'bench-runs'), { recursive: true });
	for (const s of scenarios) {
		const sb = /** @type {any} */ (sandboxes.get(s.id));
		fs.writeFileSync(path.join(OUTPUT_DIR, 'bench-runs', `${s.id}.json`), JSON.stringify(sb.stats()) + '\n');
	}
	for (const [id, timeline] of Object.entries(memoryTimelines)) {
		fs.writeFileSync(path.join(OUTPUT_DIR, 'bench-runs', `${id}.memory.json`), JSON.stringify(timeline) + '\n');
	}
	fs.writeFileSync(path.join(OUTPUT_DIR, 'benchmark.md'), md);
	const json = {
		machine: info,
		totalMs,
		quick,
		only,
		package: pkg,
		latency: LATENCY,
		imageBytes: IMAGE_BYTES,
		regimes: ALL_REGIMES.map((r) => ({ ...r, capacity: Number.isFinite(r.capacity) ? r.capacity : null })),
		targets: TARGETS,
		idle: idle ?? null,
		results: results.map(({ regime, metrics, ...r }) => ({ ...r, regime: regime.key, metrics: { ...metrics, durations: undefined } })),
		checks,
	};
	fs.writeFileSync(path.join(OUTPUT_DIR, 'benchmark.json'), JSON.stringify(json, null, 2) + '\n');

	process.stdout.write(`\n${textTable(rows)}\n\nn8n main-process memory:\n${memory}\n\n${checksText(checks)}\n\nDetails:\n${details.join('\n')}\n\n`);
	process.stdout.write(`Bench took ${(totalMs / 1000).toFixed(0)} s. Written: output/benchmark.md, output/benchmark.json\n`);
	await closeAll();
}

/**
 * The burst scenarios, on one `n8n start` with their webhook workflows active, one after
 * another; each against its own sandbox, so each has its own key coordinator.
 * @param {ReturnType<typeof createN8nHome>} home @param {ReturnType<typeof plan>} bursts @param {Map<string, any>} workflows
 */
async function runBursts(home, bursts, workflows) {
	/** @type {Record<string, any>} */
	const results = {};
	if (!bursts.length) return results;
	for (const s of bursts) await home.activateWorkflow(workflows.get(s.id).id);
	log(`n8n start for ${bursts.length} bursts…`);
	const editor = await home.startEditor({ timeoutMs: N8N_TIMEOUT_MS });
	try {
		for (const s of bursts) await editor.waitForWebhook(s.id);
		for (const s of bursts) {
			const r = await runBurst(editor, { path: s.id, prompts: Array.from({ length: s.n }, (_, i) => promptText(i)) });
			results[s.id] = { ...r, bootMs: editor.bootMs };
			log(`${s.id}: ${r.ok ? 'ok' : `FAILED (${r.error})`}, wall ${(r.wallMs / 1000).toFixed(1)} s, peak RSS ${r.memory.peakRssMb?.toFixed(0)} MB, ${r.failed} failed`);
		}
	} finally {
		await editor.stop();
	}
	return results;
}

/** Temp folders (package snapshot, n8n home) removed when the process ends, however it ends. */
const leftovers = new Set();
process.on('exit', () => {
	for (const dir of leftovers) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * A private copy of the built package (package.json, index.js, dist/) for n8n to load: a
 * rebuild of the checkout during the run (others work in it) cannot pull files from under n8n.
 * @param {string} dir
 */
function snapshotPackage(dir) {
	const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pkg-')), 'n8n-nodes-pixeldojo');
	fs.mkdirSync(target);
	for (const name of ['package.json', 'index.js', 'dist']) {
		if (fs.existsSync(path.join(dir, name))) fs.cpSync(path.join(dir, name), path.join(target, name), { recursive: true });
	}
	return target;
}

/** @param {number | null | undefined} v */
const mb = (v) => (v === null || v === undefined ? '–' : `${v.toFixed(0)} MB`);

/** One line per run: outcome, n8n timings, memory, and where the time and requests went. @param {any[]} results */
function detailLines(results) {
	return results.map((r) => {
		const parts = [`- **${r.id}**: ${r.ok ? 'ok' : `failed: ${String(r.error ?? '').split('\n')[0]}`}`];
		parts.push(`succeeded ${r.succeeded}/${r.n}`, `jobs created ${r.metrics.jobsCreated}`, `max in flight ${r.metrics.maxInFlight}`, `max running ${r.metrics.maxRunning}`);
		if (r.bootMs !== undefined) parts.push(`n8n boot ${(r.bootMs / 1000).toFixed(1)} s`, `execution ${(r.executionMs / 1000).toFixed(1)} s`);
		if (r.memory) parts.push(`RSS before the run ${mb(r.memory.preRunRssMb)}`, `VmHWM (boot included) ${mb(r.memory.hwmMb)}`, `task runner peak ${mb(r.memory.runnerPeakRssMb)}`);
		if (r.nodeRuns) parts.push(`node runs ${JSON.stringify(r.nodeRuns)}`);
		if (r.vendor && r.vendor.clientRateLimited) parts.push(`429s waited out ${r.vendor.clientRateLimited}`);
		const d = r.diagnostics;
		const s1 = (/** @type {number | null} */ v) => (v === null ? '–' : `${(v / 1000).toFixed(2)} s`);
		const pct = (/** @type {number | null} */ v) => (v === null ? '–' : `${Math.round(v * 100)} %`);
		parts.push(
			`polls that found the job running ${d.earlyPollsPerJob === null ? '–' : d.earlyPollsPerJob.toFixed(2)}/job`,
			`jobs seen finished by their first poll ${pct(d.firstPollHitShare)}`,
			`first poll after submit p50 ${s1(d.firstPollAfterSubmitP50Ms)}`,
			`first poll − completion p50 ${s1(d.firstPollVsCompletionP50Ms)}`,
			`queue time p50 ${s1(d.queueP50Ms)} (max ${s1(d.queueMaxMs)})`,
			`capacity utilisation ${pct(d.capacityUtilisation)}`,
			`lead to first request ${s1(d.leadMs)}`,
			`tail after last completion ${s1(d.tailMs)}`,
			`requests/min ${d.requestsPerMinute === null ? '–' : d.requestsPerMinute.toFixed(1)}`,
		);
		parts.push(`lower bound: capacity term ${(r.lowerBound.capacityMs / 1000).toFixed(1)} s, rate term ${(r.lowerBound.rateMs / 1000).toFixed(1)} s`);
		if (!r.sameDurations) parts.push('**job durations differ from the seeded draws**');
		return parts.join('; ');
	});
}

/**
 * Peak RSS of every n8n run (comparison runs, the idle baseline and the tiny-image control).
 * @param {any[]} results @param {any} idle @param {number | null} idlePeakMb
 */
function memoryTable(results, idle, idlePeakMb) {
	const lines = ['| run | N | images | peak RSS | Δ vs idle peak | RSS before the run | peak − before | task runner peak |', '| --- | --- | --- | --- | --- | --- | --- | --- |'];
	const line = (/** @type {string} */ id, /** @type {number} */ n, /** @type {string} */ images, /** @type {any} */ m) =>
		`| ${id} | ${n} | ${images} | ${mb(m.peakRssMb)} | ${m.peakRssMb !== null && idlePeakMb !== null ? `${m.peakRssMb - idlePeakMb >= 0 ? '+' : ''}${(m.peakRssMb - idlePeakMb).toFixed(0)} MB` : '–'} | ${mb(m.preRunRssMb)} | ${m.peakRssMb !== null && m.preRunRssMb !== null ? `+${(m.peakRssMb - m.preRunRssMb).toFixed(0)} MB` : '–'} | ${mb(m.runnerPeakRssMb)} |`;
	if (idle && idle.memory) lines.push(line('idle baseline ((a), 1 prompt)', 1, 'tiny', idle.memory));
	for (const r of results) if (r.memory) lines.push(line(r.id, r.n, r.tinyImages ? 'tiny' : `${(IMAGE_BYTES / 1e6).toFixed(0)} MB`, r.memory));
	return lines.join('\n');
}

/**
 * @param {{ info: ReturnType<typeof machine>, rows: string[][], checks: any[], details: string[], memory: string, idle: any, idlePeakMb: number | null, totalMs: number, quick: boolean, only: string[] | null }} o
 */
function renderMarkdown({ info, rows, checks, details, memory, idle, idlePeakMb, totalMs, quick, only }) {
	return `# Benchmark: Qwen Image Max node vs. vendor loop vs. DIY n8n workflow

${quick ? '_Quick run (`--quick`): N = 20 only._\n\n' : ''}${only ? `_Partial run (\`--only ${only.join(',')}\`)._\n\n` : ''}Date ${info.date} · ${info.cores} cores (${info.cpuModel}) · ${info.ramGb} GB RAM · ${info.os}
n8n ${info.n8nVersion} on Node ${info.n8nNode} (bench process: Node ${info.benchNode}) · commit ${info.commit} · whole bench ${(totalMs / 1000).toFixed(0)} s

## Setup
- **Sandbox** (test/sandbox, loopback only), one instance per scenario (own jobs, stats and rate-limit window), inside the bench process.
  Job latency: lognormal, median ${LATENCY.median / 1000} s, sigma ${LATENCY.sigma}, clamped to [${LATENCY.min / 1000} s, ${LATENCY.max / 1000} s], seed ${LATENCY.seed}: the i-th submit of every run gets the same duration, so all approaches face the same latencies (checked per run).
  Every image is a real PNG padded to ${(IMAGE_BYTES / 1e6).toFixed(0)} MB.
${ALL_REGIMES.map((r) => `- **${r.title}**: ${r.note}; (a) runs with Max Concurrency = ${r.maxConcurrency}.`).join('\n')}
- Approaches:
  - ${APPROACHES.node.label}: Manual Trigger → Code (N prompts) → Qwen Image Max, operation Generate and Wait, Max Concurrency as above, other options default (download images on, timeout 600 s). "${SHAPES.loop.label}": the same with n8n's Loop Over Items between Code and the node, so each batch is a new call of the node; its figures are compared with the single call's for the same prompts. "${SHAPES.burst.label}": Webhook (one prompt per call, answering with the image) → the node with the same options, the N calls fired together at one running \`n8n start\`, so every execution is its own call of the node and all share the key; compared with the single call the same way. Its wall time runs from the first call to the last answer, and its Δ RSS is over that n8n's own RSS just before the burst.
  - ${APPROACHES.vendor.label}: plain Node.js in the bench process (not n8n): submit, sleep 2 s, poll, repeat until completed, download, next prompt. The vendor's examples do not handle 429; this loop waits out Retry-After and retries. (b) is sleep-dominated, so its runs go **concurrently** with each other and with the n8n runs, each against its own sandbox.
  - ${APPROACHES.diy.label}: Manual Trigger → Code (N prompts) → HTTP Request v4.2 POST submit (Bearer Auth credential, body field prompt) → Wait 2 s → HTTP Request GET /jobs/{jobId} → IF status == "completed" → true: HTTP Request GET image (response format File); false: back to Wait. HTTP Request defaults (all items at once, no batching), **Retry On Fail on with n8n's defaults (3 tries, 1000 ms apart)**, On Error = stop the workflow (default). n8n retries a failing node with all its items (re-submitting every prompt), and an execution stopped by an error counts all undelivered items as failed.
- n8n runs one at a time, each \`n8n execute --id\` in its own process (boot ≈ 10–15 s, not counted), then one \`n8n start\` for the bursts.
- **Wall time**: (a) the Qwen node's own run in n8n's run data (startTime → startTime + executionTime: submits, polls, downloads into n8n's binary store); (c) from the Submit node's start to the end of the last Download run (for a failed run: to n8n's stoppedAt); (b) first submit → last download finished.
- **Lower bound** (from the seeded durations, capacity and rate limit): ${FORMULA.join(' ')}
- **API requests**: every request to the API the sandbox saw (submits, polls; 429s included; image downloads not). **429s**: rate_limited answers. **Polls / job**: polls the sandbox counted per job created.
- **Detection delay**: per job, from its completion in the sandbox to the first poll that saw it finished; p50 / p95 over the run's jobs; "jobs detected ≤ …" is the share of jobs detected within max(1 s, 15 % of the job's own duration) (the target holds when that share is ≥ 50 %).
- **n8n peak RSS**: VmRSS of the n8n main process (/proc, sampled every 100 ms) over the execution window (n8n's startedAt → stoppedAt; boot excluded); the task runner child is reported separately in the details. **Δ vs idle**: minus the peak of the idle baseline = the same (a) workflow with 1 prompt and a tiny image (${mb(idlePeakMb)}${idle && idle.memory ? `; its RSS before the run ${mb(idle.memory.preRunRssMb)}` : ''}).

## Results
${markdownTable(rows)}

## n8n memory (main process, execution window)
${memory}

## Targets (measured, for (a))
${checksMarkdown(checks)}

## Details
${details.join('\n')}
`;
}

process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
	process.exit(1);
});
