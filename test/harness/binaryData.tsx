import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BinaryDataConfig, BinaryDataService } from 'n8n-core';
import type { IBinaryData } from 'n8n-workflow';

import { Container } from './coreContainer';

let storagePath: string | undefined;
let service: Promise<BinaryDataService> | undefined;

// Registered at import time: Jest rejects hooks added from inside a running test.
if (typeof afterAll === 'function') {
	afterAll(() => {
		if (storagePath) rmSync(storagePath, { recursive: true, force: true });
	});
}

async function createService(): Promise<BinaryDataService> {
	storagePath = mkdtempSync(path.join(tmpdir(), 'n8n-harness-binary-'));
	// A literal config sidesteps InstanceSettings, which would touch ~/.n8n.
	const config: BinaryDataConfig = {
		mode: 'filesystem',
		availableModes: ['filesystem'],
		localStoragePath: storagePath,
		signingSecret: 'n8n-harness',
		dbMaxFileSize: 512,
		initialize: async () => {},
	};
	Container.set(BinaryDataConfig, config);
	const binaryDataService = Container.get(BinaryDataService);
	await binaryDataService.init();
	return binaryDataService;
}

/**
 * Sets up, once per test file, the filesystem-mode BinaryDataService that
 * n8n-core's binary helpers (`prepareBinaryData`, `getBinaryDataBuffer`, ...)
 * fetch from the DI container.
 */
export async function ensureBinaryDataService(): Promise<BinaryDataService> {
	service ??= createService();
	return await service;
}

/** Reads binary data back the way `this.helpers.getBinaryDataBuffer` does. */
export async function readBinaryData(binaryData: IBinaryData): Promise<Buffer> {
	const binaryDataService = await ensureBinaryDataService();
	return await binaryDataService.getAsBuffer(binaryData);
}
