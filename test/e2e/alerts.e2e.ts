import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '$lib/server/context';
import { demoPassword, demoSchoolName, demoStaff } from '$lib/server/demo/demo-school';
import { alertEmailsOf } from '$lib/server/repositories/alert.repository';
import { listStaff } from '$lib/server/repositories/staff.repository';
import { createEnrolmentCode } from '$lib/server/services/device.service';
import { startLoopbackRelay, type LoopbackRelay } from '../integration/support/smtp-relay';
import { PupilScreen } from './pages/pupil-pages';
import { SignInPage } from './pages/staff-pages';
import { expectAccessible } from './support/axe';
import { launchBrowser, openPage } from './support/browser';
import { actorFor, classIdByName, openSchool } from './support/school';
import { startServer, type RunningServer } from './support/server';

/**
 * E-mail alerts end to end: the DSL names a deputy and an out-of-hours contact, a pupil sends
 * "I'm not safe right now" from a class iPad, and a real SMTP server on loopback receives one
 * e-mail for each of them, with nothing of the worry in it.
 */
describe('e-mail alerts', () => {
	let relay: LoopbackRelay;
	let server: RunningServer;
	let browser: Browser;
	let school: AppContext & { close(): Promise<void> };
	const contact = { name: 'Olu Outofhours', email: 'olu.outofhours@home.example' };

	beforeAll(async () => {
		relay = await startLoopbackRelay();
		server = await startServer({
			seed: 'demo',
			env: { LANTERN_SMTP_URL: relay.url, LANTERN_SMTP_FROM: 'Lantern <lantern@localhost>' }
		});
		school = await openSchool(server.dbFile);
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await school?.close();
		await server?.stop();
		server?.cleanUp();
		await relay?.close();
	});

	async function signedIn(email: string): Promise<Page> {
		const page = await openPage(browser);
		const signIn = new SignInPage(page, server.url);
		await signIn.open();
		await signIn.signIn(email, demoPassword);
		await page.waitForURL('**/staff**');
		return page;
	}

	it('the DSL adds a deputy and an out-of-hours contact; "I\'m not safe right now" e-mails each of them and the DSL', async () => {
		const dsl = await signedIn(demoStaff.dsl.email);
		await dsl.getByRole('link', { name: 'E-mail alerts' }).click();
		await dsl.getByRole('heading', { name: 'E-mail alerts', level: 1 }).waitFor();
		const status = dsl.getByTestId('alert-status');
		expect(await status.innerText()).toContain('E-mail is set up on this server.');
		expect(await status.innerText()).toContain('No alert e-mail has been sent yet.');
		await expectAccessible(dsl);

		await dsl.getByLabel('Member of staff').selectOption({ label: demoStaff.year4.name });
		await dsl.getByRole('button', { name: 'Add as a deputy' }).click();
		await dsl.getByTestId('deputies').getByText(demoStaff.year4.name, { exact: true }).waitFor();
		await dsl.getByLabel('Name', { exact: true }).fill(contact.name);
		await dsl.getByLabel('E-mail address').fill(contact.email);
		await dsl.getByRole('button', { name: 'Add this contact' }).click();
		await dsl
			.getByTestId('contacts')
			.getByText(`${contact.name} — ${contact.email}`, { exact: true })
			.waitFor();
		await expectAccessible(dsl);

		// A pupil on the Kestrels' iPad.
		const teacher = await actorFor(school, demoStaff.year4.email);
		const kestrels = await classIdByName(school, teacher, 'Kestrels');
		const code = await createEnrolmentCode(school, teacher, {
			name: 'Kestrels iPad',
			classIds: [kestrels]
		});
		if (!code.ok) throw new Error(code.error);
		const ipad = await openPage(browser);
		const screen = new PupilScreen(ipad, server.url);
		await screen.open();
		await screen.enrolWithTypedCode(code.code);
		await screen.findMyName('Arlo N.');
		await screen.itsMe();
		await screen.waitUntilSignedIn('Arlo');
		await ipad.getByRole('button', { name: 'Tell an adult' }).click();
		await ipad.getByRole('heading', { name: 'How do you feel?', level: 2 }).waitFor();
		await ipad.getByRole('button', { name: 'Scared', exact: true }).click();
		await ipad.getByRole('button', { name: "I'm not safe right now", exact: true }).click();
		await ipad.getByRole('heading', { name: 'Tell us more', level: 2 }).waitFor();
		await ipad.getByRole('button', { name: 'No, thank you', exact: true }).click();
		await ipad.getByRole('button', { name: 'Send', exact: true }).click();
		await ipad.getByRole('heading', { name: 'Thank you for telling us.' }).waitFor();
		await expectAccessible(ipad);

		// Every approved DSL of the demo school, the deputy and the contact: one e-mail each.
		const staff = await listStaff(school.db, teacher.schoolId);
		const dsls = staff
			.filter((s) => s.role === 'dsl' && !s.pendingApproval && s.disabledAt === null)
			.map((s) => s.email);
		const expected = [...dsls, demoStaff.year4.email, contact.email].sort();
		const mails = await relay.waitFor(expected.length);
		expect(mails.map((m) => m.to[0]).sort()).toEqual(expected);
		const [emailRow] = await alertEmailsOf(school.db, teacher.schoolId);
		for (const mail of mails) {
			expect(mail.to).toHaveLength(1);
			expect(mail.subject).toBe(`Urgent: a pupil has asked for help now (${demoSchoolName})`);
			expect(mail.text).toContain(`${server.url}/staff/reports/${emailRow!.subject_id}`);
			for (const part of [mail.subject, mail.text, mail.raw]) {
				expect(part).not.toMatch(/\bArlo\b/);
				expect(part).not.toContain('Kestrels');
				expect(part).not.toMatch(/scared/i);
			}
		}
		console.log(`--- ${mails[0]!.subject}\n${mails[0]!.text}`);

		// The status line shows the send.
		await dsl.reload();
		await dsl.getByTestId('alert-status').getByText('Last alert e-mail sent:').waitFor();
		await expectAccessible(dsl);
		expect(relay.received).toHaveLength(expected.length);
	});
});
