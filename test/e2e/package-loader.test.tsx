import fs from 'node:fs';
import path from 'node:path';

import { PackageDirectoryLoader } from 'n8n-core';

import { packed } from './support/context';

// The loader n8n runs on every installed community package, here in process (n8n-core 2.41 from
// the devDependencies) on the unpacked tarball: what `files` and the `n8n` section really ship.

/** n8n serves `icons/<package>/<path>` from the package folder. */
const iconFile = (iconUrl: string) => path.join(packed.dir, iconUrl.replace(/^icons\/n8n-nodes-pixeldojo\//, ''));

let loader: PackageDirectoryLoader;

beforeAll(async () => {
	loader = new PackageDirectoryLoader(packed.dir);
	await loader.loadAll();
});

it('finds node qwenImageMax and credential pixelDojoApi, as the package names them', () => {
	expect(loader.packageName).toBe('n8n-nodes-pixeldojo');
	expect(Object.keys(loader.known.nodes)).toEqual(['qwenImageMax']);
	expect(Object.keys(loader.known.credentials)).toEqual(['pixelDojoApi']);
	expect(loader.known.credentials.pixelDojoApi.supportedNodes).toEqual(['qwenImageMax']);
	expect(loader.types.nodes.map((n) => [n.name, n.version, n.usableAsTool])).toEqual([['qwenImageMax', 1, true]]);
});

it('resolves the node and credential icons to files in the package (light and dark)', () => {
	const [node] = loader.types.nodes;
	const [credential] = loader.types.credentials;
	for (const iconUrl of [node.iconUrl, credential.iconUrl]) {
		expect(iconUrl).toEqual({ light: expect.stringMatching(/\.svg$/), dark: expect.stringMatching(/\.dark\.svg$/) });
		const { light, dark } = iconUrl as { light: string; dark: string };
		for (const url of [light, dark]) expect(fs.readFileSync(iconFile(url), 'utf8')).toContain('<svg');
	}
});

it('reads the codex from the packed .node.json', () => {
	const [node] = loader.types.nodes;
	expect(node.codex).toMatchObject({
		categories: expect.arrayContaining(['AI']),
		resources: { primaryDocumentation: [{ url: expect.stringContaining('pixeldojo.ai') }] },
	});
	const codexFile = path.join(packed.dir, 'dist/nodes/QwenImageMax/QwenImageMax.node.json');
	expect(JSON.parse(fs.readFileSync(codexFile, 'utf8')).node).toBe('n8n-nodes-pixeldojo.qwenImageMax');
});
