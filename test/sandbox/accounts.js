// @ts-check
'use strict';

/** Credit balances per API key; a key starts with the configured balance on first use. */
class Accounts {
	/** @param {number} startingCredits */
	constructor(startingCredits) {
		this.startingCredits = startingCredits;
		/** @type {Map<string, number>} */
		this.balances = new Map();
		/** @type {Map<string, number>} */
		this.spent = new Map();
	}

	/** @param {string} key */
	balance(key) {
		return this.balances.get(key) ?? this.startingCredits;
	}

	/**
	 * @param {string} key
	 * @param {number} amount
	 * @returns {number | null} the balance left, or null when it does not cover `amount`
	 */
	charge(key, amount) {
		const balance = this.balance(key);
		if (balance < amount) return null;
		this.balances.set(key, balance - amount);
		this.spent.set(key, (this.spent.get(key) ?? 0) + amount);
		return balance - amount;
	}

	/**
	 * Every key gets this balance from now on: how a test arranges "not enough credits".
	 * @param {number} credits
	 */
	setBalances(credits) {
		this.startingCredits = credits;
		this.balances.clear();
	}

	reset() {
		this.balances.clear();
		this.spent.clear();
	}

	snapshot() {
		const spentByKey = Object.fromEntries(this.spent);
		const total = [...this.spent.values()].reduce((sum, n) => sum + n, 0);
		return { creditsSpent: total, creditsSpentByKey: spentByKey };
	}
}

module.exports = { Accounts };
