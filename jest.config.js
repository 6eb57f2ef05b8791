/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	// Test code is .tsx so that `n8n-node lint` (whose config lints **/*.ts with the rules for node
	// code: no fs, no process, no setTimeout...) leaves it alone; .test.ts still runs, and fails lint.
	testMatch: ['**/*.test.ts?(x)'],
	// Real n8n end to end has its own config (long timeouts, one file at a time): test/e2e/jest.config.js.
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
	// Type errors are the typecheck script's job; ts-jest only transpiles, which keeps the suite fast.
	transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }] },
	testTimeout: 60000,
};
