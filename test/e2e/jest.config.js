// Real n8n end to end (npm run test:e2e:v2 / test:e2e:v1). Every n8n command boots n8n (10 s or
// more on 2 cores), so the files run one at a time, in this process, with generous timeouts.
/** @type {import('jest').Config} */
module.exports = {
	rootDir: '../..',
	preset: 'ts-jest',
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/e2e/**/*.test.ts?(x)'],
	transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }] },
	// The packed package has no node_modules of its own: like n8n (which prepends its own
	// node_modules to NODE_PATH), the in-process loader test resolves n8n-workflow and zod from the host.
	modulePaths: ['<rootDir>/node_modules'],
	globalSetup: '<rootDir>/test/e2e/globalSetup.js',
	globalTeardown: '<rootDir>/test/e2e/globalTeardown.js',
	maxWorkers: 1,
	testTimeout: 300_000,
	verbose: true,
};
