import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1, 'errors.required').max(max, 'errors.tooLong');
const optionalText = (max: number) => z.string().trim().max(max, 'errors.tooLong').default('');

export const INSTITUTIONS = ['ars', 'cpam', 'dac', 'cls', 'ght', 'other'] as const;

export const CorrespondentSchema = z.object({
  department: text(80),
  institution: z.enum(INSTITUTIONS, { message: 'errors.choice' }),
  institution_other: optionalText(120),
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
}).refine((v) => v.institution !== 'other' || v.institution_other !== '', { message: 'network.errors.institutionOther', path: ['institution_other'] });
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

const timeOfDay = z.string().trim().min(1, 'errors.required').regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'network.errors.time');

/** An https address, or nothing. */
export const optionalUrl = z
  .string()
  .trim()
  .max(500, 'errors.tooLong')
  .default('')
  .refine((v) => v === '' || /^https:\/\/[^\s<>"]+$/.test(v), 'network.errors.videoUrl');

/** Checkboxes: absent, one value or several. */
const idList = z.preprocess(
  (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.string().regex(/^\d{1,12}$/, 'errors.choice').transform(Number)).max(500, 'errors.choice'),
);

export const EventSchema = z
  .object({
    kind: z.enum(['meeting', 'training'], { message: 'errors.choice' }),
    title: text(160),
    date: z.string().trim().min(1, 'errors.required').regex(/^\d{4}-\d{2}-\d{2}$/, 'network.errors.date'),
    time: timeOfDay,
    end_time: timeOfDay,
    place: optionalText(300),
    video_url: optionalUrl,
    agenda: optionalText(4000),
    audience: z.enum(['region', 'organisations'], { message: 'errors.choice' }).default('region'),
    organisation_ids: idList,
  })
  .refine((v) => v.end_time > v.time, { message: 'network.errors.endBeforeStart', path: ['end_time'] })
  .refine((v) => v.place !== '' || v.video_url !== '', { message: 'network.errors.placeOrVideo', path: ['place'] })
  .refine((v) => v.audience === 'region' || v.organisation_ids.length > 0, { message: 'network.errors.audience', path: ['organisation_ids'] });
export type EventInput = z.output<typeof EventSchema>;

export const RsvpSchema = z.object({ response: z.enum(['yes', 'no', 'maybe'], { message: 'errors.choice' }) });

export const AnswerSchema = RsvpSchema;

export const ProfileSchema = z.object({
  phone: z
    .string()
    .trim()
    .max(30, 'network.errors.phone')
    .default('')
    .refine((v) => v === '' || /^\+?[\d\s.()-]{6,30}$/.test(v), 'network.errors.phone'),
});
