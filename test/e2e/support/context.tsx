import { createN8nHome } from '../../../scripts/n8n-cli';
import type { prepareRuntime } from '../../../scripts/n8n-runtime';

export type Runtime = Awaited<ReturnType<typeof prepareRuntime>>;
export type N8nHome = ReturnType<typeof createN8nHome>;
export type N8nRun = Awaited<ReturnType<N8nHome['execute']>>;

/** Set by globalSetup.js: the cached n8n runtime and the package packed as published. */
function fromSetup<T>(name: string): T {
	const value = process.env[name];
	if (!value) throw new Error(`${name} is not set: run the e2e tests with -c test/e2e/jest.config.js`);
	return JSON.parse(value) as T;
}

export const runtime = fromSetup<Runtime>('PIXELDOJO_E2E_RUNTIME');
export const packed = fromSetup<{ tarball: string; dir: string }>('PIXELDOJO_E2E_PACKED');
export const n8nMajor = Number(runtime.n8nVersion.split('.')[0]);

export const QWEN_NODE_TYPE = 'n8n-nodes-pixeldojo.qwenImageMax';

/**
 * A fresh n8n home with the package installed from its tarball, the way n8n installs a
 * community package: nothing of the repo (no dist/, no node_modules) is visible to n8n.
 */
export async function createInstalledHome(env: Record<string, string> = {}) {
	const home = createN8nHome({ runtime, env });
	const installed = await home.installCommunityPackage(packed.tarball);
	return { home, installed };
}
