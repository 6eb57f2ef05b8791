export { readBinaryData } from './binaryData';
export { makeCredentialTestRunner, type CredentialTestRunner } from './credentialTest';
export type { CredentialDataMap, CredentialTypeMap } from './credentials';
export { INPUT_ITEMS_NODE_TYPE, PASS_THROUGH_NODE_TYPE, type NodeTypeMap } from './nodeTypes';
export {
	linearWorkflow,
	runNodeWorkflow,
	type RunNodeWorkflowOptions,
	type WorkflowRunResult,
	type WorkflowSpec,
} from './runWorkflow';
