import type { Sandbox } from '../support/sandbox';
import { startSandbox } from '../support/sandbox';
import { runQwen } from '../support/runQwen';

// n8n adds "Custom API Call" (value __CUSTOM_API_CALL__) to the Operation list of nodes whose
// credential uses generic auth. Run with it, the node points at the HTTP Request node.
let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ jobDurationMs: 100 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

describe('Operation "Custom API Call"', () => {
	it.each([false, true])('fails the node with a pointer to the HTTP Request node (Continue On Fail %s), sending nothing', async (continueOnFail) => {
		const result = await runQwen({
			baseUrl: sandbox.apiUrl,
			apiKey: sandbox.apiKey,
			parameters: { operation: '__CUSTOM_API_CALL__', prompt: 'a red fox' } as never,
			items: [{}, {}],
			continueOnFail,
		});
		expect(result.failure).toBe('"Custom API Call" is not an operation of this node: use the HTTP Request node for it');
		expect(result.failure).not.toMatch(/__CUSTOM_API_CALL__|not supported/);
		expect(result.nodeError('Qwen Image Max')?.description).toMatch(/"Predefined Credential Type" and Credential Type to "PixelDojo API"/);
		expect(sandbox.stats().apiRequests).toBe(0);
	});
});
