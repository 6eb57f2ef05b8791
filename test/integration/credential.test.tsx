import { PixelDojoApi } from '../../credentials/PixelDojoApi.credentials';
import { makeCredentialTestRunner } from '../harness';
import type { Sandbox } from '../support/sandbox';
import { startSandbox } from '../support/sandbox';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const testCredential = makeCredentialTestRunner({ pixelDojoApi: new PixelDojoApi() });

describe('PixelDojo API credential test', () => {
	it('accepts the right key, with or without a trailing slash on the base URL', async () => {
		for (const baseUrl of [sandbox.apiUrl, `${sandbox.apiUrl}/`]) {
			const result = await testCredential('pixelDojoApi', { apiKey: sandbox.apiKey, baseUrl });
			expect(result.status).toBe('OK');
		}
	});

	it('tells a wrong key apart, with a message saying so', async () => {
		const result = await testCredential('pixelDojoApi', { apiKey: 'wrong-key', baseUrl: sandbox.apiUrl });
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/rejected the API key/) });
	});

	it('creates no job and spends no credits', async () => {
		await testCredential('pixelDojoApi', { apiKey: sandbox.apiKey, baseUrl: sandbox.apiUrl });
		const stats = sandbox.stats();
		expect(stats.jobsCreated).toBe(0);
		expect(stats.creditsSpent).toBe(0);
		expect(stats.requests.models).toBeDefined();
	});
});
