import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import type {
	ICredentialType,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	INPUT_ITEMS_NODE_TYPE,
	PASS_THROUGH_NODE_TYPE,
	linearWorkflow,
	makeCredentialTestRunner,
	runNodeWorkflow,
} from './index';

const IMAGE_BYTES = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x10]);
const API_KEY = 'secret-key';
const ME_STATUS: Record<string, number> = { [`Bearer ${API_KEY}`]: 200, 'Bearer banned': 403 };

/** Loopback stand-in for a remote API; remembers the Authorization header of every request. */
class LocalApi {
	readonly authorizations: Array<string | undefined> = [];
	private server?: Server;
	private onHang?: () => void;

	get baseUrl(): string {
		const { port } = this.server?.address() as AddressInfo;
		return `http://127.0.0.1:${port}`;
	}

	async start(): Promise<void> {
		this.server = createServer((req, res) => this.handle(req, res));
		await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
	}

	async stop(): Promise<void> {
		this.server?.closeAllConnections();
		await new Promise((resolve) => this.server?.close(resolve));
	}

	/** Resolves once a request to /hang arrives, i.e. a node is mid-request. */
	hangReached(): Promise<void> {
		return new Promise((resolve) => (this.onHang = resolve));
	}

	private handle(req: IncomingMessage, res: ServerResponse): void {
		const url = new URL(req.url ?? '/', this.baseUrl);
		this.authorizations.push(req.headers.authorization);
		switch (url.pathname) {
			case '/echo':
				res.setHeader('content-type', 'application/json');
				res.end(JSON.stringify({ x: url.searchParams.get('x') }));
				return;
			case '/image':
				res.setHeader('content-type', 'image/png');
				res.end(IMAGE_BYTES);
				return;
			case '/me':
				res.statusCode = ME_STATUS[req.headers.authorization ?? ''] ?? 401;
				res.end('{}');
				return;
			case '/hang':
				this.onHang?.();
				return;
			default:
				res.statusCode = 500;
				res.end('{"message":"server exploded"}');
		}
	}
}

const testApiCredential: ICredentialType = {
	name: 'harnessTestApi',
	displayName: 'Harness Test API',
	properties: [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: 'http://unused.invalid' },
	],
	authenticate: {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	},
	test: {
		request: { baseURL: '={{$credentials.baseUrl}}', url: '/me' },
		rules: [{ type: 'responseCode', properties: { value: 401, message: 'Invalid API key' } }],
	},
};

const probeDescription: INodeTypeDescription = {
	displayName: 'Probe',
	name: 'probe',
	group: ['transform'],
	version: 1,
	description: 'Exercises the execute-context helpers',
	defaults: { name: 'Probe' },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: 'harnessTestApi', required: true }],
	properties: [{ displayName: 'Value', name: 'value', type: 'string', default: '' }],
};

/**
 * Throwaway node: per item it resolves `value`, calls the API with credentials
 * and stores the image twice (Buffer and stream). It walks items backwards so
 * its pairedItem differs from its output position.
 */
class Probe implements INodeType {
	description = probeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		for (let i = items.length - 1; i >= 0; i--) {
			try {
				output.push({ ...(await probeItem(this, i)), pairedItem: { item: i } });
			} catch (error) {
				if (!this.continueOnFail()) throw error;
				output.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
			}
		}
		return [output];
	}
}

async function probeItem(ctx: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const value = ctx.getNodeParameter('value', itemIndex) as string;
	const { baseUrl } = await ctx.getCredentials<{ baseUrl: string }>('harnessTestApi', itemIndex);
	const request = (path: string, extra: object = {}) =>
		ctx.helpers.httpRequestWithAuthentication.call(ctx, 'harnessTestApi', {
			url: `${baseUrl}${path}`,
			...extra,
		});

	const echoPath = value === 'boom' ? '/fail' : '/echo';
	const echo = (await request(echoPath, { qs: { x: value }, json: true })) as { x: string };
	const bytes = (await request('/image', { encoding: 'arraybuffer' })) as Buffer;
	const stream = (await request('/image', { encoding: 'stream' })) as Readable;
	return {
		json: { value, echoed: echo.x },
		binary: {
			fromBuffer: await ctx.helpers.prepareBinaryData(
				Buffer.from(bytes),
				'buffer.png',
				'image/png',
			),
			fromStream: await ctx.helpers.prepareBinaryData(stream, 'stream.png', 'image/png'),
		},
	};
}

/** Throwaway node that blocks on a request only the execution cancel signal can end. */
class Hang implements INodeType {
	description: INodeTypeDescription = {
		...probeDescription,
		displayName: 'Hang',
		name: 'hang',
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const { baseUrl } = await this.getCredentials<{ baseUrl: string }>('harnessTestApi');
		await this.helpers.httpRequest({
			url: `${baseUrl}/hang`,
			abortSignal: this.getExecutionCancelSignal(),
		});
		return [[{ json: { finished: true } }]];
	}
}

const nodeTypes = { 'test.probe': new Probe(), 'test.hang': new Hang() };
const credentialTypes = { harnessTestApi: testApiCredential };
const credentialRef = { harnessTestApi: { id: '1', name: 'Harness Test API' } };
const inputItems = [{ json: { x: 'a' } }, { json: { x: 'b' } }, { json: { x: 'boom' } }];

describe('test harness (n8n-core WorkflowExecute)', () => {
	const api = new LocalApi();
	beforeAll(async () => await api.start());
	afterAll(async () => await api.stop());
	beforeEach(() => (api.authorizations.length = 0));

	const credentials = () => ({ harnessTestApi: { apiKey: API_KEY, baseUrl: api.baseUrl } });

	function probeWorkflow(continueOnFail: boolean) {
		return linearWorkflow(
			{ name: 'Input Items', type: INPUT_ITEMS_NODE_TYPE },
			{
				name: 'Probe',
				type: 'test.probe',
				parameters: { value: '={{ $json.x }}' },
				credentials: credentialRef,
				onError: continueOnFail ? 'continueRegularOutput' : 'stopWorkflow',
			},
			{
				name: 'Downstream',
				type: PASS_THROUGH_NODE_TYPE,
				parameters: { note: "={{ $('Input Items').item.json.x }}" },
			},
		);
	}

	it('runs a node with real auth, expressions, binary data, continueOnFail and pairedItem', async () => {
		const result = await runNodeWorkflow({
			nodeTypes,
			credentialTypes,
			credentials: credentials(),
			workflow: probeWorkflow(true),
			inputItems,
		});

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(api.authorizations.length).toBeGreaterThan(0);
		expect(api.authorizations.every((header) => header === `Bearer ${API_KEY}`)).toBe(true);

		const probe = result.outputOf('Probe');
		expect(probe.map((item) => item.json.value ?? item.json.error)).toEqual([
			'The service was not able to process your request',
			'b',
			'a',
		]);
		expect(probe.map((item) => item.json.echoed)).toEqual([undefined, 'b', 'a']);
		expect(probe.map((item) => item.pairedItem)).toEqual([{ item: 2 }, { item: 1 }, { item: 0 }]);

		for (const item of probe.slice(1)) {
			const { fromBuffer, fromStream } = item.binary ?? {};
			expect(fromBuffer.id).toMatch(/^filesystem-v2:/);
			expect(fromStream.id).toMatch(/^filesystem-v2:/);
			expect(await result.binaryBytes(fromBuffer)).toEqual(IMAGE_BYTES);
			expect(await result.binaryBytes(fromStream)).toEqual(IMAGE_BYTES);
		}

		const downstream = result.outputOf('Downstream');
		expect(downstream.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		// Resolving $('Input Items').item walks pairedItem back through Probe.
		expect(downstream.map((item) => item.json.note)).toEqual(['boom', 'b', 'a']);
	});

	it('fails the execution when the node throws without continueOnFail', async () => {
		const result = await runNodeWorkflow({
			nodeTypes,
			credentialTypes,
			credentials: credentials(),
			workflow: probeWorkflow(false),
			inputItems,
		});

		expect(result.status).toBe('error');
		expect(result.error?.message).toBeDefined();
		expect(result.nodeError('Probe')?.message).toBe(result.error?.message);
		expect(() => result.outputOf('Downstream')).toThrow('did not run');
	});

	it('aborts the node through the execution cancel signal', async () => {
		const controller = new AbortController();
		void api.hangReached().then(() => controller.abort());

		const result = await runNodeWorkflow({
			nodeTypes,
			credentialTypes,
			credentials: credentials(),
			workflow: linearWorkflow({ name: 'Hang', type: 'test.hang', credentials: credentialRef }),
			abortSignal: controller.signal,
		});

		expect(result.status).toBe('canceled');
		// The in-flight request itself was aborted (axios ERR_CANCELED), not merely abandoned.
		expect(result.nodeError('Hang')?.message).toBe('canceled');
	}, 5000);

	it('tests credentials like n8n: OK on 2xx, rule message or status text otherwise', async () => {
		const testCredential = makeCredentialTestRunner(credentialTypes);

		await expect(
			testCredential('harnessTestApi', { apiKey: API_KEY, baseUrl: api.baseUrl }),
		).resolves.toEqual({ status: 'OK', message: 'Connection successful!' });
		await expect(
			testCredential('harnessTestApi', { apiKey: 'wrong', baseUrl: api.baseUrl }),
		).resolves.toEqual({ status: 'Error', message: 'Invalid API key' });
		await expect(
			testCredential('harnessTestApi', { apiKey: 'banned', baseUrl: api.baseUrl }),
		).resolves.toEqual({ status: 'Error', message: 'Forbidden' });
		// n8n resends once on 401 (its refresh-and-resend path), hence the Set.
		expect(new Set(api.authorizations)).toEqual(
			new Set([`Bearer ${API_KEY}`, 'Bearer wrong', 'Bearer banned']),
		);
	});
});
