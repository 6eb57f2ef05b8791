/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The functions passed to page.evaluate / waitForFunction run in the browser, hence the DOM types.
import fs from 'node:fs';
import path from 'node:path';

import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';

/** Debian's package, which .ci/run installs when it is missing; PIXELDOJO_CHROMIUM names another (GitHub's runners have Google Chrome). */
export const CHROMIUM = process.env.PIXELDOJO_CHROMIUM || '/usr/bin/chromium';
/** Wide enough for n8n's node panel with its input and output beside the parameters. */
export const VIEWPORT = { width: 1440, height: 900 };

const REPO = path.resolve(__dirname, '../../..');
/** Every run's pictures (git-ignored); docs/screenshots holds the README's copies. */
const SHOTS_DIR = path.join(REPO, 'output', 'screenshots');
const DOCS_SHOTS_DIR = path.join(REPO, 'docs', 'screenshots');

export async function launchChromium(): Promise<Browser> {
	if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does it), or set PIXELDOJO_CHROMIUM to a Chromium or Chrome`);
	return await puppeteer.launch({
		executablePath: CHROMIUM,
		headless: true,
		// CI runs as root, where Chromium's own sandbox refuses to start.
		args: ['--no-sandbox', '--disable-dev-shm-usage', `--window-size=${VIEWPORT.width},${VIEWPORT.height}`],
		defaultViewport: VIEWPORT,
	});
}

/**
 * Saves a picture of the page into output/screenshots/n8n-<version>/; with
 * PIXELDOJO_UPDATE_SCREENSHOTS=1 also into docs/screenshots/ (the README's copies), from n8n 2.x only.
 */
export async function screenshot(page: Page, name: string, n8nVersion: string): Promise<string> {
	const dir = path.join(SHOTS_DIR, `n8n-${n8nVersion}`);
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `${name}.png`);
	await page.screenshot({ path: file as `${string}.png` });
	if (process.env.PIXELDOJO_UPDATE_SCREENSHOTS === '1' && n8nVersion.startsWith('2.')) {
		fs.mkdirSync(DOCS_SHOTS_DIR, { recursive: true });
		fs.copyFileSync(file, path.join(DOCS_SHOTS_DIR, `${name}.png`));
	}
	return file;
}

/** The first visible element matching `selector` whose text is `text` (or starts with it when `prefix`). */
export async function waitForText(page: Page, selector: string, text: string, { prefix = false } = {}): Promise<ElementHandle<Element>> {
	const handle = await page.waitForFunction(
		(sel: string, wanted: string, startsWith: boolean) =>
			[...document.querySelectorAll(sel)].find((el) => {
				const own = (el.textContent ?? '').trim();
				return el.getClientRects().length > 0 && (startsWith ? own.startsWith(wanted) : own === wanted);
			}),
		{},
		selector,
		text,
		prefix,
	);
	const element = handle.asElement();
	if (!element) throw new Error(`no visible ${selector} with text "${text}"`);
	return element as ElementHandle<Element>;
}

/** Waits until some element matching `selector` is visible (or, `visible: false`, until none is). */
export async function waitForVisible(page: Page, selector: string, { visible = true } = {}): Promise<void> {
	await page.waitForFunction(
		(sel: string, wanted: boolean) => [...document.querySelectorAll(sel)].some((el) => el.getClientRects().length > 0) === wanted,
		{},
		selector,
		visible,
	);
}

/** Runs `click` again when the element it found was replaced meanwhile (n8n re-renders often). */
async function clickRetryingDetached(click: () => Promise<void>): Promise<void> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await click();
		} catch (error) {
			if (attempt === 5 || !/detached|not clickable|not an Element/i.test(String(error))) throw error;
			await new Promise((resolve) => setTimeout(resolve, 300));
		}
	}
}

/** Clicks the element once it is visible. */
export async function tap(page: Page, selector: string): Promise<void> {
	await clickRetryingDetached(async () => (await page.waitForSelector(selector, { visible: true }))!.click());
}

/** Clicks the visible element matching `selector` whose text is `text` (or starts with it). */
export async function tapText(page: Page, selector: string, text: string, options: { prefix?: boolean } = {}): Promise<void> {
	await clickRetryingDetached(async () => (await waitForText(page, selector, text, options)).click());
}

/**
 * Clicks the visible element matching `selector` whose text is `text` (or starts with it) by
 * itself rather than at the point where it was: a dropdown still opening moves its entries
 * under the mouse, and a click there picks the neighbour.
 */
export async function tapTextInPlace(page: Page, selector: string, text: string, options: { prefix?: boolean } = {}): Promise<void> {
	await clickRetryingDetached(async () => await (await waitForText(page, selector, text, options)).evaluate((el) => (el as HTMLElement).click()));
}

/** The texts of the visible elements matching `selector`. */
export async function visibleTexts(page: Page, selector: string): Promise<string[]> {
	return await page.$$eval(selector, (els) => els.filter((el) => el.getClientRects().length > 0).map((el) => (el.textContent ?? '').trim()));
}

/** The texts of the visible elements matching `selector` once they stop changing (a list that follows typing). */
export async function settledTexts(page: Page, selector: string, { quietMs = 500, timeoutMs = 15_000 } = {}): Promise<string[]> {
	const deadline = Date.now() + timeoutMs;
	let last = await visibleTexts(page, selector);
	for (;;) {
		await new Promise((resolve) => setTimeout(resolve, quietMs));
		const now = await visibleTexts(page, selector);
		if (JSON.stringify(now) === JSON.stringify(last) || Date.now() > deadline) return now;
		last = now;
	}
}

/** Replaces the text of an input (or textarea) the way a user does: select all, type. */
export async function retype(page: Page, selector: string, text: string): Promise<void> {
	const input = await page.waitForSelector(selector, { visible: true });
	await input!.click({ count: 3 });
	await page.keyboard.down('Control');
	await page.keyboard.press('KeyA');
	await page.keyboard.up('Control');
	await page.keyboard.press('Backspace');
	await input!.type(text);
}

/** Clicks again while `done` has not become true: a click that lands during a re-render is lost. */
export async function clickUntil(page: Page, selector: string, done: () => Promise<boolean>, attempts = 4): Promise<void> {
	for (let attempt = 1; attempt <= attempts; attempt++) {
		await page.click(selector);
		for (let check = 0; check < 10; check++) {
			if (await done()) return;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	}
	throw new Error(`clicking ${selector} ${attempts} times had no effect`);
}
