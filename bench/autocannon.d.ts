// The parts of autocannon's programmatic API the benchmarks use (it ships no types).
declare module 'autocannon' {
	interface Request {
		method?: string;
		path?: string;
		headers?: Record<string, string>;
		body?: string;
		setupRequest?: (request: Request) => Request;
	}
	interface Options {
		url: string;
		connections?: number;
		duration?: number;
		amount?: number;
		requests?: Request[];
	}
	interface Result {
		requests: { average: number; total: number };
		latency: { p50: number; p99: number; average: number };
		non2xx: number;
		errors: number;
	}
	function autocannon(options: Options): Promise<Result>;
	export default autocannon;
}
