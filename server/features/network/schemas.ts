import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1, 'errors.required').max(max, 'errors.tooLong');
const optionalText = (max: number) => z.string().trim().max(max, 'errors.tooLong').default('');

export const INSTITUTIONS = ['ars', 'cpam', 'dac', 'other'] as const;

export const CorrespondentSchema = z.object({
  department: text(80),
  institution: z.enum(INSTITUTIONS, { message: 'errors.choice' }),
  name: text(120),
  role: optionalText(160),
  email: z
    .string()
    .trim()
    .max(254, 'errors.email')
    .default('')
    .refine((v) => v === '' || z.email().safeParse(v).success, 'errors.email'),
  phone: z
    .string()
    .trim()
    .max(30, 'network.errors.phone')
    .default('')
    .refine((v) => v === '' || /^\+?[\d\s.()-]{6,30}$/.test(v), 'network.errors.phone'),
});
export type CorrespondentInput = z.output<typeof CorrespondentSchema>;

/** "userId:organisationId": a person is paired as the coordinator of one CPTS. */
const coordinatorRef = z
  .string({ message: 'errors.choice' })
  .trim()
  .regex(/^\d{1,12}:\d{1,12}$/, 'errors.choice')
  .transform((v) => {
    const [userId, organisationId] = v.split(':').map(Number);
    return { userId, organisationId };
  });

export const PairingSchema = z.object({ mentee: coordinatorRef, mentor: coordinatorRef });

export const EventSchema = z.object({
  kind: z.enum(['meeting', 'training'], { message: 'errors.choice' }),
  title: text(160),
  date: z.string().trim().min(1, 'errors.required').regex(/^\d{4}-\d{2}-\d{2}$/, 'network.errors.date'),
  time: z.string().trim().min(1, 'errors.required').regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'network.errors.time'),
  duration_minutes: z
    .string()
    .trim()
    .min(1, 'errors.required')
    .regex(/^\d{1,4}$/, 'network.errors.duration')
    .transform(Number)
    .pipe(z.number().min(15, 'network.errors.duration').max(24 * 60, 'network.errors.duration')),
  place: text(300),
  agenda: optionalText(4000),
});
export type EventInput = z.output<typeof EventSchema>;

export const RsvpSchema = z.object({ response: z.enum(['yes', 'no', 'maybe'], { message: 'errors.choice' }) });
