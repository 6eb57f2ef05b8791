import { JobLedger } from '../../nodes/QwenImageMax/scheduler/jobLedger';

const job = (jobId: string) => ({ submitted: { jobId }, submittedAt: 0 });

describe('JobLedger (which job each item paid for, across n8n retries)', () => {
	it('returns what was recorded, forgets on request', () => {
		const ledger = new JobLedger();
		ledger.recordJob('a', job('job_a'));
		ledger.recordUncertain('b');
		expect(ledger.get('a')).toEqual({ kind: 'job', job: job('job_a') });
		expect(ledger.get('b')).toEqual({ kind: 'uncertain' });
		ledger.forget('a');
		expect(ledger.get('a')).toBeUndefined();
	});

	it('stays bounded in size, dropping the oldest first', () => {
		const ledger = new JobLedger(3);
		for (const key of ['a', 'b', 'c', 'd']) ledger.recordJob(key, job(key));
		expect(ledger.size).toBe(3);
		expect(ledger.get('a')).toBeUndefined();
		expect(ledger.get('d')).toBeDefined();
	});

	it('drops entries older than its age limit (job IDs expire anyway)', () => {
		const now = { value: 0 };
		const ledger = new JobLedger(100, 1000, () => now.value);
		ledger.recordJob('old', job('old'));
		now.value = 900;
		ledger.recordJob('new', job('new'));
		now.value = 1500;
		expect(ledger.get('old')).toBeUndefined();
		expect(ledger.get('new')).toBeDefined();
		ledger.recordJob('newest', job('newest'));
		expect(ledger.size).toBe(2);
	});
});
