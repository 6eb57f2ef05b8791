/**
 * Waits for `work` and lets `observe` see its failure on the way up, unchanged: the failures
 * passing here are already NodeApiError, NodeOperationError or RunStopped, so there is nothing
 * to wrap.
 */
export async function observeFailure<T>(work: Promise<T>, observe: (error: unknown) => void): Promise<T> {
	return await work.catch((error: unknown) => {
		observe(error);
		throw error;
	});
}
