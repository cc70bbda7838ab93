import { randomUUID } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import type { Feeling, StaffEvent, WorryTopic } from '$lib/domain/report';
import type { AppContext, StaffActor } from '../context';
import { classIdsForStaff } from '../repositories/class.repository';
import { pictureHashOf } from '../repositories/picture-password.repository';
import { listPupilsOfClass } from '../repositories/pupil.repository';
import { findStaffByEmail } from '../repositories/staff.repository';
import { createEnrolmentCode, enrolDevice, type DeviceActor } from '../services/device.service';
import { addReportEvent, openReport, submitReport } from '../services/report.service';
import { seedPupilContact } from '../services/seed.service';

/**
 * Made-up worries for the demo inbox, spread over the last months so the governors' chart
 * has something to show. Every pupil, word and drawing here is invented.
 */
interface DemoReport {
	className: string;
	/** A pupil's first name, or null for "I'd rather not say". */
	pupil: string | null;
	daysAgo: number;
	feeling: Feeling;
	topic: WorryTopic;
	words: string | null;
	drawing?: boolean;
	/** Events as [staff key, event], in order. */
	events: [StaffKey, StaffEvent | 'seen'][];
}

type StaffKey = 'dsl' | 'year1' | 'year4' | 'year6';

const examples: DemoReport[] = [
	{
		className: 'Otters',
		pupil: 'Mali',
		daysAgo: 0,
		feeling: 'scared',
		topic: 'not-safe',
		words: null,
		events: []
	},
	{
		className: 'Kestrels',
		pupil: null,
		daysAgo: 0,
		feeling: 'worried',
		topic: 'grown-up',
		words: 'A grown-up I play a game with online said not to tell my mum about our chats.',
		events: []
	},
	{
		className: 'Hedgehogs',
		pupil: 'Daisy',
		daysAgo: 1,
		feeling: 'sad',
		topic: 'upsetting',
		words: null,
		drawing: true,
		events: [['year1', 'seen']]
	},
	{
		className: 'Kestrels',
		pupil: 'Elin',
		daysAgo: 3,
		feeling: 'worried',
		topic: 'unkind',
		words: 'People in the class group chat keep leaving me out and saying I am weird.',
		events: [
			['year4', 'seen'],
			[
				'year4',
				{ kind: 'talked-with-child', text: 'Talked at lunchtime. Elin named three children.' }
			],
			['year4', { kind: 'incident-category', category: 'bullying' }]
		]
	},
	{
		className: 'Otters',
		pupil: 'Dara',
		daysAgo: 6,
		feeling: 'confused',
		topic: 'stranger',
		words: 'Someone I do not know messaged me in a game and asked which school I go to.',
		events: [
			['year6', 'seen'],
			['year6', { kind: 'escalated-to-dsl', text: 'Asked for the school name: passing to Priya.' }],
			['dsl', 'seen'],
			['dsl', { kind: 'incident-category', category: 'unknown-contact' }],
			['dsl', { kind: 'parents-informed', text: 'Phoned Dara’s dad, who will report the account.' }]
		]
	},
	{
		className: 'Otters',
		pupil: 'Kian',
		daysAgo: 35,
		feeling: 'angry',
		topic: 'pictures',
		words: 'Someone in Year 6 sent round a photo of me that I did not want shared.',
		events: [
			['year6', 'seen'],
			['year6', { kind: 'escalated-to-dsl', text: '' }],
			['dsl', 'seen'],
			['dsl', { kind: 'incident-category', category: 'image-sharing' }],
			['dsl', { kind: 'person-involved', name: 'A Year 6 pupil', role: 'pupil' }],
			[
				'dsl',
				{ kind: 'parents-informed', text: 'Both families spoken to; the photo was deleted.' }
			],
			[
				'dsl',
				{
					kind: 'closed',
					outcome: 'resolved-in-school',
					text: 'Photo deleted; both pupils supported.'
				}
			]
		]
	},
	{
		className: 'Kestrels',
		pupil: 'Harri',
		daysAgo: 48,
		feeling: 'worried',
		topic: 'something-else',
		words: 'My brother lets me use his betting app on his phone.',
		events: [
			['year4', 'seen'],
			['year4', { kind: 'incident-category', category: 'gambling' }],
			['year4', { kind: 'talked-with-child', text: '' }],
			[
				'year4',
				{ kind: 'parents-informed', text: 'Mum thanked us and has spoken to the brother.' }
			],
			['year4', { kind: 'closed', outcome: 'resolved-in-school', text: 'Family dealing with it.' }]
		]
	},
	{
		className: 'Hedgehogs',
		pupil: 'Gus',
		daysAgo: 70,
		feeling: 'scared',
		topic: 'upsetting',
		words: null,
		events: [
			['year1', 'seen'],
			['year1', { kind: 'incident-category', category: 'harmful-content' }],
			['year1', { kind: 'reported-for-filtering', text: 'A video site got past the filter.' }],
			['year1', { kind: 'closed', outcome: 'resolved-in-school', text: 'Site now blocked.' }]
		]
	},
	{
		className: 'Otters',
		pupil: 'Cleo',
		daysAgo: 95,
		feeling: 'sad',
		topic: 'unkind',
		words: 'Mean comments on my video.',
		events: [
			['year6', 'seen'],
			['year6', { kind: 'incident-category', category: 'bullying' }],
			['year6', { kind: 'closed', outcome: 'resolved-in-school', text: 'Comments removed.' }]
		]
	}
];

export async function addDemoReports(
	ctx: AppContext,
	admin: StaffActor,
	classIds: Map<string, string>,
	staffEmails: Record<StaffKey, string>
): Promise<Map<string, DeviceActor>> {
	const staff = new Map<StaffKey, StaffActor>();
	for (const [key, email] of Object.entries(staffEmails) as [StaffKey, string][]) {
		const found = await findStaffByEmail(ctx.db, email);
		if (!found) throw new Error(`Demo staff ${email} is missing`);
		staff.set(key, {
			schoolId: found.schoolId,
			staffId: found.id,
			role: found.role,
			name: found.name,
			email: found.email,
			classIds: await classIdsForStaff(ctx.db, found.schoolId, found.id, ctx.clock.now())
		});
	}
	// Pupils may choose the safeguarding lead or the Year 4 teacher besides their own teacher.
	await seedPupilContact(ctx, admin, staff.get('dsl')!.staffId);
	await seedPupilContact(ctx, admin, staff.get('year4')!.staffId);

	const devices = new Map<string, DeviceActor>();
	for (const [name, classId] of classIds) {
		const code = await createEnrolmentCode(ctx, admin, {
			name: `${name} iPad`,
			classIds: [classId]
		});
		if (!code.ok) throw new Error(code.error);
		const enrolled = await enrolDevice(ctx, code.code);
		if (!enrolled.ok) throw new Error(enrolled.error);
		devices.set(name, {
			deviceId: enrolled.deviceId,
			schoolId: admin.schoolId,
			classIds: [classId]
		});
	}

	const now = ctx.clock.now().getTime();
	for (const example of [...examples].reverse()) {
		const classId = classIds.get(example.className)!;
		const pupils = await listPupilsOfClass(ctx.db, admin.schoolId, classId);
		const pupil = example.pupil ? pupils.find((p) => p.firstName === example.pupil) : undefined;
		let at = now - example.daysAgo * 86_400_000 - 2 * 3_600_000;
		const then = { ...ctx, clock: { now: () => new Date(at) } };
		const id = randomUUID();
		const sent = await submitReport(then, devices.get(example.className)!, {
			id,
			createdAt: new Date(at - 60_000).toISOString(),
			classId,
			pupilId: pupil?.id ?? null,
			// A Hedgehog signed in with their picture password; the others chose their name, so
			// staff see that nothing confirms it.
			pictures: pupil
				? (await pictureHashOf(ctx.db, admin.schoolId, pupil.id)) !== undefined
				: false,
			feeling: example.feeling,
			topic: example.topic,
			words: example.words,
			drawing: example.drawing ? demoDrawing() : null,
			voice: null,
			talkTo: null,
			lang: 'en'
		});
		if (sent.status !== 201)
			throw new Error(`Demo report was refused: ${JSON.stringify(sent.body)}`);
		for (const [who, event] of example.events) {
			at += 20 * 60_000;
			const actor = staff.get(who)!;
			if (event === 'seen') await openReport(then, actor, id);
			else {
				const done = await addReportEvent(then, actor, id, event);
				if (!done.ok) throw new Error(`Demo report event was refused: ${done.error}`);
			}
		}
	}
	return devices;
}

/** A child's drawing of a sad face and a phone, as a small PNG made here (no files needed). */
function demoDrawing(): string {
	const width = 300;
	const height = 200;
	const pixels = Buffer.alloc(width * height * 3, 255);
	const dot = (x: number, y: number, rgb: [number, number, number], r = 3) => {
		for (let dy = -r; dy <= r; dy++)
			for (let dx = -r; dx <= r; dx++) {
				const px = Math.round(x + dx);
				const py = Math.round(y + dy);
				if (dx * dx + dy * dy > r * r || px < 0 || py < 0 || px >= width || py >= height) continue;
				pixels.set(rgb, (py * width + px) * 3);
			}
	};
	const blue: [number, number, number] = [29, 98, 196];
	const black: [number, number, number] = [27, 27, 31];
	for (let a = 0; a < Math.PI * 2; a += 0.02)
		dot(90 + 55 * Math.cos(a), 100 + 55 * Math.sin(a), blue);
	dot(70, 85, black, 6);
	dot(110, 85, black, 6);
	for (let a = Math.PI * 1.15; a < Math.PI * 1.85; a += 0.02)
		dot(90 + 28 * Math.cos(a), 150 + 28 * Math.sin(a), black);
	for (let y = 50; y <= 150; y++) {
		dot(200, y, black, 2);
		dot(260, y, black, 2);
	}
	for (let x = 200; x <= 260; x++) {
		dot(x, 50, black, 2);
		dot(x, 150, black, 2);
	}
	const rows = Buffer.alloc((width * 3 + 1) * height);
	for (let y = 0; y < height; y++)
		pixels.copy(rows, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
	const chunk = (type: string, data: Buffer) => {
		const head = Buffer.alloc(8);
		head.writeUInt32BE(data.length, 0);
		head.write(type, 4, 'ascii');
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'ascii'), data])), 0);
		return Buffer.concat([head, data, crc]);
	};
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([8, 2, 0, 0, 0], 8);
	const png = Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(rows)),
		chunk('IEND', Buffer.alloc(0))
	]);
	return `data:image/png;base64,${png.toString('base64')}`;
}
