import { getAdditionalKeys } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	Workflow,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	ICredentialsHelper,
	NodeHelpers,
	UnexpectedError,
	UserError,
	isExpression,
} from 'n8n-workflow';

export type CredentialTypeMap = Record<string, ICredentialType>;
export type CredentialDataMap = Record<string, ICredentialDataDecryptedObject>;

export class CredentialTypeRegistry {
	constructor(private readonly types: CredentialTypeMap) {}

	getByName(name: string): ICredentialType {
		const type = this.types[name];
		if (!type) throw new UnexpectedError(`Unknown credential type "${name}"`);
		return type;
	}

	getParentTypes(name: string): string[] {
		return (this.getByName(name).extends ?? []).flatMap((parent) => [
			parent,
			...this.getParentTypes(parent),
		]);
	}

	/** Own properties layered over those of the types it extends, as n8n merges them. */
	getProperties(name: string): INodeProperties[] {
		const type = this.getByName(name);
		const merged: INodeProperties[] = [];
		for (const parent of type.extends ?? []) {
			NodeHelpers.mergeNodeProperties(merged, this.getProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(merged, type.properties);
		return merged;
	}
}

type RequestOptionsBag = Record<string, unknown>;

/**
 * Stands in for n8n's CredentialsHelper (packages/cli), minus the database:
 * credential data comes from the test, while defaults, expression resolution
 * and the credential type's `authenticate` are applied the way n8n does.
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly types: CredentialTypeRegistry,
		private readonly data: CredentialDataMap,
	) {
		super();
	}

	getParentTypes(name: string): string[] {
		return this.types.getParentTypes(name);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.types.getProperties(type);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		const type = this.types.getByName(credentialType);
		if (!type.restrictToSupportedNodes) return true;
		// supportedNodes lists short names ("qwenImageMax"), nodeType is package-qualified.
		const shortName = nodeType.slice(nodeType.lastIndexOf('.') + 1);
		return type.supportedNodes?.includes(shortName) ?? false;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.types.getByName(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (authenticate?.type === 'generic') {
			if (!workflow || !node) {
				throw new UnexpectedError('Generic credential authentication needs workflow and node');
			}
			const resolve = (value: string) => resolveWithCredentials(value, credentials, workflow, node);
			// Targets are named by the credential type, so address the options by key.
			const bag = requestOptions as unknown as RequestOptionsBag;
			for (const [target, entries] of Object.entries(authenticate.properties)) {
				// Only keyed targets (headers, qs, body, auth) carry key/value pairs.
				if (typeof entries !== 'object' || entries === null) continue;
				const targetBag = (bag[target] ??= {}) as RequestOptionsBag;
				for (const [key, value] of Object.entries(entries)) {
					targetBag[resolve(key)] = typeof value === 'string' ? resolve(value) : value;
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.data[type];
		if (!stored) throw new UserError(`The harness was given no credentials of type "${type}"`);
		if (raw === true) return { ...stored };

		const withDefaults = this.applyDefaults(type, stored);
		if (!expressionResolveValues) return withDefaults;

		const { workflow, runExecutionData, runIndex, itemIndex, node, connectionInputData } =
			expressionResolveValues;
		return workflow.expression.getParameterValue(
			withDefaults as INodeParameters,
			runExecutionData,
			runIndex,
			itemIndex,
			node.name,
			connectionInputData,
			mode,
			getAdditionalKeys(additionalData, mode, null, { isCredential: true }),
			executeData,
			false,
			withDefaults,
		) as ICredentialDataDecryptedObject;
	}

	/** Fills unset properties from the credential type and drops unknown ones, as n8n does. */
	applyDefaults(
		type: string,
		data: ICredentialDataDecryptedObject,
	): ICredentialDataDecryptedObject {
		const parameters = NodeHelpers.getNodeParameters(
			this.types.getProperties(type),
			data as INodeParameters,
			true,
			false,
			null,
			null,
		);
		return (parameters ?? {}) as ICredentialDataDecryptedObject;
	}

	/** Mirrors n8n: refresh an expirable token when it is empty or the server rejected it. */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.types.getByName(typeName);
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;

		const output = (await type.preAuthentication.call(
			helpers,
			credentials,
		)) as ICredentialDataDecryptedObject;
		if (output[expirable.name] === undefined) return undefined;
		this.data[typeName] = { ...this.data[typeName], ...output };
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const { preAuthentication } = this.types.getByName(typeName);
		if (typeof preAuthentication !== 'function') return undefined;
		return (await preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
	}

	async getCredentials(): Promise<ICredentials> {
		// n8n-core's Credentials class encrypts through InstanceSettings (~/.n8n); nothing
		// the harness runs needs the encrypted form.
		throw new UnexpectedError('Encrypted credentials are not available in the harness');
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.data[type] = data;
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.data[type] = { ...this.data[type], oauthTokenData: data.oauthTokenData };
	}
}

/** Resolves `=...{{$credentials.x}}` the way n8n's CredentialsHelper.resolveValue does. */
function resolveWithCredentials(
	value: string,
	credentials: ICredentialDataDecryptedObject,
	workflow: Workflow,
	node: INode,
): string {
	if (!isExpression(value)) return value;
	const resolved = workflow.expression.getSimpleParameterValue(
		node,
		value,
		'internal',
		{ $credentials: credentials },
		undefined,
		'',
	);
	return resolved ? resolved.toString() : '';
}
