const { src, dest } = require('gulp');

// tsc emits only JavaScript; n8n loads the icons and the codex (.node.json) from dist/, next to the code.
function copyAssets() {
	return src(['nodes/**/*.svg', 'nodes/**/*.png', 'nodes/**/*.node.json', 'credentials/**/*.svg'], { base: '.', encoding: false, allowEmpty: true }).pipe(dest('dist'));
}

exports['build:assets'] = copyAssets;
