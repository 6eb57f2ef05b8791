// @ts-check
'use strict';

// The results table (markdown, also printed) and the target checks.

const { APPROACHES, SHAPES } = require('./config');
const { FORMULA } = require('./lowerBound');

const TARGETS = {
	wallOverBound: 1.15,
	/** a call shape other than one call with every item, against that single call (same regime and N) */
	shapeRequestsPerJobRatio: 1.1,
	shapeDetectionP50ExtraMs: 300,
	rateLimitedPerRequest: 0.01,
	requestsPerItem: 2.5,
	memoryGrowthMb: 150,
	/** "does not grow with N": peak RSS at the largest N at most this much above the smallest N */
	memoryNGrowthMb: 50,
};

/** @param {number | null | undefined} v @param {number} [digits] */
const num = (v, digits = 1) => (v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits));
/** @param {number | null | undefined} ms */
const sec = (ms) => num(ms === null || ms === undefined ? ms : ms / 1000, 1);

/** @param {any} r one scenario result */
function row(r) {
	const m = r.metrics;
	const wall = r.wallMs === null ? '–' : `${sec(r.wallMs)}${r.ok ? '' : ' (failed)'}`;
	return [
		r.regime.title,
		String(r.n),
		withShape(APPROACHES[/** @type {'node'|'vendor'|'diy'} */ (r.approach)].short, r),
		wall,
		sec(r.lowerBound.ms),
		r.wallMs === null || !r.ok ? '–' : num(r.wallMs / r.lowerBound.ms, 2),
		String(m.apiRequests),
		num(m.requestsPerItem, 2),
		String(m.rateLimited),
		num(m.pollsPerJob, 2),
		`${sec(m.detectionP50Ms)} / ${sec(m.detectionP95Ms)}`,
		m.detectionMetShare === null ? '–' : `${Math.round(m.detectionMetShare * 100)} %`,
		`${r.failed}${m.jobsCreated !== r.n ? ` (${m.jobsCreated} jobs)` : ''}`,
		r.memory ? num(r.memory.peakRssMb, 0) : 'n/a',
		r.memory && r.memoryDeltaMb !== null ? num(r.memoryDeltaMb, 0) : 'n/a',
	];
}

const HEADER = [
	'regime',
	'N',
	'approach',
	'wall (s)',
	'lower bound (s)',
	'wall / LB',
	'API requests',
	'req / item',
	'429s',
	'polls / job',
	'detection p50 / p95 (s)',
	'jobs detected ≤ max(1 s, 15 % d)',
	'failed items',
	'n8n peak RSS (MB)',
	'Δ RSS vs idle (MB)',
];

/** @param {string[][]} rows */
function markdownTable(rows) {
	const line = (/** @type {string[]} */ cells) => `| ${cells.join(' | ')} |`;
	return [line(HEADER), line(HEADER.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Fixed-width text table for the terminal. @param {string[][]} rows */
function textTable(rows) {
	const short = ['regime', 'N', 'approach', 'wall s', 'LB s', 'wall/LB', 'API req', 'req/item', '429s', 'polls/job', 'detect p50/p95 s', 'det ok', 'failed', 'RSS MB', 'ΔRSS MB'];
	const all = [short, ...rows];
	const widths = short.map((_, c) => Math.max(...all.map((r) => [...r[c]].length)));
	const fmt = (/** @type {string[]} */ r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ');
	return [fmt(short), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

/**
 * Target checks for (a), measured (not timed tests).
 * @param {any[]} results
 * @param {{ idlePeakMb: number | null }} memory
 */
function checkTargets(results, memory) {
	const all = results.filter((r) => r.approach === 'node');
	if (!all.length) return [];
	// The absolute targets are about one call with every item; other shapes are held to that call.
	const node = all.filter((r) => r.shape === 'single');
	const maxN = Math.max(...node.map((r) => r.n));
	const minN = Math.min(...node.map((r) => r.n));
	/** @type {Array<{ target: string, scenario: string, measured: string, met: boolean | null }>} */
	const checks = [];
	for (const r of node.filter((x) => x.n === maxN)) {
		checks.push({
			target: `wall ≤ ${TARGETS.wallOverBound} × lower bound at N = ${maxN}`,
			scenario: scenarioName(r),
			measured: r.wallMs === null ? 'no result' : `${sec(r.wallMs)} s vs ${sec(r.lowerBound.ms)} s → ${num(r.wallMs / r.lowerBound.ms, 2)} × (limit ${sec(TARGETS.wallOverBound * r.lowerBound.ms)} s)`,
			met: r.wallMs !== null && r.ok && r.wallMs <= TARGETS.wallOverBound * r.lowerBound.ms,
		});
	}
	const totalRequests = node.reduce((s, r) => s + r.metrics.apiRequests, 0);
	const totalItems = node.reduce((s, r) => s + r.n, 0);
	checks.push({
		target: `≤ ${TARGETS.requestsPerItem} API requests per job on average`,
		scenario: 'all (a) runs',
		measured: `${num(totalRequests / totalItems, 2)} (${totalRequests} / ${totalItems}); per run: ${node.map((r) => `${r.regime.key}-${r.n} ${num(r.metrics.requestsPerItem, 2)}`).join(', ')}`,
		met: totalRequests / totalItems <= TARGETS.requestsPerItem,
	});
	const failed = node.reduce((s, r) => s + r.failed, 0);
	checks.push({
		target: '0 items failed (by rate limiting or otherwise)',
		scenario: 'all (a) runs',
		measured: `${failed} failed; 429s received: ${node.map((r) => `${r.regime.key}-${r.n} ${r.metrics.rateLimited}`).join(', ')}`,
		met: failed === 0,
	});
	for (const r of node) {
		checks.push({
			target: 'detection delay p50 ≤ max(1 s, 15 % of the job\'s duration)',
			scenario: scenarioName(r),
			measured: `${r.metrics.detectionMetShare === null ? '–' : Math.round(r.metrics.detectionMetShare * 100)} % of jobs within their own limit; p50 ${sec(r.metrics.detectionP50Ms)} s, p95 ${sec(r.metrics.detectionP95Ms)} s`,
			met: r.metrics.detectionMetShare !== null && r.metrics.detectionMetShare >= 0.5,
		});
	}
	for (const regime of [...new Set(node.map((r) => r.regime.title))]) {
		const big = node.find((r) => r.regime.title === regime && r.n === maxN);
		const small = node.find((r) => r.regime.title === regime && r.n === minN);
		if (!big || !big.memory || big.memoryDeltaMb === null) continue;
		checks.push({
			target: `peak RSS grows < ${TARGETS.memoryGrowthMb} MB over idle with ${maxN} images of ~8 MB`,
			scenario: `${regime}, N = ${maxN}`,
			measured: `${num(big.memory.peakRssMb, 0)} MB peak vs ${num(memory.idlePeakMb, 0)} MB idle → +${num(big.memoryDeltaMb, 0)} MB`,
			met: big.memoryDeltaMb < TARGETS.memoryGrowthMb,
		});
		if (small && small !== big && small.memory && small.memory.peakRssMb !== null && big.memory.peakRssMb !== null) {
			const growth = big.memory.peakRssMb - small.memory.peakRssMb;
			checks.push({
				target: `peak RSS does not grow with N (N = ${maxN} at most ${TARGETS.memoryNGrowthMb} MB above N = ${minN})`,
				scenario: regime,
				measured: `N = ${minN}: ${num(small.memory.peakRssMb, 0)} MB, N = ${maxN}: ${num(big.memory.peakRssMb, 0)} MB (${growth >= 0 ? '+' : ''}${num(growth, 0)} MB)`,
				met: growth <= TARGETS.memoryNGrowthMb,
			});
		}
	}
	checks.push(...shapeChecks(all), ...rateLimitedChecks(all));
	return checks;
}

/** 429s per request, over every (a) run whose rate limit is within reach (not capacity-bound's). @param {any[]} runs */
function rateLimitedChecks(runs) {
	return runs
		.filter((r) => r.regime.key !== 'capacity')
		.map((r) => ({
			target: `at most ${Math.round(TARGETS.rateLimitedPerRequest * 100)} response 429 per 100 requests`,
			scenario: scenarioName(r),
			measured: `${r.metrics.rateLimited} of ${r.metrics.apiRequests} requests`,
			met: r.metrics.rateLimited <= TARGETS.rateLimitedPerRequest * r.metrics.apiRequests,
		}));
}

/** Each non-single call shape against the single call with the same prompts. @param {any[]} runs */
function shapeChecks(runs) {
	/** @type {ReturnType<typeof checkTargets>} */
	const checks = [];
	for (const r of runs.filter((x) => x.shape !== 'single')) {
		const single = runs.find((x) => x.shape === 'single' && x.regime.key === r.regime.key && x.n === r.n);
		if (!single) continue;
		const ratio = r.metrics.requestsPerItem / single.metrics.requestsPerItem;
		checks.push({
			target: `requests per job within ${Math.round((TARGETS.shapeRequestsPerJobRatio - 1) * 100)} % of one call with every item`,
			scenario: scenarioName(r),
			measured: `${num(r.metrics.requestsPerItem, 2)} vs ${num(single.metrics.requestsPerItem, 2)} (${num(ratio, 2)} ×)`,
			met: ratio <= TARGETS.shapeRequestsPerJobRatio,
		});
		const extra = r.metrics.detectionP50Ms === null || single.metrics.detectionP50Ms === null ? null : r.metrics.detectionP50Ms - single.metrics.detectionP50Ms;
		checks.push({
			target: `detection p50 within ${sec(TARGETS.shapeDetectionP50ExtraMs)} s of one call with every item`,
			scenario: scenarioName(r),
			measured: `${sec(r.metrics.detectionP50Ms)} s vs ${sec(single.metrics.detectionP50Ms)} s`,
			met: extra !== null && extra <= TARGETS.shapeDetectionP50ExtraMs,
		});
		checks.push({ target: '0 items failed', scenario: scenarioName(r), measured: `${r.failed} failed`, met: r.failed === 0 });
	}
	return checks;
}

/** `text`, then the run's call shape unless it is the single call. @param {string} text @param {any} r */
const withShape = (text, r) => [text, SHAPES[/** @type {import('./config').Shape} */ (r.shape)].label].filter(Boolean).join(', ');

/** @param {any} r */
const scenarioName = (r) => withShape(`${r.regime.title}, N = ${r.n}`, r);

/** @param {ReturnType<typeof checkTargets>} checks */
function checksMarkdown(checks) {
	const mark = (/** @type {boolean | null} */ met) => (met === null ? '–' : met ? 'met' : '**missed**');
	return ['| target | scenario | measured | |', '| --- | --- | --- | --- |', ...checks.map((c) => `| ${c.target} | ${c.scenario} | ${c.measured} | ${mark(c.met)} |`)].join('\n');
}

/** @param {ReturnType<typeof checkTargets>} checks */
function checksText(checks) {
	return checks.map((c) => `${c.met ? 'MET   ' : 'MISSED'}  ${c.target} — ${c.scenario}: ${c.measured}`).join('\n');
}

module.exports = { row, markdownTable, textTable, checkTargets, checksMarkdown, checksText, TARGETS, FORMULA };
