import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { can, staffRoles, type StaffRole } from '$lib/domain/roles';
import {
	accessKey,
	isDeviceRoute,
	isStaffRoute,
	isTripRoute,
	requiredAction
} from '$lib/domain/route-access';

/**
 * Lantern's routes as they are on disk (`src/routes`), so that a test that walks them covers a
 * new page, API or form action the day it is added.
 */
const routesDir = join(process.cwd(), 'src', 'routes');

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? walk(path) : [path];
	});
}

interface RouteFile {
	routeId: string;
	name: string;
	source: string;
}

function routeFiles(): RouteFile[] {
	return walk(routesDir)
		.map((file) => {
			const parts = relative(routesDir, file).split(sep);
			const name = parts.pop()!;
			return { routeId: '/' + parts.join('/'), name, source: file };
		})
		.sort((a, b) => a.routeId.localeCompare(b.routeId));
}

function parse(file: string): ts.SourceFile {
	return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

function isExported(node: ts.Node): boolean {
	return (
		ts.canHaveModifiers(node) &&
		(ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
	);
}

/** The names a module exports (functions, consts and `export { a as B }`). */
function exportedNames(file: string): string[] {
	const names: string[] = [];
	for (const statement of parse(file).statements) {
		if (ts.isFunctionDeclaration(statement) && isExported(statement) && statement.name)
			names.push(statement.name.text);
		if (ts.isVariableStatement(statement) && isExported(statement))
			for (const d of statement.declarationList.declarations)
				if (ts.isIdentifier(d.name)) names.push(d.name.text);
		if (ts.isExportDeclaration(statement) && statement.exportClause)
			if (ts.isNamedExports(statement.exportClause))
				for (const e of statement.exportClause.elements) names.push(e.name.text);
	}
	return names;
}

/** The form actions a `+page.server.ts` exports (`export const actions = { a, b }`). */
function formActions(file: string): string[] {
	for (const statement of parse(file).statements) {
		if (!ts.isVariableStatement(statement) || !isExported(statement)) continue;
		for (const d of statement.declarationList.declarations) {
			if (!ts.isIdentifier(d.name) || d.name.text !== 'actions' || !d.initializer) continue;
			let value: ts.Expression = d.initializer;
			while (ts.isSatisfiesExpression(value) || ts.isAsExpression(value)) value = value.expression;
			if (!ts.isObjectLiteralExpression(value))
				throw new Error(`${file}: actions is not an object literal the test can read`);
			return value.properties.map((p) => {
				if (!p.name || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)))
					throw new Error(`${file}: an action name the test cannot read`);
				return p.name.text;
			});
		}
	}
	return [];
}

export type Auth = 'staff' | 'device' | 'trip' | 'none';

export function authOf(routeId: string): Auth {
	if (isStaffRoute(routeId)) return 'staff';
	if (isTripRoute(routeId)) return 'trip';
	if (isDeviceRoute(routeId)) return 'device';
	return 'none';
}

export interface Endpoint {
	routeId: string;
	method: 'GET' | 'POST';
	/** A form action's name (`default` for a page's only action); null for a `+server.ts`. */
	action: string | null;
	kind: 'page' | 'server' | 'action';
	auth: Auth;
}

/** Every page (GET), every GET and POST of a `+server.ts`, and every form action (POST). */
export function endpointsOnDisk(): Endpoint[] {
	const endpoints: Endpoint[] = [];
	for (const { routeId, name, source } of routeFiles()) {
		const auth = authOf(routeId);
		if (name === '+page.svelte')
			endpoints.push({ routeId, method: 'GET', action: null, kind: 'page', auth });
		if (name === '+server.ts' || name === '+server.js')
			for (const method of ['GET', 'POST'] as const)
				if (exportedNames(source).includes(method))
					endpoints.push({ routeId, method, action: null, kind: 'server', auth });
		if (name === '+page.server.ts' || name === '+page.server.js')
			for (const action of formActions(source))
				endpoints.push({ routeId, method: 'POST', action, kind: 'action', auth });
	}
	return endpoints;
}

/** Every POST endpoint on disk: `+server.ts` POST handlers and form actions. */
export function postEndpointsOnDisk(): Endpoint[] {
	return endpointsOnDisk().filter((e) => e.method === 'POST');
}

/** Whether any `+server.ts` exports a method other than GET and POST (a test must then grow). */
export function otherMethodsOnDisk(): string[] {
	const known = new Set(['GET', 'POST', 'prerender', 'config', 'trailingSlash', 'ssr', 'csr']);
	return routeFiles()
		.filter((f) => f.name === '+server.ts' || f.name === '+server.js')
		.flatMap((f) =>
			exportedNames(f.source)
				.filter((n) => !known.has(n) && /^[A-Z]+$/.test(n))
				.map((n) => `${f.routeId} ${n}`)
		);
}

/** A route id as a path, with its parameters filled in (a missing one is an error). */
export function pathOf(endpoint: Pick<Endpoint, 'routeId' | 'action'>, params: Params): string {
	const path =
		endpoint.routeId
			.split('/')
			.filter((segment) => !/^\(.+\)$/.test(segment))
			.map((segment) => {
				const name = /^\[(\w+)\]$/.exec(segment)?.[1];
				if (!name) return segment;
				const value = params[name];
				if (!value) throw new Error(`No value for [${name}] in ${endpoint.routeId}`);
				return encodeURIComponent(value);
			})
			.join('/') || '/';
	if (endpoint.action === null) return path;
	return endpoint.action === 'default' ? path : `${path}?/${endpoint.action}`;
}

export type Params = Record<string, string>;

/**
 * The staff role to use for a staff endpoint: one the role table lets in (DSL first, then the
 * admin, then a class teacher, then the trip role), or null when none may.
 */
export function roleFor(endpoint: Endpoint): StaffRole | null {
	const search = endpoint.action && endpoint.action !== 'default' ? `?/${endpoint.action}` : '';
	const action = requiredAction(accessKey(endpoint.routeId, endpoint.method, search));
	if (!action) return null;
	const order: StaffRole[] = ['dsl', 'admin', 'teacher', 'trip'];
	return order.find((role) => staffRoles.includes(role) && can(role, action)) ?? null;
}
