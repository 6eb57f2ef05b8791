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

/**
 * What a step acts on: the elements matching `selector`, and of those, when `text` is given, the
 * one whose text is `text` (or starts with it when `prefix`).
 */
export type Target = string | { selector: string; text: string; prefix?: boolean };

function targetName(target: Target): string {
	return typeof target === 'string' ? target : `${target.selector} "${target.text}"`;
}

/** The first visible element matching `selector` whose text is `text` (or starts with it when `prefix`). */
export async function waitForText(page: Page, selector: string, text: string, { prefix = false, timeout }: { prefix?: boolean; timeout?: number } = {}): Promise<ElementHandle<Element>> {
	const handle = await page.waitForFunction(
		(sel: string, wanted: string, startsWith: boolean) =>
			[...document.querySelectorAll(sel)].find((el) => {
				const own = (el.textContent ?? '').trim();
				return el.getClientRects().length > 0 && (startsWith ? own.startsWith(wanted) : own === wanted);
			}),
		timeout === undefined ? {} : { timeout },
		selector,
		text,
		prefix,
	);
	const element = handle.asElement();
	if (!element) throw new Error(`no visible ${selector} with text "${text}"`);
	return element as ElementHandle<Element>;
}

/** Waits until some element matching `selector` is visible (or, `visible: false`, until none is). */
export async function waitForVisible(page: Page, selector: string, { visible = true, timeout }: { visible?: boolean; timeout?: number } = {}): Promise<void> {
	await page.waitForFunction(
		(sel: string, wanted: boolean) => [...document.querySelectorAll(sel)].some((el) => el.getClientRects().length > 0) === wanted,
		timeout === undefined ? {} : { timeout },
		selector,
		visible,
	);
}

/**
 * In the page: the first element matching `sel` (whose text is `wanted`, or starts with it) that a
 * user could act on, with the centre where a click lands; with `explain`, why none is.
 */
async function findActionable(sel: string, wanted: string | undefined, startsWith: boolean, explain: boolean) {
	const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
	const why: string[] = [];
	const candidates = [...document.querySelectorAll(sel)].filter((el) => {
		const own = (el.textContent ?? '').trim();
		return el.getClientRects().length > 0 && (wanted === undefined || (startsWith ? own.startsWith(wanted) : own === wanted));
	});
	for (const el of candidates) {
		if (el.closest('[disabled], [aria-disabled=true], .is-disabled')) {
			why.push('disabled');
			continue;
		}
		const before = el.getBoundingClientRect();
		const [x, y] = [before.left + before.width / 2, before.top + before.height / 2];
		if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) {
			why.push(`out of view at ${x},${y}`);
			if (!explain) el.scrollIntoView({ block: 'center', inline: 'center' });
			continue;
		}
		await frame();
		await frame();
		const after = el.getBoundingClientRect();
		if (['left', 'top', 'width', 'height'].some((side) => before[side as 'left'] !== after[side as 'left'])) {
			why.push('moving');
			continue;
		}
		const hit = document.elementFromPoint(x, y);
		if (hit && (hit === el || el.contains(hit))) return { el, x, y };
		why.push(`covered at ${x},${y} by ${hit ? hit.outerHTML.slice(0, 200) : 'nothing'}`);
	}
	return explain ? (candidates.length ? why : ['none visible']) : undefined;
}

/**
 * Waits until an element of `target` is one a user could act on: visible, enabled, in view, with
 * its box unchanged across two animation frames (n8n's panels slide and its lists re-render) and
 * on top at its centre (no tooltip, notification or closing dialog over it). Returns it and
 * that centre, where a click lands.
 */
async function actionable(page: Page, target: Target, timeout?: number): Promise<{ element: ElementHandle<Element>; x: number; y: number }> {
	const { selector, text, prefix } = typeof target === 'string' ? { selector: target, text: undefined, prefix: false } : { prefix: false, ...target };
	const handle = await page.waitForFunction(findActionable, { polling: 100, ...(timeout === undefined ? {} : { timeout }) }, selector, text, prefix, false).catch(async (error: unknown) => {
		const why = await page.evaluate(findActionable, selector, text, prefix, true).catch(() => undefined);
		throw new Error(`${targetName(target)} never became actionable (${JSON.stringify(why)}): ${String(error)}`);
	});
	const element = (await handle.getProperty('el')).asElement() as ElementHandle<Element>;
	const [x, y] = await Promise.all(['x', 'y'].map(async (axis) => (await handle.getProperty(axis as 'x')).jsonValue() as Promise<number>));
	await handle.dispose();
	return { element, x, y };
}

/** Something a click should cause, checked from here; true once it is seen. */
export type Effect = () => Promise<boolean>;

/** True while `check` holds; false while the page cannot answer (it is navigating or re-rendering). */
function effect(check: () => Promise<boolean>): Effect {
	return async () => await check().catch(() => false);
}

/** Some element matching `selector` is visible (or, `visible: false`, none is). */
export function shown(page: Page, selector: string, { visible = true } = {}): Effect {
	return effect(async () => (await page.$$eval(selector, (els) => els.some((el) => el.getClientRects().length > 0))) === visible);
}

/** A visible element matching `selector` has the text `text` (or one starting with it when `prefix`). */
export function shownText(page: Page, selector: string, text: string, { prefix = false } = {}): Effect {
	return effect(async () => (await visibleTexts(page, selector)).some((own) => (prefix ? own.startsWith(text) : own === text)));
}

/** The focus is in the element matching `selector` (or, `inside: false`, outside it). */
export function focused(page: Page, selector: string, { inside = true } = {}): Effect {
	return effect(async () => (await page.$eval(selector, (el) => el.contains(document.activeElement))) === inside);
}

/** Polls `done` until it holds or `timeoutMs` has passed; says whether it held. */
async function becomes(done: Effect, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await done()) return true;
		if (Date.now() > deadline) return false;
		await new Promise((resolve) => setTimeout(resolve, 150));
	}
}

export interface ClickOptions {
	/** 2 for a double click, 3 to select an input's text. */
	count?: number;
	/**
	 * Click the element by itself (element.click()) rather than at the point where it was: a
	 * dropdown still opening moves its entries under the mouse, and a click there picks the neighbour.
	 */
	inPlace?: boolean;
	/** Clicks before giving up; the effect is checked before each click after the first. */
	attempts?: number;
	/** How long one click's effect may take to be seen. */
	effectMs?: number;
	/** How long the element may take to become actionable. */
	timeout?: number;
}

/**
 * Clicks `target` once it is actionable and waits for `done`, what the click causes; clicks again
 * (up to `attempts` in all) when it is not seen within `effectMs`: a click that lands while n8n
 * re-renders or is still loading does nothing. Only for clicks whose repeat is harmless once the
 * effect is checked: a toggle passes the toggle's own state as `done`, not what follows from it.
 */
export async function clickFor(page: Page, target: Target, done: Effect, { count = 1, inPlace = false, attempts = 3, effectMs = 10_000, timeout }: ClickOptions = {}): Promise<void> {
	for (let attempt = 1; attempt <= attempts; attempt++) {
		if (attempt > 1 && (await done())) return;
		try {
			const { element, x, y } = await actionable(page, target, timeout);
			if (inPlace) await element.evaluate((el) => (el as HTMLElement).click());
			else await page.mouse.click(x, y, { count });
			await element.dispose();
		} catch (error) {
			// Replaced between the check and the click: look for it again.
			if (!/detached|not clickable|not an Element|Execution context was destroyed/i.test(String(error))) throw error;
			continue;
		}
		if (await becomes(done, effectMs)) return;
		// Said, so that a repeat that turns out to be needed on every run shows up in the logs.
		process.stderr.write(`[e2e] clicking ${targetName(target)}: no effect within ${effectMs / 1000} s (attempt ${attempt} of ${attempts})\n`);
	}
	throw new Error(`clicking ${targetName(target)} ${attempts} times had no effect`);
}

/** The texts of the visible elements matching `selector`. */
export async function visibleTexts(page: Page, selector: string): Promise<string[]> {
	return await page.$$eval(selector, (els) => els.filter((el) => el.getClientRects().length > 0).map((el) => (el.textContent ?? '').trim()));
}

/**
 * Replaces the text of an input (or textarea) the way a user does: click into it until it has
 * the focus, select all, type; again when the field then does not hold `text` (n8n replaced it
 * while the keys went in).
 */
export async function retype(page: Page, selector: string, text: string, attempts = 3): Promise<void> {
	const holds = effect(async () => (await page.$eval(selector, (el) => (el as HTMLInputElement).value)) === text);
	for (let attempt = 1; attempt <= attempts; attempt++) {
		await clickFor(page, selector, focused(page, selector), { count: 3 });
		await page.keyboard.down('Control');
		await page.keyboard.press('KeyA');
		await page.keyboard.up('Control');
		await page.keyboard.press('Backspace');
		await page.keyboard.type(text);
		if (await becomes(holds, 2_000)) return;
	}
	throw new Error(`${selector} does not take "${text}"`);
}

const NOTIFICATION = '.el-notification';
/** Set on the notifications a step has seen, so that it waits for a newer one. */
const OLD_NOTIFICATION = 'data-e2e-old';
const NEW_NOTIFICATION = `${NOTIFICATION}:not([${OLD_NOTIFICATION}])`;

/** Marks the notifications on screen as old and closes them: they cover the top right, and a step that waits for one must not take an earlier step's. */
export async function dismissNotifications(page: Page): Promise<void> {
	await page.$$eval(
		NOTIFICATION,
		(els, old) =>
			els.forEach((el) => {
				el.setAttribute(old, '');
				el.querySelector<HTMLElement>('.el-notification__closeBtn')?.click();
			}),
		OLD_NOTIFICATION,
	);
}

/** The text of the first notification shown since the last dismissNotifications that matches `pattern`. */
export async function newNotification(page: Page, pattern: RegExp, timeout?: number): Promise<string> {
	const found = await page.waitForFunction(
		(sel: string, source: string, flags: string) =>
			[...document.querySelectorAll(sel)].map((el) => el.textContent ?? '').find((text) => new RegExp(source, flags).test(text)),
		timeout === undefined ? {} : { timeout },
		NEW_NOTIFICATION,
		pattern.source,
		pattern.flags,
	);
	return (await found.jsonValue()) as string;
}

/** n8n's request that starts a run (1.x and 2.x: POST /rest/workflows/<id>/run). */
const RUN_REQUEST = /\/rest\/workflows\/(?:[^/]+\/)?run(?:\?|$)/;

/**
 * Clicks a button that runs the workflow or a node until a run starts: n8n sent the run, or shows
 * a notification newer than the click (a run that n8n refuses to start says why there). Old
 * notifications are dismissed first, so `newNotification` afterwards waits for this run's.
 */
export async function clickToRun(page: Page, target: Target): Promise<void> {
	await dismissNotifications(page);
	let sent = false;
	const onRequest = (request: { method(): string; url(): string }) => {
		if (request.method() === 'POST' && RUN_REQUEST.test(request.url())) sent = true;
	};
	page.on('request', onRequest);
	try {
		const notified = effect(async () => (await page.$$eval(NEW_NOTIFICATION, (els) => els.length)) > 0);
		await clickFor(page, target, async () => sent || (await notified()), { effectMs: 15_000 });
	} finally {
		page.off('request', onRequest);
	}
}
