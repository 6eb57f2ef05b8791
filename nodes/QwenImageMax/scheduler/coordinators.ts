import { createHash } from 'crypto';

import type { Timing } from '../timing';
import { KeyCoordinator } from './keyCoordinator';

/** Keys used at once by one n8n process rarely number more than a few; past this, the longest idle go first. */
const MAX_IDLE_COORDINATORS = 50;

/**
 * The coordinators of this n8n process, one per API key and base URL. Module-level because n8n
 * creates a fresh context for every call of the node; bounded, and pruned when a call asks for
 * one, so it holds no timer and keeps no process alive. It is keyed by a hash: the key itself
 * stays in n8n's credential store and in the calls that send it.
 */
const coordinators = new Map<string, KeyCoordinator>();

export function coordinatorFor(baseUrl: string, apiKey: string, timing: Timing): KeyCoordinator {
	dropIdle(timing.coordinatorIdleMs);
	const id = createHash('sha256').update(`${baseUrl}\n${apiKey}`).digest('hex');
	let coordinator = coordinators.get(id);
	if (!coordinator) {
		coordinator = new KeyCoordinator(timing);
		coordinators.set(id, coordinator);
	}
	return coordinator;
}

function dropIdle(idleMs: number): void {
	const idle: Array<[string, KeyCoordinator]> = [];
	for (const entry of coordinators) {
		if (entry[1].isIdleFor(idleMs)) coordinators.delete(entry[0]);
		else if (entry[1].isIdleFor(0)) idle.push(entry);
	}
	idle.sort((a, b) => a[1].lastActiveAt - b[1].lastActiveAt);
	for (const [id] of idle.slice(0, Math.max(0, idle.length - MAX_IDLE_COORDINATORS))) coordinators.delete(id);
}
