#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * The README's Fields and Options tables, rendered from the node's own tables
 * (nodes/QwenImageMax/fields/apiFields.ts and nodeOptions.ts), so the README cannot drift from
 * what the node offers. `npm run readme` builds and rewrites the sections between their markers;
 * test/unit/readmeTables.test.tsx fails when the README differs from the tables.
 */

const fs = require('node:fs');
const path = require('node:path');

const README = path.resolve(__dirname, '..', 'README.md');

/**
 * What the renderers read: the tables and the few helpers that interpret them (the compiled
 * modules for the CLI, the TypeScript sources in the jest test).
 * @typedef {{ value: string, label: string, description?: string, paths?: readonly string[] }} Choice
 * @typedef {{ type: string, requiredReason?: string, maxLength?: number, integer?: boolean, min?: number, max?: number, choices?: readonly Choice[] }} Kind
 * @typedef {{ name: string, label: string, kind: Kind, default: unknown, description: string, hint?: string }} Entry
 * @typedef {Entry & { apiName?: string, paths: readonly string[], placement: string }} ApiField
 * @typedef {Entry & { operations?: readonly string[], perRun?: boolean, offUnlessAdded?: boolean, toolDefault?: unknown }} NodeOption
 * @typedef {{
 *   API_FIELDS: readonly ApiField[], ADDITIONAL_FIELDS: { label: string },
 *   PATHS: readonly string[], PATH_TEXT: Record<string, { name: string }>,
 *   NODE_OPTIONS: readonly NodeOption[], PER_RUN_NOTE: string,
 *   operations: Record<string, string>,
 * }} Tables
 */

/** @param {Array<string | undefined>} parts */
function sentences(parts) {
	return parts
		.filter(Boolean)
		.map((part) => (/[.!?]$/.test(String(part)) ? part : `${part}.`))
		.join(' ');
}

/** @param {unknown} value */
function code(value) {
	return `\`${String(value)}\``;
}

/** @param {Entry} entry */
function defaultOf(entry) {
	if (entry.default === null || entry.default === '') return '–';
	if (typeof entry.default === 'boolean') return entry.default ? 'on' : 'off';
	return typeof entry.default === 'string' ? code(entry.default) : String(entry.default);
}

/** @param {Kind} kind @param {(choice: Choice) => string} choiceNote */
function typeOf(kind, choiceNote) {
	switch (kind.type) {
		case 'text':
			return ['text', kind.requiredReason ? 'required' : '', kind.maxLength ? `at most ${kind.maxLength} characters` : ''].filter(Boolean).join(', ');
		case 'number':
			return `${kind.integer ? 'integer' : 'number'} ${kind.min} – ${kind.max}`;
		case 'choice':
			return (kind.choices ?? []).map((choice) => `${code(choice.value)}${choiceNote(choice)}`).join(', ');
		default:
			return kind.type;
	}
}

/** @param {string[]} cells */
const row = (cells) => `| ${cells.join(' | ')} |`;

/** @param {Tables} tables */
function fieldsTable(tables) {
	const { API_FIELDS, ADDITIONAL_FIELDS, PATHS, PATH_TEXT } = tables;
	/** @param {readonly string[]} paths */
	const shownOn = (paths) => (PATHS.every((p) => paths.includes(p)) ? 'always' : paths.map((p) => PATH_TEXT[p].name).join(', '));
	return [
		row(['field', 'API name', 'type, range', 'default', 'shown', 'notes']),
		row(['---', '---', '---', '---', '---', '---']),
		...API_FIELDS.map((field) => {
			/** @param {Choice} choice */
			const choiceNote = (choice) => (choice.paths ? ` (${shownOn(choice.paths)} only)` : '');
			return row([
				field.placement === 'additional' ? `${ADDITIONAL_FIELDS.label} → ${field.label}` : field.label,
				field.apiName ? code(field.apiName) : '–',
				typeOf(field.kind, choiceNote),
				defaultOf(field),
				shownOn(field.paths),
				sentences([field.description, field.hint]),
			]);
		}),
	].join('\n');
}

/** @param {Tables} tables */
function optionsTable(tables) {
	const { NODE_OPTIONS, PER_RUN_NOTE, operations } = tables;
	return [
		row(['option', 'applies to', 'type, range', 'default', 'meaning']),
		row(['---', '---', '---', '---', '---']),
		...[...NODE_OPTIONS]
			.sort((a, b) => a.label.localeCompare(b.label, 'en'))
			.map((option) => {
				const choices = (option.kind.choices ?? []).map((choice) => `*${choice.label}*: ${choice.description ?? choice.value}`);
				return row([
					option.label,
					option.operations ? option.operations.map((operation) => operations[operation]).join(', ') : 'all',
					typeOf(option.kind, () => ''),
					option.offUnlessAdded
						? `off; ${defaultOf(option)} once added`
						: `${defaultOf(option)}${option.toolDefault === undefined ? '' : `; ${defaultOf({ ...option, default: option.toolDefault })} as an AI Agent tool`}`,
					sentences([option.description, ...choices, option.hint, option.perRun ? PER_RUN_NOTE : undefined]),
				]);
			}),
	].join('\n');
}

const SECTIONS = /** @type {const} */ ({
	fields: { source: 'nodes/QwenImageMax/fields/apiFields.ts', render: fieldsTable },
	options: { source: 'nodes/QwenImageMax/fields/nodeOptions.ts', render: optionsTable },
});

/** @param {keyof typeof SECTIONS} name */
function markers(name) {
	return {
		begin: `<!-- BEGIN ${name}: generated from ${SECTIONS[name].source} by \`npm run readme\`; edit the table, not this -->`,
		end: `<!-- END ${name} -->`,
	};
}

/**
 * The text between a section's markers.
 * @param {string} readme @param {keyof typeof SECTIONS} name
 */
function sectionOf(readme, name) {
	const { begin, end } = markers(name);
	const start = readme.indexOf(begin);
	const stop = readme.indexOf(end);
	if (start < 0 || stop < start) throw new Error(`README.md lacks the markers of the ${name} table:\n${begin}\n${end}`);
	return readme.slice(start + begin.length, stop).trim();
}

/** The README with both tables rendered between their markers. @param {string} readme @param {Tables} tables */
function withTables(readme, tables) {
	return /** @type {Array<keyof typeof SECTIONS>} */ (Object.keys(SECTIONS)).reduce((text, name) => {
		sectionOf(text, name); // throws when the markers are missing
		const { begin, end } = markers(name);
		const start = text.indexOf(begin) + begin.length;
		return `${text.slice(0, start)}\n${SECTIONS[name].render(tables)}\n${text.slice(text.indexOf(end))}`;
	}, readme);
}

/**
 * The renderers' input from the node's modules: fields/apiFields, fields/kinds,
 * fields/nodeOptions and description/operation, compiled or not.
 * @param {{ apiFields: object, kinds: object, nodeOptions: object, operation: { operationField: { options?: unknown[] } } }} modules
 * @returns {Tables}
 */
function tablesFrom(modules) {
	const operations = /** @type {Array<{ value: string, name: string }>} */ (modules.operation.operationField.options ?? []);
	return /** @type {Tables} */ ({
		...modules.apiFields,
		...modules.kinds,
		...modules.nodeOptions,
		operations: Object.fromEntries(operations.map((o) => [o.value, o.name])),
	});
}

/** The compiled modules in dist/ (`npm run build` first). */
function builtTables() {
	const dist = path.resolve(__dirname, '..', 'dist', 'nodes', 'QwenImageMax');
	return tablesFrom({
		apiFields: require(path.join(dist, 'fields', 'apiFields.js')),
		kinds: require(path.join(dist, 'fields', 'kinds.js')),
		nodeOptions: require(path.join(dist, 'fields', 'nodeOptions.js')),
		operation: require(path.join(dist, 'description', 'operation.js')),
	});
}

module.exports = { fieldsTable, optionsTable, sectionOf, tablesFrom, withTables };

if (require.main === module) {
	const readme = fs.readFileSync(README, 'utf8');
	const updated = withTables(readme, builtTables());
	fs.writeFileSync(README, updated);
	process.stdout.write(updated === readme ? 'README.md tables already match the node\n' : 'README.md tables rewritten from the node\n');
}
