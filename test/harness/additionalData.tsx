import { ExternalSecretsProxy, type ExecutionLifecycleHooks } from 'n8n-core';
import type { ICredentialsHelper, IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { UnexpectedError } from 'n8n-workflow';

const LOCAL_URL = 'http://127.0.0.1:5678';

function unsupported(feature: string): () => never {
	return () => {
		throw new UnexpectedError(`${feature} is not supported by the test harness`);
	};
}

/**
 * The per-execution services n8n's server would provide. Only what a regular
 * node touches is real (credentials, hooks, ids); sub-workflows and task
 * runners fail loudly rather than silently doing nothing.
 */
export function buildAdditionalData(options: {
	credentialsHelper: ICredentialsHelper;
	executionId: string;
	workflowId: string;
	hooks?: ExecutionLifecycleHooks;
}): IWorkflowExecuteAdditionalData {
	return {
		...options,
		currentNodeExecutionIndex: 0,
		variables: {},
		externalSecretsProxy: new ExternalSecretsProxy(),
		executeWorkflow: unsupported('Executing sub-workflows'),
		startRunnerTask: unsupported('Running task-runner code'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		restApiUrl: `${LOCAL_URL}/rest`,
		instanceBaseUrl: LOCAL_URL,
		formBaseUrl: `${LOCAL_URL}/form`,
		formWaitingBaseUrl: `${LOCAL_URL}/form-waiting`,
		formTestBaseUrl: `${LOCAL_URL}/form-test`,
		webhookBaseUrl: `${LOCAL_URL}/webhook`,
		webhookWaitingBaseUrl: `${LOCAL_URL}/webhook-waiting`,
		webhookTestBaseUrl: `${LOCAL_URL}/webhook-test`,
		mcpBaseUrl: `${LOCAL_URL}/mcp`,
		mcpTestBaseUrl: `${LOCAL_URL}/mcp-test`,
	};
}
