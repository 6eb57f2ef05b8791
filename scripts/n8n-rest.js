// @ts-check
'use strict';

/**
 * n8n's own REST API, as its editor calls it: the owner account, Data Tables, executions. What a
 * user does by hand in the editor before a run, and what tests and benchmarks read back after it.
 * Checked on n8n 2.41.1 and 1.123.81.
 */

const OWNER = { email: 'owner@example.com', firstName: 'Ada', lastName: 'Lovelace', password: 'PixelDojo-e2e-1' };
/** n8n binds its auth cookie to a browser id, so every request sends the same one. */
const BROWSER_ID = 'pixeldojo-e2e-browser';

/**
 * @typedef {{ id: number, [column: string]: unknown }} DataTableRow
 * @typedef {{ id: string, status: string, mode: string, retryOf?: string | null }} ExecutionSummary
 * @typedef {{ request: <T>(method: string, path: string, body?: unknown) => Promise<T>, projectId: string }} OwnerSession
 */

/**
 * @template T
 * @param {string} url @param {string} method @param {string} path
 * @param {{ cookie?: string, body?: unknown }} options
 * @returns {Promise<{ data: T, cookie?: string }>}
 */
async function call(url, method, path, { cookie, body }) {
	const response = await fetch(`${url}/rest${path}`, {
		method,
		headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID, ...(cookie ? { cookie } : {}) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`n8n ${method} /rest${path} answered ${response.status}: ${text.slice(0, 500)}`);
	return { data: text ? JSON.parse(text).data : undefined, cookie: response.headers.get('set-cookie')?.split(';')[0] };
}

/**
 * Creates the owner account on a new n8n (its setup page does the same) and signs in; on an n8n
 * that has one, signs in.
 * @param {string} url
 * @returns {Promise<OwnerSession>}
 */
async function ownerSession(url) {
	/** @type {{ data: { userManagement: { showSetupOnFirstLoad?: boolean } } }} */
	const settings = await call(url, 'GET', '/settings', {});
	const signedIn = settings.data.userManagement.showSetupOnFirstLoad
		? await call(url, 'POST', '/owner/setup', { body: OWNER })
		: // 2.x reads emailOrLdapLoginId, 1.x email.
			await call(url, 'POST', '/login', { body: { email: OWNER.email, emailOrLdapLoginId: OWNER.email, password: OWNER.password } });
	const cookie = signedIn.cookie;
	if (!cookie) throw new Error('n8n signed the owner in without a cookie');
	/** @type {OwnerSession['request']} */
	const request = async (method, path, body) => (await call(url, method, path, { cookie, body })).data;
	/** @type {{ id: string }} */
	const project = await request('GET', '/projects/personal');
	return { request, projectId: project.id };
}

/**
 * A Data Table of string columns in the owner's project, as *Overview → Data tables → Create* makes it.
 * @param {OwnerSession} session @param {string} name @param {string[]} columns
 * @returns {Promise<string>} its ID
 */
async function createDataTable(session, name, columns) {
	/** @type {{ id: string }} */
	const table = await session.request('POST', `/projects/${session.projectId}/data-tables`, {
		name,
		columns: columns.map((column) => ({ name: column, type: 'string' })),
	});
	return table.id;
}

/** @param {OwnerSession} session @param {string} tableId @param {Array<Record<string, unknown>>} rows */
async function insertRows(session, tableId, rows) {
	await session.request('POST', `/projects/${session.projectId}/data-tables/${tableId}/insert`, { data: rows, returnType: 'count' });
}

/** @param {OwnerSession} session @param {string} tableId @returns {Promise<DataTableRow[]>} */
async function readRows(session, tableId) {
	/** @type {{ data: DataTableRow[] }} */
	const page = await session.request('GET', `/projects/${session.projectId}/data-tables/${tableId}/rows?take=1000&skip=0`);
	return page.data;
}

/** Every execution n8n lists (the latest 100), newest first. @param {OwnerSession} session @returns {Promise<ExecutionSummary[]>} */
async function listExecutions(session) {
	/** @type {{ results: ExecutionSummary[] }} */
	const page = await session.request('GET', '/executions?limit=100');
	return page.results;
}

/** n8n is done with the execution: neither queued (`new`) nor running. @param {ExecutionSummary} execution */
const hasEnded = (execution) => execution.status !== 'new' && execution.status !== 'running';

module.exports = { OWNER, ownerSession, createDataTable, insertRows, readRows, listExecutions, hasEnded };
