import { Slots } from '../../nodes/QwenImageMax/scheduler/slots';
import { RunStop } from '../../nodes/QwenImageMax/utils/runStop';

const running = new RunStop(new AbortController().signal);

function gate() {
	let open: () => void = () => {};
	const opened = new Promise<void>((resolve) => (open = resolve));
	return { open, opened };
}

describe('Slots', () => {
	it('serves waiters in the order they asked, within the limit', async () => {
		const slots = new Slots(() => 2);
		const started: number[] = [];
		const gates = Array.from({ length: 4 }, gate);
		const tasks = gates.map((g, index) =>
			slots.use(running, async () => {
				started.push(index);
				await g.opened;
			}),
		);
		await new Promise((resolve) => setImmediate(resolve));
		expect(started).toEqual([0, 1]);
		gates[1].open();
		await tasks[1];
		await new Promise((resolve) => setImmediate(resolve));
		expect(started).toEqual([0, 1, 2]);
		for (const g of gates) g.open();
		await Promise.all(tasks);
		expect(started).toEqual([0, 1, 2, 3]);
	});

	it('lets a waiter whose run stops leave the queue at once, without taking a slot', async () => {
		const slots = new Slots(() => 1);
		const holder = gate();
		const held = slots.use(running, async () => await holder.opened);
		const controller = new AbortController();
		const waiting = slots.use(new RunStop(controller.signal), async () => 'ran');
		controller.abort();
		await expect(waiting).rejects.toThrow('The execution was cancelled');
		holder.open();
		await held;
		expect(await slots.use(running, async () => 'next')).toBe('next');
	});

	it('lets waiters in when the limit grows', async () => {
		let limit = 1;
		const slots = new Slots(() => limit);
		const holder = gate();
		const held = slots.use(running, async () => await holder.opened);
		const second = slots.use(running, async () => 'second');
		limit = 2;
		slots.grantWaiting();
		expect(await second).toBe('second');
		holder.open();
		await held;
	});
});
