import * as fs from 'node:fs';
import * as path from 'node:path';

const SANDBOX = path.resolve(__dirname, '..', 'sandbox');
const sources = fs
	.readdirSync(SANDBOX)
	.filter((file) => file.endsWith('.js'))
	.map((file) => [file, fs.readFileSync(path.join(SANDBOX, file), 'utf8')] as const);

// The sandbox stands in for the API: rules shared with the node would let the node's mistakes pass unseen.
describe('the sandbox keeps its own rules: it loads nothing of the node', () => {
	it('finds the sandbox sources', () => {
		expect(sources.map(([file]) => file)).toEqual(expect.arrayContaining(['validate.js', 'api.js', 'server.js']));
	});

	it.each(sources)('%s requires only Node built-ins, installed packages and sandbox files', (_file, source) => {
		const specifiers = [...source.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)].map((match) => match[1]);
		for (const specifier of specifiers) {
			const inSandbox = specifier.startsWith('./') && !specifier.includes('..');
			const external = !specifier.startsWith('.') && !specifier.startsWith('/') && !specifier.startsWith('n8n-nodes-pixeldojo');
			expect({ specifier, allowed: inSandbox || external }).toEqual({ specifier, allowed: true });
		}
		expect(source).not.toMatch(/nodes\/QwenImageMax|\/dist\//);
	});
});
