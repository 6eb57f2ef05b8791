import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** The documented price; the API's own `creditCost` replaces it once a job has told it. */
const DOCUMENTED_CREDITS_PER_IMAGE = 2;

/** Credits set aside for one submit until its answer says what it cost. */
export interface CreditReservation {
	/** The submit went out: `creditCost` if the API said, else the reserved amount counts as spent. */
	spent(creditCost: number | undefined): void;
	/** Nothing was charged (the API refused the job). */
	release(): void;
}

/**
 * The Max Credits option: what one call of the node may spend. A job is submitted only if its
 * credits fit beside what the call has spent and what its submits in flight have set aside, so
 * concurrent items can never overshoot the cap together.
 */
export class CreditCap {
	private spentCredits = 0;
	private reservedCredits = 0;
	/** Images of the jobs submitted or being submitted. */
	private images = 0;
	private creditsPerImage = DOCUMENTED_CREDITS_PER_IMAGE;

	constructor(private readonly maxCredits: number | undefined) {}

	reserve(fn: IExecuteFunctions, itemIndex: number, images: number): CreditReservation {
		const credits = images * this.creditsPerImage;
		if (this.maxCredits !== undefined && this.spentCredits + this.reservedCredits + credits > this.maxCredits) {
			throw this.limitReached(fn, itemIndex, credits);
		}
		this.reservedCredits += credits;
		this.images += images;
		let settled = false;
		const settle = (charged: number, imagesMade: number) => {
			if (settled) return;
			settled = true;
			this.reservedCredits -= credits;
			this.spentCredits += charged;
			this.images += imagesMade - images;
		};
		return {
			spent: (creditCost) => {
				settle(creditCost ?? credits, images);
				if (creditCost !== undefined && images > 0) this.creditsPerImage = creditCost / images;
			},
			release: () => settle(0, 0),
		};
	}

	private limitReached(fn: IExecuteFunctions, itemIndex: number, credits: number): NodeOperationError {
		const committed = this.spentCredits + this.reservedCredits;
		const error = new NodeOperationError(
			fn.getNode(),
			`Max Credits (maxCredits) of ${this.maxCredits} reached: this run of the node has ${this.images} image(s) generated or under way for ${committed} credits, and this item needs ${credits} more`,
			{
				itemIndex,
				description: 'Nothing was submitted for this item and nothing was charged. Raise Max Credits in the node\'s Options to generate more.',
			},
		);
		error.context.code = 'credit_limit';
		return error;
	}
}
