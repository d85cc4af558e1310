import { z } from 'zod';
import { isCalendarDate } from '../onboarding/dates.js';
import { FREQUENCIES } from './recurrence.js';

const text = (max: number) => z.string().trim().min(1, 'errors.required').max(max, 'errors.tooLong');
const optionalText = (max: number) => z.string().trim().max(max, 'errors.tooLong').default('');
const calendarDate = z.string({ message: 'errors.required' }).trim().min(1, 'errors.required').refine(isCalendarDate, 'exchange.errors.date');
const id = z.string({ message: 'errors.choice' }).trim().regex(/^\d{1,12}$/, 'errors.choice').transform(Number);

const idList = z.preprocess(
  (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.string().regex(/^\d{1,12}$/, 'errors.choice').transform(Number)).max(200, 'errors.choice'),
);

export const SeriesSchema = z
  .object({
    frequency: z.enum(FREQUENCIES, { message: 'errors.choice' }),
    weekday: z.string({ message: 'errors.choice' }).trim().regex(/^[1-7]$/, 'errors.choice').transform(Number),
    start_time: z.string().trim().min(1, 'errors.required').regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'exchange.errors.time'),
    duration_minutes: z
      .string()
      .trim()
      .min(1, 'errors.required')
      .regex(/^\d{1,3}$/, 'exchange.errors.duration')
      .transform(Number)
      .pipe(z.number().min(15, 'exchange.errors.duration').max(480, 'exchange.errors.duration')),
    start_date: calendarDate,
    place: optionalText(300),
    video_url: z
      .string()
      .trim()
      .max(500, 'errors.tooLong')
      .default('')
      .refine((v) => v === '' || /^https:\/\/[^\s<>"]+$/.test(v), 'exchange.errors.videoUrl'),
    participant_ids: idList,
    plan_step_id: z
      .string()
      .trim()
      .default('')
      .refine((v) => v === '' || /^\d{1,12}$/.test(v), 'errors.choice')
      .transform((v) => (v === '' ? null : Number(v))),
  })
  .refine((v) => v.place !== '' || v.video_url !== '', { message: 'exchange.errors.placeOrVideo', path: ['place'] });
export type SeriesInput = z.output<typeof SeriesSchema>;

export const AgendaItemSchema = z.object({ body: text(1000) });
export const MinutesSchema = z.object({ minutes: optionalText(20_000), decisions: optionalText(10_000) });
export const ActionSchema = z.object({ title: text(300), owner_user_id: id, due_date: calendarDate });
export type ActionInput = z.output<typeof ActionSchema>;
export const ActionStatusSchema = z.object({
  done: z.enum(['1', '0'], { message: 'errors.choice' }).transform((v) => v === '1'),
  back: z.string().trim().default('').refine((v) => v === '' || isCalendarDate(v), 'errors.choice'),
});
