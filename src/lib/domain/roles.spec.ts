import { describe, expect, it } from 'vitest';
import {
	actions,
	can,
	canAct,
	canUseClass,
	seesAllClasses,
	seesEveryReport,
	staffRoles,
	type Action,
	type StaffRole
} from './roles';

// The whole table, written out again by hand: a change to who may do what must change both.
const expected: Record<StaffRole, Record<Action, boolean>> = {
	admin: {
		'account.view': true,
		'account.change-password': true,
		'account.second-factor': true,
		'account.approve': false,
		'staff.view': true,
		'staff.manage': true,
		'staff.reset-second-factor': true,
		'class.view': true,
		'class.manage': true,
		'pupil.view': true,
		'pupil.manage': true,
		'pupil.import': true,
		'device.view': true,
		'device.manage': true,
		'card.issue': true,
		'report.view': false,
		'report.act': false,
		'report.export': false,
		'report.summary': true,
		'lesson.present': true,
		'lesson.results': false,
		'consent.view': true,
		'consent.manage': true,
		'consent.reason': true,
		'trip.snapshot': true,
		'trip.revoke': true,
		'audit.view': false,
		'alerts.manage': false
	},
	dsl: {
		'account.view': true,
		'account.change-password': true,
		'account.second-factor': true,
		'account.approve': true,
		'staff.view': false,
		'staff.manage': false,
		'staff.reset-second-factor': false,
		'class.view': true,
		'class.manage': false,
		'pupil.view': true,
		'pupil.manage': false,
		'pupil.import': false,
		'device.view': true,
		'device.manage': false,
		'card.issue': false,
		'report.view': true,
		'report.act': true,
		'report.export': true,
		'report.summary': true,
		'lesson.present': true,
		'lesson.results': true,
		'consent.view': true,
		'consent.manage': true,
		'consent.reason': true,
		'trip.snapshot': true,
		'trip.revoke': true,
		'audit.view': true,
		'alerts.manage': true
	},
	teacher: {
		'account.view': true,
		'account.change-password': true,
		'account.second-factor': true,
		'account.approve': false,
		'staff.view': false,
		'staff.manage': false,
		'staff.reset-second-factor': false,
		'class.view': true,
		'class.manage': false,
		'pupil.view': true,
		'pupil.manage': true,
		'pupil.import': true,
		'device.view': true,
		'device.manage': true,
		'card.issue': true,
		'report.view': true,
		'report.act': true,
		'report.export': false,
		'report.summary': false,
		'lesson.present': true,
		'lesson.results': true,
		'consent.view': true,
		'consent.manage': false,
		'consent.reason': false,
		'trip.snapshot': true,
		'trip.revoke': true,
		'audit.view': false,
		'alerts.manage': false
	},
	trip: {
		'account.view': true,
		'account.change-password': true,
		'account.second-factor': true,
		'account.approve': false,
		'staff.view': false,
		'staff.manage': false,
		'staff.reset-second-factor': false,
		'class.view': false,
		'class.manage': false,
		'pupil.view': false,
		'pupil.manage': false,
		'pupil.import': false,
		'device.view': false,
		'device.manage': false,
		'card.issue': false,
		'report.view': false,
		'report.act': false,
		'report.export': false,
		'report.summary': false,
		'lesson.present': false,
		'lesson.results': false,
		'consent.view': false,
		'consent.manage': false,
		'consent.reason': false,
		'trip.snapshot': true,
		'trip.revoke': false,
		'audit.view': false,
		'alerts.manage': false
	}
};

describe('role × action table', () => {
	for (const role of staffRoles) {
		for (const action of actions) {
			it(`${role} ${expected[role][action] ? 'may' : 'may not'} ${action}`, () => {
				expect(can(role, action)).toBe(expected[role][action]);
			});
		}
	}
});

describe('class scope', () => {
	it('lets a teacher use only the classes they teach', () => {
		const teacher = { role: 'teacher' as const, classIds: ['a'] };
		expect(canUseClass(teacher, 'a')).toBe(true);
		expect(canUseClass(teacher, 'b')).toBe(false);
	});
	it('lets the DSL and the admin see every class', () => {
		expect(canUseClass({ role: 'dsl', classIds: [] }, 'b')).toBe(true);
		expect(canUseClass({ role: 'admin', classIds: [] }, 'b')).toBe(true);
	});
	it('gives trip staff no class', () => {
		expect(canUseClass({ role: 'trip', classIds: [] }, 'b')).toBe(false);
	});
});

describe('a DSL account waiting for approval', () => {
	it('sees no report and approves nothing until an existing DSL approves it', () => {
		const pending = { role: 'dsl' as const, pendingApproval: true };
		for (const action of actions) {
			// Only their own account: no audit log, class, pupil, consent reason or report.
			const expected =
				can('dsl', action) && action.startsWith('account.') && action !== 'account.approve';
			expect(canAct(pending, action), action).toBe(expected);
		}
		expect(canUseClass({ ...pending, classIds: ['a'] }, 'a')).toBe(false);
		expect(seesAllClasses(pending)).toBe(false);
		expect(seesAllClasses({ role: 'dsl' })).toBe(true);
		expect(seesEveryReport(pending)).toBe(false);
		expect(seesEveryReport({ role: 'dsl' })).toBe(true);
		expect(canAct({ role: 'dsl' }, 'report.view')).toBe(true);
	});
});
