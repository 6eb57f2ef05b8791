import { ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialsDecrypted,
	IDataObject,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';
import { NodeConnectionTypes, Workflow, createRunExecutionData } from 'n8n-workflow';

import { buildAdditionalData } from './additionalData';
import {
	type CredentialTypeMap,
	CredentialTypeRegistry,
	HarnessCredentialsHelper,
} from './credentials';
import { NodeTypeRegistry } from './nodeTypes';

export type CredentialTestRunner = (
	credentialType: string,
	data: ICredentialDataDecryptedObject,
) => Promise<INodeCredentialTestResult>;

const TEST_NODE_TYPE = 'harness.credentialTest';
const CONNECTION_OK: INodeCredentialTestResult = {
	status: 'OK',
	message: 'Connection successful!',
};

/**
 * Runs a credential type's declarative `test` the way n8n's CredentialsTester
 * does: through a RoutingNode on a throwaway node whose only property routes
 * the test request, so `authenticate` and expressions apply as in n8n.
 */
export function makeCredentialTestRunner(credentialTypes: CredentialTypeMap): CredentialTestRunner {
	const registry = new CredentialTypeRegistry(credentialTypes);
	return async (credentialType, data) => {
		const { test } = registry.getByName(credentialType);
		if (!test) {
			return { status: 'Error', message: 'No testing function found for this credential.' };
		}

		const credentialsHelper = new HarnessCredentialsHelper(registry, { [credentialType]: data });
		const credentials: ICredentialsDecrypted = {
			id: 'harness-credential',
			name: credentialType,
			type: credentialType,
			data: credentialsHelper.applyDefaults(credentialType, data),
		};
		try {
			const response = await runTestRequest(credentialsHelper, credentials, test);
			return checkSuccessBody(test, response?.[0]?.[0]) ?? CONNECTION_OK;
		} catch (error) {
			return describeFailure(test, error);
		}
	};
}

async function runTestRequest(
	credentialsHelper: HarnessCredentialsHelper,
	credentials: ICredentialsDecrypted,
	test: ICredentialTestRequest,
): Promise<INodeExecutionData[][] | undefined> {
	const nodeType = testNodeType(credentials.type, test);
	const node: INode = {
		id: 'harness-credential-test',
		name: 'Temp-Node',
		type: TEST_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credentials.type]: { id: credentials.id, name: credentials.name } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new NodeTypeRegistry({ [TEST_NODE_TYPE]: nodeType }),
	});
	const additionalData = buildAdditionalData({
		credentialsHelper,
		executionId: 'credential-test',
		workflowId: workflow.id,
	});
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	return await new RoutingNode(context, nodeType, credentials).runNode();
}

function testNodeType(credentialType: string, test: ICredentialTestRequest): INodeType {
	return {
		description: {
			displayName: 'Credential Test',
			name: TEST_NODE_TYPE,
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'Credential Test' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: credentialType, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					default: '',
					routing: { request: test.request },
				},
			],
		},
	};
}

/** `responseSuccessBody` rules flag a 2xx whose body still signals failure. */
function checkSuccessBody(
	test: ICredentialTestRequest,
	item: INodeExecutionData | undefined,
): INodeCredentialTestResult | undefined {
	for (const rule of test.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		if (valueAtPath(item?.json, rule.properties.key) === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return undefined;
}

/** What n8n's request errors carry in `cause`: the underlying axios error. */
interface RequestFailure {
	cause?: { code?: string; response?: { status: number; statusText?: string } };
}

function describeFailure(test: ICredentialTestRequest, error: unknown): INodeCredentialTestResult {
	const { cause } = error as RequestFailure;
	const response = cause?.response;
	if (response) {
		for (const rule of test.rules ?? []) {
			if (rule.type === 'responseCode' && rule.properties.value === response.status) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
		if (response.status < 200 || response.status > 299) {
			return {
				status: 'Error',
				message: response.statusText || `Received HTTP status code: ${response.status}`,
			};
		}
	} else if (cause?.code) {
		return { status: 'Error', message: cause.code };
	}
	return { status: 'Error', message: error instanceof Error ? error.message : String(error) };
}

function valueAtPath(data: IDataObject | undefined, path: string): unknown {
	return path
		.split('.')
		.reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], data);
}
