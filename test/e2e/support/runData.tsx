export interface RunItem {
	json: Record<string, any>;
	binary?: Record<string, { id?: string; data?: string; mimeType: string; fileName?: string; fileExtension?: string }>;
	pairedItem?: { item: number } | Array<{ item: number }> | number;
}

type RunData = Record<string, Array<{ data?: { main: RunItem[][] } }>> | undefined;

/** Fails with n8n's own words (the end of its output) when a CLI run did not succeed. */
export function assertRunOk(run: { ok: boolean; errorMessage?: string; stdout: string; stderr: string }): void {
	if (!run.ok) throw new Error(`n8n run failed: ${run.errorMessage}\n${(run.stdout + run.stderr).slice(-4000)}`);
}

/** The items a node emitted on its first output in its first run. */
export function outputOf(runData: RunData, nodeName: string): RunItem[] {
	const runs = runData?.[nodeName];
	if (!runs?.length) throw new Error(`node "${nodeName}" did not run (ran: ${Object.keys(runData ?? {}).join(', ')})`);
	return runs[0].data?.main[0] ?? [];
}

/** The input index an item is paired to (n8n accepts a number, an object or a one-element array). */
export function pairedIndex(item: RunItem): number {
	const p = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	return typeof p === 'number' ? p : (p?.item ?? -1);
}
