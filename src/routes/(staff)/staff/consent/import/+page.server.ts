import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import {
	fieldNames,
	maxConsentBytes,
	presetNames,
	presets,
	wordMeanings,
	type ImportSettings,
	type PresetName,
	type WordMeaning
} from '$lib/domain/consent-import';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { field, readForm, readUploadedCsv } from '$lib/server/forms';
import { consentUses, importConsent } from '$lib/server/services/consent.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({
	uses: (await consentUses(app(), staffActor(locals).schoolId)).map((u) => ({
		id: u.id,
		name: u.name
	})),
	presets: presetNames.map((name) => ({
		name,
		format: presets[name].format,
		example: presets[name].example
	}))
});

const text = z.string().max(200);
const settingsSchema = z.object({
	preset: z.enum(presetNames),
	format: z.enum(['wide', 'long']),
	columns: z.object(Object.fromEntries(fieldNames.map((f) => [f, text.nullable()]))),
	uses: z.record(text, text),
	words: z.record(text, z.enum(['yes', 'no', 'none'])),
	classes: z.record(text, text),
	blanks: z.enum(['no-answer', 'not-given']),
	useToday: z.boolean()
});

/** Pairs posted as `name.N` (the file's text) and `name.N.value` (the office's choice). */
function pairs(form: FormData, name: string): [string, string][] {
	const out: [string, string][] = [];
	for (let i = 0; i < 500 && form.has(`${name}.${i}`); i++)
		out.push([field(form, `${name}.${i}`), field(form, `${name}.${i}.value`)]);
	return out;
}

/**
 * The office's choices: from the mapping step's fields, or carried whole to the import
 * button; null on the first step, or when the kind of export changed (they are guessed again).
 */
function chosenSettings(form: FormData): ImportSettings | null {
	const carried = field(form, 'settings');
	if (carried) {
		try {
			const parsed = settingsSchema.safeParse(JSON.parse(carried));
			return parsed.success ? (parsed.data as ImportSettings) : null;
		} catch {
			return null;
		}
	}
	if (field(form, 'mapped') !== 'yes') return null;
	const preset = field(form, 'preset') as PresetName;
	if (!presetNames.includes(preset) || field(form, 'previousPreset') !== preset) return null;
	const optional = (name: string) => field(form, name) || null;
	return {
		preset,
		format: field(form, 'format') === 'long' ? 'long' : 'wide',
		columns: Object.fromEntries(
			fieldNames.map((f) => [f, optional(`col.${f}`)])
		) as ImportSettings['columns'],
		uses: Object.fromEntries(pairs(form, 'use')),
		words: Object.fromEntries(
			pairs(form, 'word').filter((p): p is [string, WordMeaning] =>
				wordMeanings.includes(p[1] as WordMeaning)
			)
		),
		classes: Object.fromEntries(pairs(form, 'class')),
		blanks: field(form, 'blanks') === 'not-given' ? 'not-given' : 'no-answer',
		useToday: field(form, 'useToday') === 'yes'
	};
}

async function run(request: Request, locals: App.Locals, commit: boolean) {
	const form = await readForm(request);
	if (!form) return fail(400, { error: 'error.badForm' });
	const source = await readUploadedCsv(form, maxConsentBytes, {
		tooBig: 'consentImport.error.tooBig',
		noFile: 'consentImport.error.noFile'
	});
	if ('error' in source) return fail(source.status, { error: source.error });
	const { csv, encoding } = source;
	const presetField = field(form, 'preset') as PresetName;
	const result = await importConsent(app(), staffActor(locals), {
		text: csv,
		encoding,
		settings: chosenSettings(form),
		preset: presetNames.includes(presetField) ? presetField : null,
		commit
	});
	if (!result.ok) return fail(400, { csv, encoding, result });
	return { csv, encoding, result };
}

export const actions: Actions = {
	preview: async ({ request, locals }) => run(request, locals, false),
	commit: async ({ request, locals }) => run(request, locals, true)
};
