import type { DurationInterval } from '../../nodes/QwenImageMax/scheduler/latencyModel';
import {
	durationAtSurvival,
	fitLogNormal,
	normalCdf,
	normalQuantile,
	survival,
} from '../../nodes/QwenImageMax/scheduler/latencyModel';

const OPTIONS = { priorSigma: 0.4, priorWeight: 2 };

/** Deterministic log-normal draws (Box–Muller on a fixed uniform sequence). */
function logNormalDraws(count: number, medianMs: number, sigma: number): number[] {
	return Array.from({ length: count }, (_, index) => {
		const u = (index + 0.5) / count;
		return medianMs * Math.exp(sigma * normalQuantile(u));
	});
}

describe('normal distribution helpers', () => {
	it('match known values of the CDF and its inverse', () => {
		expect(normalCdf(0)).toBeCloseTo(0.5, 7);
		expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
		expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
		expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
		expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
		expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
		for (const p of [0.001, 0.2, 0.5, 0.9, 0.999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
	});

	it('survival and its inverse agree', () => {
		const model = { mu: Math.log(4000), sigma: 0.35 };
		expect(survival(model, 4000)).toBeCloseTo(0.5, 6);
		expect(survival(model, 0)).toBe(1);
		expect(durationAtSurvival(model, survival(model, 6000))).toBeCloseTo(6000, 0);
	});
});

describe('fitLogNormal', () => {
	it('knows nothing until a job has finished', () => {
		expect(fitLogNormal([{ afterMs: 3000, byMs: Number.POSITIVE_INFINITY }], OPTIONS)).toBeUndefined();
	});

	it('recovers median and spread from exactly observed durations', () => {
		const intervals = logNormalDraws(200, 4000, 0.35).map((ms) => ({ afterMs: ms - 1, byMs: ms + 1 }));
		const model = fitLogNormal(intervals, OPTIONS)!;
		expect(Math.exp(model.mu)).toBeGreaterThan(3800);
		expect(Math.exp(model.mu)).toBeLessThan(4200);
		expect(model.sigma).toBeGreaterThan(0.3);
		expect(model.sigma).toBeLessThan(0.4);
	});

	it('uses the intervals, not their ends: polls every 2 s still give the right median', () => {
		const polledEvery2s = logNormalDraws(200, 5000, 0.3).map((ms) => {
			const afterMs = Math.floor(ms / 2000) * 2000;
			return { afterMs, byMs: afterMs + 2000 };
		});
		const median = Math.exp(fitLogNormal(polledEvery2s, OPTIONS)!.mu);
		expect(median).toBeGreaterThan(4600);
		expect(median).toBeLessThan(5400);
	});

	it('counts jobs still running as longer than their last running poll', () => {
		const finished: DurationInterval[] = logNormalDraws(10, 3000, 0.2).map((ms) => ({ afterMs: ms - 100, byMs: ms + 100 }));
		const withoutRunning = Math.exp(fitLogNormal(finished, OPTIONS)!.mu);
		const stillRunning = Array.from({ length: 10 }, () => ({ afterMs: 9000, byMs: Number.POSITIVE_INFINITY }));
		const withRunning = Math.exp(fitLogNormal([...finished, ...stillRunning], OPTIONS)!.mu);
		expect(withRunning).toBeGreaterThan(withoutRunning * 1.5);
	});
});
