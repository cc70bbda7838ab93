import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext, StaffActor } from '$lib/server/context';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import { listPupilsOfClass } from '$lib/server/repositories/pupil.repository';
import { issueCards } from '$lib/server/services/card.service';
import { createEnrolmentCode, enrolDevice } from '$lib/server/services/device.service';
import { ReportPage, ReportsInbox } from './pages/report-pages';
import { SignInPage } from './pages/staff-pages';
import { openPage } from './support/browser';
import { actorFor, classIdByName, openSchool } from './support/school';
import { browserSuite } from './support/suite';

/**
 * Anyone holding a class iPad's token can file a worry under any pupil's name. The worry is
 * kept; the DSL is told, in words, when nothing backs the name.
 */
describe('security: who sent a report, as staff see it', () => {
	const suite = browserSuite({ seed: 'demo' });
	let school: AppContext & { close(): Promise<void> };
	let dsl: StaffActor;
	let token: string;
	let forged: string;
	let carded: string;

	const file = async (body: Record<string, unknown>) => {
		const response = await fetch(`${suite.server.url}/api/device/reports`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: JSON.stringify(body)
		});
		expect(response.status).toBe(201);
	};
	const worry = (classId: string, pupilId: string, cardId: string | null, words: string) => ({
		id: randomUUID(),
		createdAt: new Date().toISOString(),
		classId,
		pupilId,
		cardId,
		feeling: 'worried',
		topic: 'unkind',
		words,
		drawing: null,
		voice: null,
		talkTo: null,
		lang: 'en'
	});

	async function signedIn(email: string): Promise<Page> {
		const page = await openPage(suite.browser);
		const signIn = new SignInPage(page, suite.server.url);
		await signIn.open();
		await signIn.signIn(email, demoPassword);
		await page.waitForURL('**/staff**');
		return page;
	}

	beforeAll(async () => {
		school = await openSchool(suite.server.dbFile);
		dsl = await actorFor(school, demoStaff.dsl.email);
		const teacher = await actorFor(school, demoStaff.year4.email);
		const kestrels = await classIdByName(school, teacher, 'Kestrels');
		const hedgehogs = await classIdByName(school, dsl, 'Hedgehogs');
		const code = await createEnrolmentCode(school, teacher, {
			name: 'Kestrels iPad',
			classIds: [kestrels]
		});
		if (!code.ok) throw new Error(code.error);
		const enrolled = await enrolDevice(school, code.code);
		if (!enrolled.ok) throw new Error(enrolled.error);
		token = enrolled.token;
		const arlo = (await listPupilsOfClass(school.db, dsl.schoolId, kestrels)).find(
			(p) => p.firstName === 'Arlo'
		)!;
		const other = (await listPupilsOfClass(school.db, dsl.schoolId, hedgehogs))[0]!;
		const cards = await issueCards(school, teacher, kestrels, { kind: 'pupil', pupilId: arlo.id });
		if (!cards.ok) throw new Error(cards.error);
		const cardId = cards.cards[0]!.token.split(':')[1]!;

		// The Kestrels' iPad names a Hedgehogs pupil, with no card: kept, with doubt.
		const bad = worry(hedgehogs, other.id, null, 'Filed under another class');
		await file(bad);
		forged = bad.id;
		// Arlo signed in with his own card on his class's iPad: nothing to doubt.
		const good = worry(kestrels, arlo.id, cardId, 'Signed in with a card');
		await file(good);
		carded = good.id;
	});
	afterAll(async () => {
		await school?.close();
	});

	it('shows the DSL the doubt in words in the inbox and on the report page', async () => {
		const page = await signedIn(demoStaff.dsl.email);
		const inbox = new ReportsInbox(page, suite.server.url);
		await inbox.open();
		const rows = await inbox.rows();
		const row = (id: string) => rows.find((r) => r.id === id)!;
		expect(row(forged).text).toContain('Name not confirmed');
		expect(row(carded).text).not.toContain('Name not confirmed');

		const report = new ReportPage(page, suite.server.url);
		await report.open(forged);
		expect(await report.identityDoubt()).toBe(
			"⚠ Sent from an iPad of another class: the name may not be the child's"
		);
		await report.open(carded);
		expect(await report.identityDoubt()).toBeNull();
		await page.close();
	});
});
