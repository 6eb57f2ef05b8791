// @ts-check
'use strict';

const { sendBody, readBody } = require('./http');

/**
 * @typedef {object} AdminControls
 * @property {() => unknown} stats
 * @property {(partial: Record<string, unknown>) => void} configure
 * @property {(fault: Record<string, unknown>) => void} addFault
 * @property {() => void} reset
 */

/**
 * The /__admin/* endpoints: the same controls as the in-process API, for other processes
 * (real n8n, scripts). No authentication: the sandbox only listens on loopback.
 * @param {AdminControls} controls
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {string} pathname
 */
async function handleAdmin(controls, req, res, pathname) {
	const action = `${req.method} ${pathname}`;
	if (action === 'GET /__admin/stats') return sendBody(res, 200, controls.stats());
	if (action === 'POST /__admin/reset') {
		controls.reset();
		return sendBody(res, 200, { ok: true });
	}
	const apply =
		action === 'POST /__admin/configure' ? controls.configure : action === 'POST /__admin/faults' ? controls.addFault : null;
	if (!apply) return sendBody(res, 404, { error: `No admin endpoint ${action}` });
	try {
		const raw = await readBody(req);
		apply(JSON.parse(raw?.toString('utf8') || '{}'));
		return sendBody(res, 200, { ok: true });
	} catch (error) {
		return sendBody(res, 400, { error: error instanceof Error ? error.message : String(error) });
	}
}

module.exports = { handleAdmin };
