import { describe, expect, it } from 'vitest';
import {
	alertEmail,
	alertKinds,
	alertPath,
	alertRecipients,
	childProtectionCategories,
	isChildProtectionCategory,
	looksLikeEmail,
	retryDelayMinutes,
	type StaffForAlerts
} from './alerts';
import { incidentCategories } from './report';

const person = (over: Partial<StaffForAlerts>): StaffForAlerts => ({
	id: 'x',
	role: 'teacher',
	email: 'x@school.example',
	disabled: false,
	pendingApproval: false,
	...over
});

describe('alert kinds', () => {
	it('are the four the issue names', () => {
		expect(alertKinds).toEqual(['not-safe', 'unopened', 'child-protection', 'staff-allegation']);
	});
	it('child-protection categories: contact and image sharing today, and the seed categories to come', () => {
		expect(childProtectionCategories).toEqual([
			'unknown-contact',
			'image-sharing',
			'child-abuse-material',
			'illegal-pornographic-material',
			'terrorist-extremist-material'
		]);
		const alerting = incidentCategories.filter(isChildProtectionCategory);
		expect(alerting).toEqual(['unknown-contact', 'image-sharing']);
		expect(isChildProtectionCategory('bullying')).toBe(false);
		expect(isChildProtectionCategory('other')).toBe(false);
	});
});

describe('alertRecipients', () => {
	const staff = [
		person({ id: 'd1', role: 'dsl', email: 'dee@school.example' }),
		person({ id: 'd2', role: 'dsl', email: 'new@school.example', pendingApproval: true }),
		person({ id: 'd3', role: 'dsl', email: 'left@school.example', disabled: true }),
		person({ id: 't1', role: 'teacher', email: 'tia@school.example' }),
		person({ id: 't2', role: 'teacher', email: 'tom@school.example' })
	];
	it('approved DSLs, deputies, then out-of-hours contacts', () => {
		expect(alertRecipients(staff, ['t1'], [{ email: 'head.home@example.org' }])).toEqual([
			{ kind: 'dsl', staffId: 'd1', address: 'dee@school.example' },
			{ kind: 'deputy', staffId: 't1', address: 'tia@school.example' },
			{ kind: 'contact', staffId: null, address: 'head.home@example.org' }
		]);
	});
	it('a DSL waiting for approval or a disabled account gets nothing, even as a deputy', () => {
		const to = alertRecipients(staff, ['d2', 'd3'], []).map((r) => r.address);
		expect(to).toEqual(['dee@school.example']);
	});
	it('each address once, whatever its case', () => {
		const to = alertRecipients(staff, ['d1', 't2'], [{ email: 'TOM@school.example ' }]);
		expect(to.map((r) => r.address)).toEqual(['dee@school.example', 'tom@school.example']);
	});
});

describe('the e-mail', () => {
	it('says only that something needs attention, and links to it', () => {
		for (const kind of alertKinds) {
			const mail = alertEmail(
				kind,
				'Hilltop Primary',
				'https://lantern.school.example/staff/reports/r1'
			);
			expect(mail.text).toContain('https://lantern.school.example/staff/reports/r1');
			expect(mail.subject).toContain('Hilltop Primary');
			expect(mail.text).toContain('says nothing about what was reported');
		}
		expect(alertEmail('not-safe', 'S', 'L').subject).toBe(
			'Urgent: a pupil has asked for help now (S)'
		);
	});
	it('links to the report page', () => {
		expect(alertPath('report', 'abc')).toBe('/staff/reports/abc');
	});
});

describe('retries and addresses', () => {
	it('waits 1, 2, 4 … minutes, at most 30', () => {
		expect([1, 2, 3, 4, 5, 6, 7, 20].map(retryDelayMinutes)).toEqual([1, 2, 4, 8, 16, 30, 30, 30]);
	});
	it('checks an address roughly', () => {
		expect(looksLikeEmail('a.b@school.example')).toBe(true);
		expect(looksLikeEmail('not an address')).toBe(false);
		expect(looksLikeEmail('a@b')).toBe(false);
		expect(looksLikeEmail('a@b.c\nBcc: x@y.z')).toBe(false);
	});
});
