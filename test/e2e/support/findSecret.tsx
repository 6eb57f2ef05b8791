import fs from 'node:fs';
import path from 'node:path';

/** Every file under `dir` (symlinks not followed), and those whose bytes contain `secret`. */
export function findSecret(dir: string, secret: string): { scanned: string[]; found: string[] } {
	const needle = Buffer.from(secret, 'utf8');
	const scanned: string[] = [];
	const walk = (current: string) => {
		for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
			const full = path.join(current, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.isFile()) scanned.push(full);
		}
	};
	walk(dir);
	return { scanned, found: scanned.filter((file) => fs.readFileSync(file).includes(needle)) };
}
