import { z } from 'zod';
import { staffRoles } from './roles';
import { passwordRules } from './sign-in-policy';

export const passwordSchema = z
	.string()
	.min(passwordRules.minLength, 'account.error.passwordTooShort')
	.max(passwordRules.maxLength, 'account.error.passwordTooLong');

export const staffNameSchema = z
	.string()
	.trim()
	.min(1, 'staff.error.nameMissing')
	.max(80, 'staff.error.nameTooLong');

export const emailSchema = z
	.string()
	.trim()
	.toLowerCase()
	.max(200, 'staff.error.emailInvalid')
	.pipe(z.email('staff.error.emailInvalid'));

export const newStaffSchema = z.object({
	name: staffNameSchema,
	email: emailSchema,
	role: z.enum(staffRoles, 'staff.error.roleInvalid')
});
export type NewStaffInput = z.output<typeof newStaffSchema>;

export const schoolNameSchema = z
	.string()
	.trim()
	.min(2, 'setup.error.schoolNameMissing')
	.max(120, 'setup.error.schoolNameTooLong');

export const firstRunSchema = z.object({
	schoolName: schoolNameSchema,
	adminName: staffNameSchema,
	email: emailSchema,
	password: passwordSchema
});
export type FirstRunInput = z.output<typeof firstRunSchema>;

/** The school's first DSL, named at setup (optional): both a name and an email, or neither. */
export const firstDslSchema = z
	.object({ name: z.string().trim(), email: z.string().trim() })
	.transform((v, c) => {
		if (v.name === '' && v.email === '') return null;
		const name = staffNameSchema.safeParse(v.name);
		const email = emailSchema.safeParse(v.email);
		if (!name.success) c.addIssue({ code: 'custom', message: 'accountApproval.error.dslName' });
		else if (!email.success) c.addIssue({ code: 'custom', message: 'staff.error.emailInvalid' });
		return name.success && email.success ? { name: name.data, email: email.data } : null;
	});

export const classInputSchema = z.object({
	name: z.string().trim().min(1, 'class.error.nameMissing').max(40, 'class.error.nameTooLong'),
	yearGroup: z.coerce
		.number('class.error.yearGroupInvalid')
		.int('class.error.yearGroupInvalid')
		.min(0, 'class.error.yearGroupInvalid')
		.max(6, 'class.error.yearGroupInvalid')
});

/** The first message key of a failed parse, for a form to show. */
export function firstProblem(error: z.ZodError): string {
	return error.issues[0]?.message ?? 'error.invalid';
}
