// @vitest-environment jsdom
import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { i18nContext } from '$lib/i18n/i18n.svelte';
import SignInForm from './SignInForm.svelte';

describe('SignInForm', () => {
	it('labels its fields and posts to the server', () => {
		const { container } = render(SignInForm, { context: i18nContext('en') });
		const email = screen.getByLabelText('Email address');
		const password = screen.getByLabelText('Password');
		expect(email.getAttribute('type')).toBe('email');
		expect(email.getAttribute('autocomplete')).toBe('username');
		expect(password.getAttribute('type')).toBe('password');
		expect(email.hasAttribute('required') && password.hasAttribute('required')).toBe(true);
		expect(container.querySelector('form')?.getAttribute('method')).toBe('POST');
		expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
	});

	it('shows a refusal as an alert and keeps the email typed', () => {
		render(SignInForm, {
			context: i18nContext('en'),
			props: { email: 'someone@school.example', error: 'signin.error.refused' }
		});
		expect(screen.getByRole('alert').textContent).toContain("don't match an account");
		expect(screen.getByLabelText<HTMLInputElement>('Email address').value).toBe(
			'someone@school.example'
		);
		// The password is never given back.
		expect(screen.getByLabelText<HTMLInputElement>('Password').value).toBe('');
	});

	it('speaks Welsh', () => {
		render(SignInForm, { context: i18nContext('cy'), props: { notice: 'signin.notice.idle' } });
		expect(screen.getByRole('button', { name: 'Mewngofnodi' })).toBeTruthy();
		expect(screen.getByRole('status').textContent).toContain('allgofnodi');
	});
});
