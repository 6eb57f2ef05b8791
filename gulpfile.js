const fs = require('node:fs');
const { src, dest } = require('gulp');

// A fresh dist/ each build: tsc never deletes the output of a source file that was removed.
async function clean() {
	fs.rmSync('dist', { recursive: true, force: true });
}

// tsc emits the JavaScript and the codex (.node.json, listed in the tsconfig); n8n loads the icons
// from dist/ too, next to the code.
function copyAssets() {
	return src(['nodes/**/*.svg', 'nodes/**/*.png', 'credentials/**/*.svg'], {
		base: '.',
		encoding: false,
		allowEmpty: true,
	}).pipe(dest('dist'));
}

exports.clean = clean;
exports['build:assets'] = copyAssets;
