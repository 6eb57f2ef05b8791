import path from 'node:path';

type Class<T> = abstract new (...args: never[]) => T;

/** The subset of `@n8n/di`'s container the harness needs. */
export interface DiContainer {
	get<T>(type: Class<T>): T;
	set<T>(type: Class<T>, instance: T): void;
}

/**
 * The DI container n8n-core itself resolves services from.
 *
 * n8n-core ships its own nested `@n8n/di`, while the top-level copy belongs to
 * `@n8n/node-cli`. Each copy holds a separate registry, so registering a
 * service in the top-level one would be invisible to `prepareBinaryData` & co.
 * Resolving from n8n-core's directory (through the runtime's `require`, so
 * Jest's module registry stays shared with n8n-core) picks the right copy.
 */
function loadCoreContainer(): DiContainer {
	const coreDir = path.dirname(require.resolve('n8n-core'));
	const diPath = require.resolve('@n8n/di', { paths: [coreDir] });
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return (require(diPath) as { Container: DiContainer }).Container;
}

// n8n's ErrorReporter logs every failing node's stack trace; tests provoke such
// failures on purpose. Set before the container builds its Logger; an explicit
// N8N_LOG_LEVEL still wins.
process.env.N8N_LOG_LEVEL ??= 'silent';

export const Container = loadCoreContainer();
