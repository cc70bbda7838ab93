import type { Db } from '../context';

/** A school's remembered import choices, by key ("columns:sims", "uses", "words", "classes"). */
export async function readImportMemory(db: Db, schoolId: string): Promise<Map<string, unknown>> {
	const rows = await db
		.selectFrom('consent_import_memory')
		.select(['memory_key', 'value'])
		.where('school_id', '=', schoolId)
		.execute();
	const out = new Map<string, unknown>();
	for (const row of rows) {
		try {
			out.set(row.memory_key, JSON.parse(row.value));
		} catch {
			// A value that cannot be read is forgotten, never a reason to refuse an import.
		}
	}
	return out;
}

export async function saveImportMemory(
	db: Db,
	schoolId: string,
	values: Record<string, unknown>,
	by: string,
	now: string
): Promise<void> {
	for (const [key, value] of Object.entries(values)) {
		const text = JSON.stringify(value);
		await db
			.insertInto('consent_import_memory')
			.values({
				school_id: schoolId,
				memory_key: key,
				value: text,
				updated_by: by,
				updated_at: now
			})
			.onConflict((oc) =>
				oc
					.columns(['school_id', 'memory_key'])
					.doUpdateSet({ value: text, updated_by: by, updated_at: now })
			)
			.execute();
	}
}
