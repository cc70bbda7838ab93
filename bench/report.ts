/** One figure per line, in the form the closing notes quote. */
export function report(name: string, value: number, unit: string, budget?: string): void {
	const shown = Number.isInteger(value) ? String(value) : value.toFixed(1);
	console.log(`bench: ${name} = ${shown} ${unit}${budget ? `  (budget ${budget})` : ''}`);
}

export function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
