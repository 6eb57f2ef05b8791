import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

import type { ESLint } from 'eslint';
import { Linter } from 'eslint';
import type { INodeProperties } from 'n8n-workflow';

import { generationFields } from '../../nodes/QwenImageMax/description/generationFields';
import { optionsField } from '../../nodes/QwenImageMax/description/options';

// The repository's lint config is n8n's own (`n8n-node lint`); its node-parameter rules read
// object literals, so they cannot see properties derived from the field tables. This test
// writes the derived properties out as literals and runs those same rules on them.
const CLI_CONFIG = require.resolve('@n8n/node-cli/eslint');
const fromCli = createRequire(CLI_CONFIG);
const parser = (fromCli('typescript-eslint') as { parser: Linter.Parser }).parser;
const plugins = { 'n8n-nodes-base': fromCli('eslint-plugin-n8n-nodes-base') as ESLint.Plugin };
// That config is an ES module graph jest cannot load; plain Node can, and hands over the rules of nodes/.
const nodeRules = JSON.parse(
	execFileSync(
		process.execPath,
		['-e', `const { config } = require(${JSON.stringify(CLI_CONFIG)}); process.stdout.write(JSON.stringify(config.find((entry) => entry.files?.includes('./nodes/**/*.ts')).rules));`],
		{ encoding: 'utf8' },
	),
) as Linter.RulesRecord;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A value as TypeScript source: keys unquoted where they can be, as a hand-written description would be. */
function toSource(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(toSource).join(', ')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value).filter(([, v]) => v !== undefined);
		return `{ ${entries.map(([key, v]) => `${IDENTIFIER.test(key) ? key : JSON.stringify(key)}: ${toSource(v)}`).join(', ')} }`;
	}
	return JSON.stringify(value);
}

function lint(properties: INodeProperties[]): string[] {
	const source = `import type { INodeProperties } from 'n8n-workflow';\n\nexport const properties: INodeProperties[] = ${toSource(properties)};\n`;
	const messages = new Linter({ configType: 'flat' }).verify(
		source,
		[{ files: ['**/*.ts'], languageOptions: { parser }, plugins, rules: nodeRules }],
		'nodes/QwenImageMax/Derived.node.ts',
	);
	return messages.map((message) => `${message.ruleId}: ${message.message}`);
}

describe("the derived description passes n8n's node-parameter lint rules", () => {
	it('finds the rules', () => {
		expect(Object.keys(nodeRules)).toEqual(
			expect.arrayContaining(['n8n-nodes-base/node-param-options-type-unsorted-items', 'n8n-nodes-base/node-param-description-boolean-without-whether']),
		);
	});

	it('reports a broken property (so a clean result means something)', () => {
		const broken: INodeProperties = { displayName: 'go fast', name: 'goFast', type: 'boolean', default: false, description: 'Trades quality for speed.' };
		expect(lint([broken]).join('\n')).toMatch(/node-param-description-boolean-without-whether/);
	});

	it('generation fields', () => {
		expect(lint(generationFields)).toEqual([]);
	});

	it('options', () => {
		expect(lint([optionsField])).toEqual([]);
	});
});
