// The sandbox is plain JavaScript so that scripts and real n8n can run it without a build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sandboxModule = require('../sandbox/server') as { startSandbox: (options?: object) => Promise<Sandbox> };

export interface SandboxJob {
	jobId: string;
	body: Record<string, unknown>;
	status: string;
	polls: number;
	submittedAt: number;
	startedAt?: number;
	completedAt?: number;
	firstTerminalPollAt?: number;
	detectionDelayMs?: number;
}

export interface SandboxStats {
	apiRequests: number;
	rateLimited: number;
	submitsAccepted: number;
	jobsCreated: number;
	creditsSpent: number;
	maxInFlight: number;
	maxRunning: number;
	requests: Record<string, Record<string, number>>;
	jobs: SandboxJob[];
	images: Array<{ origin: string; path: string; authorization: boolean; status: number; complete: boolean; sha256?: string }>;
	requestLog: Array<{
		at: number;
		origin: string;
		route: string;
		method: string;
		path: string;
		authorization: boolean;
		status: number | null;
		respondedAt: number | null;
		retryAfter: string | null;
	}>;
	authorizationByOrigin: Record<string, { with: number; without: number }>;
}

export interface Sandbox {
	apiUrl: string;
	imageOrigin: string;
	foreignOrigin: string;
	apiKey: string;
	stats(): SandboxStats;
	configure(options: object): void;
	addFault(fault: object): void;
	imageBytesFor(url: string): Buffer | undefined;
	reset(): void;
	close(): Promise<void>;
}

export const startSandbox = sandboxModule.startSandbox;

/** Runs a scenario against a sandbox of its own, so concurrent scenarios never share faults, logs or stats. */
export async function withSandbox<T>(options: object, scenario: (sandbox: Sandbox) => Promise<T>): Promise<T> {
	const sandbox = await startSandbox(options);
	try {
		return await scenario(sandbox);
	} finally {
		await sandbox.close();
	}
}
