/**
 * The run's job durations as a log-normal distribution, fitted by maximum likelihood to what
 * polls actually show: a finished job ended somewhere between the last poll that saw it
 * running and the first that saw it done, and a running job lasts longer than its last
 * running poll. Using the intervals as they are, rather than a point inside them, keeps the
 * estimate honest when polls are sparse; jobs of one run are similar enough that two
 * parameters describe them, and two parameters can be learnt from the first few jobs.
 */
export interface DurationInterval {
	/** Milliseconds after submission when the job was last seen running (0: never polled yet). */
	afterMs: number;
	/** Milliseconds after submission when it was first seen finished; Infinity while running. */
	byMs: number;
}

export interface LogNormal {
	/** Mean of the log duration (ms). */
	mu: number;
	/** Standard deviation of the log duration. */
	sigma: number;
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26, error < 1.5e-7). */
export function normalCdf(z: number): number {
	const t = 1 / (1 + (0.3275911 * Math.abs(z)) / Math.SQRT2);
	const poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
	const erf = 1 - poly * Math.exp((-z * z) / 2);
	return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
	const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
	const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
	const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
	const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
	const tail = (q: number) =>
		(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	const LOW = 0.02425;
	if (p <= 0) return Number.NEGATIVE_INFINITY;
	if (p >= 1) return Number.POSITIVE_INFINITY;
	if (p < LOW) return tail(Math.sqrt(-2 * Math.log(p)));
	if (p > 1 - LOW) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
	const q = p - 0.5;
	const r = q * q;
	return (
		((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
		(((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
	);
}

/** Share of jobs that run longer than `ms`. */
export function survival(model: LogNormal, ms: number): number {
	return ms > 0 ? 1 - normalCdf((Math.log(ms) - model.mu) / model.sigma) : 1;
}

/** The duration that a share `1 - remaining` of jobs stays under. */
export function durationAtSurvival(model: LogNormal, remaining: number): number {
	return Math.exp(model.mu + model.sigma * normalQuantile(1 - remaining));
}

export interface FitOptions {
	/** The spread assumed before the data say otherwise (log-normal sigma). */
	priorSigma: number;
	/** How many observations' worth of weight that assumption carries. */
	priorWeight: number;
}

/**
 * Maximum-likelihood fit over a coarse then a fine grid (the likelihood of interval data has
 * no closed form, and a grid cannot diverge). Undefined until at least one job has finished:
 * running jobs alone only say "longer than", which bounds nothing.
 */
export function fitLogNormal(intervals: readonly DurationInterval[], options: FitOptions): LogNormal | undefined {
	const finished = intervals.filter((interval) => Number.isFinite(interval.byMs));
	if (finished.length === 0) return undefined;
	const logLikelihood = (mu: number, sigma: number) => {
		let total = 0;
		for (const { afterMs, byMs } of intervals) {
			const below = afterMs > 0 ? normalCdf((Math.log(afterMs) - mu) / sigma) : 0;
			const above = Number.isFinite(byMs) ? normalCdf((Math.log(byMs) - mu) / sigma) : 1;
			total += Math.log(Math.max(Number.MIN_VALUE, above - below));
		}
		const SIGMA_PRIOR_LOG_SPREAD = 0.5;
		const z = Math.log(sigma / options.priorSigma) / SIGMA_PRIOR_LOG_SPREAD;
		return total - (options.priorWeight * z * z) / 2;
	};
	const midpoints = finished.map(({ afterMs, byMs }) => Math.log(afterMs > 0 ? (afterMs + byMs) / 2 : byMs / 2));
	let best = { mu: midpoints.reduce((sum, value) => sum + value, 0) / midpoints.length, sigma: options.priorSigma };
	let bestValue = Number.NEGATIVE_INFINITY;
	const MIN_SIGMA = 0.05;
	const GRID_STEPS = 10;
	for (const step of [0.15, 0.02]) {
		const center = best;
		for (let i = -GRID_STEPS; i <= GRID_STEPS; i++) {
			for (let j = -GRID_STEPS; j <= GRID_STEPS; j++) {
				const candidate = { mu: center.mu + i * step, sigma: center.sigma + j * step };
				if (candidate.sigma < MIN_SIGMA) continue;
				const value = logLikelihood(candidate.mu, candidate.sigma);
				if (value > bestValue) {
					bestValue = value;
					best = candidate;
				}
			}
		}
	}
	return best;
}
