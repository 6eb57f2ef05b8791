// @ts-check
'use strict';

const fs = require('node:fs');
const path = require('node:path');

module.exports = async function globalTeardown() {
	const packed = process.env.PIXELDOJO_E2E_PACKED;
	if (packed) fs.rmSync(path.dirname(JSON.parse(packed).tarball), { recursive: true, force: true });
};
