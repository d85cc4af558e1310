import { z } from 'zod';

const email = z.string().trim().min(1, 'errors.required').max(254, 'errors.email').pipe(z.email('errors.email'));
const name = z.string().trim().min(1, 'errors.required').max(120, 'auth.errors.nameTooLong');
const newPassword = z.string().min(12, 'errors.passwordLength').max(200, 'auth.errors.passwordTooLong');

export const LoginSchema = z.object({
  email,
  password: z.string().min(1, 'errors.required').max(200, 'auth.errors.passwordTooLong'),
  suite: z.string().max(500).optional(),
});

export const ForgotSchema = z.object({ email });

export const ResetSchema = z
  .object({ password: newPassword, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: 'errors.passwordMismatch', path: ['confirm'] });

export const AcceptInvitationSchema = z
  .object({ name, password: newPassword, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: 'errors.passwordMismatch', path: ['confirm'] });

export const AccountSchema = z.object({
  name,
  locale: z.enum(['fr', 'en'], { message: 'errors.choice' }),
});

export const ChangePasswordSchema = z
  .object({ current: z.string().min(1, 'errors.required').max(200), password: newPassword, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: 'errors.passwordMismatch', path: ['confirm'] });

export const LocaleSchema = z.object({
  locale: z.enum(['fr', 'en'], { message: 'errors.choice' }),
  retour: z.string().max(2000).optional(),
});

export const InvitationSchema = z.object({
  email,
  name,
  role: z.enum(['bureau', 'coordinator', 'case_manager'], { message: 'errors.choice' }),
  title: z.string().trim().max(80, 'auth.errors.titleTooLong').default(''),
});

export const RegionInvitationSchema = z.object({
  email,
  name,
  title: z.string().trim().max(80, 'auth.errors.titleTooLong').default(''),
});
