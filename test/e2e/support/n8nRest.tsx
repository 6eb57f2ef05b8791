// n8n's own REST API, as its editor calls it: the owner account, Data Tables, executions. What a
// user does by hand in the editor before a run, and what the tests read back after it.

export const OWNER = { email: 'owner@example.com', firstName: 'Ada', lastName: 'Lovelace', password: 'PixelDojo-e2e-1' };

export interface DataTableRow {
	id: number;
	[column: string]: unknown;
}

export interface ExecutionSummary {
	id: string;
	status: string;
	mode: string;
}

/** A signed-in owner of the n8n at `url`. n8n binds its auth cookie to a browser id, so every request sends the same one. */
export interface OwnerSession {
	request<T>(method: string, path: string, body?: unknown): Promise<T>;
	projectId: string;
}

const BROWSER_ID = 'pixeldojo-e2e-browser';

async function call<T>(url: string, method: string, path: string, { cookie, body }: { cookie?: string; body?: unknown }): Promise<{ data: T; cookie?: string }> {
	const response = await fetch(`${url}/rest${path}`, {
		method,
		headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID, ...(cookie ? { cookie } : {}) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`n8n ${method} /rest${path} answered ${response.status}: ${text.slice(0, 500)}`);
	const setCookie = response.headers.get('set-cookie')?.split(';')[0];
	return { data: (text ? (JSON.parse(text) as { data: T }).data : undefined) as T, cookie: setCookie };
}

/** Creates the owner account on a new n8n (its setup page does the same) and signs in; on an n8n that has one, signs in. */
export async function ownerSession(url: string): Promise<OwnerSession> {
	const settings = await call<{ userManagement: { showSetupOnFirstLoad?: boolean } }>(url, 'GET', '/settings', {});
	const signedIn = settings.data.userManagement.showSetupOnFirstLoad
		? await call(url, 'POST', '/owner/setup', { body: OWNER })
		: // 2.x names the field emailOrLdapLoginId; 1.x, email.
			await call(url, 'POST', '/login', { body: { email: OWNER.email, emailOrLdapLoginId: OWNER.email, password: OWNER.password } });
	const cookie = signedIn.cookie;
	if (!cookie) throw new Error('n8n signed the owner in without a cookie');
	const request = async <T,>(method: string, path: string, body?: unknown) => (await call<T>(url, method, path, { cookie, body })).data;
	const project = await request<{ id: string }>('GET', '/projects/personal');
	return { request, projectId: project.id };
}

/** A Data Table of string columns in the owner's project, as *Overview → Data tables → Create* makes it. */
export async function createDataTable(session: OwnerSession, name: string, columns: string[]): Promise<string> {
	const table = await session.request<{ id: string }>('POST', `/projects/${session.projectId}/data-tables`, {
		name,
		columns: columns.map((column) => ({ name: column, type: 'string' })),
	});
	return table.id;
}

export async function insertRows(session: OwnerSession, tableId: string, rows: Array<Record<string, unknown>>): Promise<void> {
	await session.request('POST', `/projects/${session.projectId}/data-tables/${tableId}/insert`, { data: rows, returnType: 'count' });
}

export async function readRows(session: OwnerSession, tableId: string): Promise<DataTableRow[]> {
	const page = await session.request<{ data: DataTableRow[] }>('GET', `/projects/${session.projectId}/data-tables/${tableId}/rows?take=1000&skip=0`);
	return page.data;
}

/** Every execution n8n lists, newest first. */
export async function listExecutions(session: OwnerSession): Promise<ExecutionSummary[]> {
	const page = await session.request<{ results: ExecutionSummary[] }>('GET', '/executions?limit=100');
	return page.results;
}
