// @ts-check
'use strict';

// Finds the n8n process a `home.execute()` call spawned and samples its memory from /proc.
// n8n-cli.js does not hand out that child's pid, so the child is found by its parent (this
// process) and its command line (`execute --id=<workflow id>`); `n8n start` gives its pid.

const fs = require('node:fs');

/** @param {number} pid @returns {{ ppid: number } | null} */
function statOf(pid) {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name is in parentheses and may contain spaces: parse after the last ')'.
		const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return { ppid: Number(rest[1]) };
	} catch {
		return null;
	}
}

/** @param {number} pid */
function cmdlineOf(pid) {
	try {
		return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
	} catch {
		return [];
	}
}

/** @returns {number[]} */
function allPids() {
	return fs
		.readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name))
		.map(Number);
}

/** Direct children of `parent`. @param {number} parent */
function childrenOf(parent) {
	return allPids().filter((pid) => statOf(pid)?.ppid === parent);
}

/** All descendants of `root` (not root itself). @param {number} root */
function descendantsOf(root) {
	const byParent = new Map();
	for (const pid of allPids()) {
		const st = statOf(pid);
		if (!st) continue;
		if (!byParent.has(st.ppid)) byParent.set(st.ppid, []);
		byParent.get(st.ppid).push(pid);
	}
	const out = [];
	const stack = [...(byParent.get(root) ?? [])];
	while (stack.length) {
		const pid = stack.pop();
		out.push(pid);
		stack.push(...(byParent.get(pid) ?? []));
	}
	return out;
}

/**
 * kB values of VmRSS and VmHWM (peak RSS since the process started), or null once it is gone.
 * @param {number} pid
 */
function memoryOf(pid) {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = (/** @type {string} */ field) => {
			const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
			return m ? Number(m[1]) : 0;
		};
		return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
	} catch {
		return null;
	}
}

/**
 * Samples, every `intervalMs`, the RSS of the n8n child of this process whose command line
 * contains `marker` (or whose pid it is), and the summed RSS of that child's own children
 * (n8n 2.x's task runner).
 * @param {string | number} marker e.g. `--id=<workflow id>`, or the pid of a running `n8n start`
 * @param {number} [intervalMs]
 */
function startMemorySampler(marker, intervalMs = 100) {
	/** @type {number | null} */
	let pid = typeof marker === 'number' ? marker : null;
	/** @type {Array<{ at: number, rssKb: number, childrenRssKb: number }>} */
	const samples = [];
	let lastHwmKb = 0;
	let tick = 0;
	const timer = setInterval(() => {
		if (pid === null) {
			pid = childrenOf(process.pid).find((p) => cmdlineOf(p).some((arg) => arg.includes(String(marker)))) ?? null;
			if (pid === null) return;
		}
		const mem = memoryOf(pid);
		if (!mem) return;
		lastHwmKb = Math.max(lastHwmKb, mem.hwmKb);
		// Children are looked up less often: a /proc scan costs more than one status read.
		let childrenRssKb = samples.length ? samples[samples.length - 1].childrenRssKb : 0;
		if (tick++ % 10 === 0) {
			childrenRssKb = descendantsOf(pid).reduce((sum, child) => sum + (memoryOf(child)?.rssKb ?? 0), 0);
		}
		samples.push({ at: Date.now(), rssKb: mem.rssKb, childrenRssKb });
	}, intervalMs);
	return {
		get pid() {
			return pid;
		},
		stop() {
			clearInterval(timer);
			return { pid, samples, hwmKb: lastHwmKb };
		},
	};
}

module.exports = { startMemorySampler, memoryOf };
