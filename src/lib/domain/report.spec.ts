import { describe, expect, it } from 'vitest';
import {
	canSeeReport,
	defaultSchoolHours,
	eventProblem,
	refuseEvent,
	reportState,
	reportSubmissionSchema,
	routeReport,
	schoolMinutesBetween,
	tooBigToSend,
	worryTopics,
	type ReportEvent,
	type ReportEventBody
} from './report';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 9, minute)).toISOString();
const by = (
	body: ReportEventBody,
	minute = 0,
	role: 'teacher' | 'dsl' = 'teacher'
): ReportEvent => ({
	at: at(minute),
	actorId: role === 'dsl' ? 'dsl-1' : 'teacher-1',
	actorRole: role,
	body
});

describe('routing a worry', () => {
	it('sends a worry about a grown-up to the DSL alone', () => {
		expect(routeReport('grown-up')).toEqual({ audience: 'dsl-only', urgent: false });
	});
	it('sends "I\'m not safe right now" to the class and the DSL, marked urgent', () => {
		expect(routeReport('not-safe')).toEqual({ audience: 'class', urgent: true });
	});
	it.each(worryTopics.filter((t) => t !== 'grown-up' && t !== 'not-safe'))(
		'sends "%s" to the class teacher, not urgent',
		(topic) => {
			expect(routeReport(topic)).toEqual({ audience: 'class', urgent: false });
		}
	);
});

describe('who sees a report', () => {
	const classReport = { audience: 'class' as const, classIds: ['class-a'], talkTo: null };
	const teacherA = { role: 'teacher' as const, staffId: 't-a', classIds: ['class-a'] };
	const teacherB = { role: 'teacher' as const, staffId: 't-b', classIds: ['class-b'] };
	it('shows a class report to that class teacher only', () => {
		expect(canSeeReport(teacherA, classReport)).toBe(true);
		expect(canSeeReport(teacherB, classReport)).toBe(false);
	});
	it('shows every report to the DSL, none to admin or trip staff', () => {
		const dslOnly = { ...classReport, audience: 'dsl-only' as const };
		expect(canSeeReport({ role: 'dsl', staffId: 'd', classIds: [] }, dslOnly)).toBe(true);
		expect(canSeeReport({ role: 'admin', staffId: 'a', classIds: ['class-a'] }, classReport)).toBe(
			false
		);
		expect(canSeeReport({ role: 'trip', staffId: 'x', classIds: ['class-a'] }, classReport)).toBe(
			false
		);
	});
	it('keeps a worry about a grown-up from the class teacher, even one the pupil chose', () => {
		expect(canSeeReport(teacherA, { ...classReport, audience: 'dsl-only', talkTo: 't-a' })).toBe(
			false
		);
	});
	it('shows a report to the adult the pupil chose to talk to', () => {
		expect(canSeeReport(teacherB, { ...classReport, talkTo: 't-b' })).toBe(true);
	});
});

describe('the state of a report, read from its events', () => {
	const plain = { urgent: false };
	it('is new until someone opens it, then seen', () => {
		expect(reportState(plain, []).status).toBe('new');
		const seen = reportState(plain, [by({ kind: 'seen' }, 3)]);
		expect(seen.status).toBe('seen');
		expect(seen.firstSeenAt).toBe(at(3));
	});
	it('is in progress once anything is done, and keeps the latest category', () => {
		const state = reportState(plain, [
			by({ kind: 'seen' }),
			by({ kind: 'incident-category', category: 'bullying' }, 1),
			by({ kind: 'talked-with-child', text: '' }, 2),
			by({ kind: 'incident-category', category: 'hate' }, 3)
		]);
		expect(state.status).toBe('in-progress');
		expect(state.category).toBe('hate');
		expect(state.escalated).toBe(false);
	});
	it('counts a report as escalated once escalated or referred, or when urgent', () => {
		expect(reportState({ urgent: true }, []).escalated).toBe(true);
		expect(reportState(plain, [by({ kind: 'escalated-to-dsl', text: '' })]).escalated).toBe(true);
		expect(
			reportState(plain, [by({ kind: 'referred', to: 'ceop', text: 'Online contact' })]).escalated
		).toBe(true);
	});
	it('closes with an outcome; a later note corrects without reopening; the DSL can reopen', () => {
		const closed = [
			by({ kind: 'seen' }),
			by({ kind: 'closed', outcome: 'resolved-in-school', text: 'Talked it through' }, 5)
		];
		expect(reportState(plain, closed).closed?.outcome).toBe('resolved-in-school');
		const noted = [...closed, by({ kind: 'note', text: 'Correction: it was Tuesday' }, 6)];
		expect(reportState(plain, noted).status).toBe('closed');
		const reopened = [...noted, by({ kind: 'reopened', text: 'It happened again' }, 7, 'dsl')];
		expect(reportState(plain, reopened).status).toBe('in-progress');
		expect(reportState(plain, reopened).closed).toBeNull();
	});
	it('notes that the DSL was alerted, without counting it as anyone seeing it', () => {
		const state = reportState(plain, [
			{ at: at(40), actorId: null, actorRole: null, body: { kind: 'dsl-alerted', minutes: 30 } }
		]);
		expect(state).toMatchObject({ status: 'new', dslAlerted: true, firstSeenAt: null });
	});
});

describe('close rules', () => {
	const open = reportState({ urgent: false }, [by({ kind: 'seen' })]);
	const escalated = reportState({ urgent: false }, [by({ kind: 'escalated-to-dsl', text: '' })]);
	const closed = reportState({ urgent: false }, [
		by({ kind: 'closed', outcome: 'no-further-action', text: 'x' })
	]);
	it('lets a teacher close a report that was never escalated', () => {
		expect(refuseEvent('teacher', open, 'closed')).toBeNull();
	});
	it('needs the DSL to close a report that was ever escalated or urgent', () => {
		expect(refuseEvent('teacher', escalated, 'closed')).toBe('dsl-must-close');
		expect(refuseEvent('dsl', escalated, 'closed')).toBeNull();
		expect(refuseEvent('teacher', reportState({ urgent: true }, []), 'closed')).toBe(
			'dsl-must-close'
		);
	});
	it('takes only notes on a closed report, and only the DSL reopens it', () => {
		expect(refuseEvent('teacher', closed, 'note')).toBeNull();
		expect(refuseEvent('teacher', closed, 'talked-with-child')).toBe('closed');
		expect(refuseEvent('teacher', closed, 'closed')).toBe('closed');
		expect(refuseEvent('teacher', closed, 'reopened')).toBe('dsl-must-reopen');
		expect(refuseEvent('dsl', closed, 'reopened')).toBeNull();
		expect(refuseEvent('dsl', open, 'reopened')).toBe('not-closed');
	});
});

describe('what a device may send', () => {
	const valid = {
		id: '9b2f8a52-1a8e-4f43-9a1c-3d1b2b7c6e01',
		createdAt: '2026-11-23T09:15:00.000Z',
		classId: '5d1c3f0e-8a7b-4c2d-9e1f-0a1b2c3d4e5f',
		pupilId: null,
		feeling: 'worried',
		topic: 'unkind',
		words: null,
		drawing: null,
		voice: null,
		talkTo: null,
		lang: 'en'
	};
	it('takes a worry with nothing but a topic', () => {
		expect(reportSubmissionSchema.safeParse(valid).success).toBe(true);
	});
	it('refuses a photo passed off as a drawing, and unknown topics', () => {
		const jpeg = { ...valid, drawing: 'data:image/jpeg;base64,/9j/4AAQ' };
		expect(reportSubmissionSchema.safeParse(jpeg).success).toBe(false);
		expect(reportSubmissionSchema.safeParse({ ...valid, topic: 'homework' }).success).toBe(false);
	});
	it('refuses oversized drawings and voice notes before they are queued', () => {
		expect(
			tooBigToSend({
				drawing: `data:image/png;base64,${'A'.repeat(400_001)}`,
				voice: null,
				words: null
			})
		).toBe('drawing');
		expect(
			tooBigToSend({
				drawing: null,
				voice: { mime: 'audio/mp4', data: 'AAAA', seconds: 75 },
				words: null
			})
		).toBe('voice');
		expect(
			tooBigToSend({ drawing: 'data:image/png;base64,AAAA', voice: null, words: 'hi' })
		).toBeNull();
	});
});

describe('school minutes', () => {
	const hours = defaultSchoolHours;
	it('counts only minutes inside school hours on school days', () => {
		// Monday 23 November 2026, 10:00 to 10:45 London time (GMT): all inside.
		expect(
			schoolMinutesBetween(
				new Date('2026-11-23T10:00:00Z'),
				new Date('2026-11-23T10:45:00Z'),
				hours
			)
		).toBe(45);
	});
	it('carries a Friday afternoon worry over the weekend', () => {
		const friday = new Date('2026-11-27T15:25:00Z');
		expect(schoolMinutesBetween(friday, new Date('2026-11-27T18:00:00Z'), hours)).toBe(5);
		expect(schoolMinutesBetween(friday, new Date('2026-11-30T08:55:00Z'), hours)).toBe(30);
	});
	it('follows British Summer Time', () => {
		// 1 June 2026: school opens at 08:30 BST, which is 07:30 UTC.
		expect(
			schoolMinutesBetween(
				new Date('2026-06-01T07:00:00Z'),
				new Date('2026-06-01T08:00:00Z'),
				hours
			)
		).toBe(30);
	});
	it('stops counting at the cap', () => {
		expect(
			schoolMinutesBetween(
				new Date('2026-11-23T09:00:00Z'),
				new Date('2026-11-23T14:00:00Z'),
				hours,
				30
			)
		).toBe(30);
	});
});

describe('a staff entry with a choice left empty', () => {
	it('names the choice staff missed, and nothing else when the entry is whole', () => {
		expect(eventProblem({ kind: 'talked-with-child', text: '' })).toBeNull();
		expect(eventProblem({ text: 'Spoke to them' })).toBe('choose.action');
		expect(eventProblem({ kind: '', text: '' })).toBe('choose.action');
		expect(eventProblem({ kind: 'referred', to: '', text: '' })).toBe('choose.referral');
		expect(eventProblem({ kind: 'person-involved', name: '', role: '' })).toBe('choose.role');
		expect(eventProblem({ kind: 'incident-category' })).toBe('choose.category');
		expect(eventProblem({ kind: 'closed', outcome: '', text: '' })).toBe('choose.outcome');
		// A typed field missing, or a value no form offers, is "incomplete".
		expect(eventProblem({ kind: 'closed', outcome: 'referred-on', text: '' })).toBe('incomplete');
		expect(eventProblem({ kind: 'closed', outcome: 'nope', text: 'x' })).toBe('incomplete');
		expect(eventProblem({ kind: 'homework' })).toBe('incomplete');
	});
});
