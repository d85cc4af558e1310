import { z } from 'zod';
import { webUrl } from '../../core/validate.js';
import { parisToUtc } from './time.js';

const idList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .pipe(z.array(z.string().regex(/^\d{1,12}$/, 'errors.choice').transform(Number)).max(30, 'errors.choice'));

/** Only web links a browser opens safely (no javascript:, data:, file:, no spaces), normalised. */
export const videoUrl = z
  .string()
  .trim()
  .max(500, 'errors.tooLong')
  .transform((v, ctx) => {
    if (v === '') return '';
    const url = webUrl(v);
    if (url === undefined) {
      ctx.addIssue({ code: 'custom', message: 'interviews.errors.videoUrl' });
      return z.NEVER;
    }
    return url;
  });

export const InterviewSchema = z
  .object({
    date: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, 'interviews.errors.date'),
    start_time: z.string().trim().regex(/^\d{2}:\d{2}$/, 'interviews.errors.time'),
    end_time: z.string().trim().regex(/^\d{2}:\d{2}$/, 'interviews.errors.time'),
    mode: z.enum(['place', 'video'], { message: 'errors.choice' }),
    location: z.string().trim().max(300, 'errors.tooLong').default(''),
    video_url: videoUrl.default(''),
    attendees: idList,
    expected_sequence: z.coerce.number().int().min(0).max(10_000).optional(),
  })
  .transform((v, ctx) => {
    const start = parisToUtc(v.date, v.start_time);
    const end = parisToUtc(v.date, v.end_time);
    if (!start) ctx.addIssue({ code: 'custom', message: 'interviews.errors.date', path: ['date'] });
    if (!end) ctx.addIssue({ code: 'custom', message: 'interviews.errors.time', path: ['end_time'] });
    if (start && end && end <= start) ctx.addIssue({ code: 'custom', message: 'interviews.errors.endBeforeStart', path: ['end_time'] });
    if (v.mode === 'place' && !v.location) ctx.addIssue({ code: 'custom', message: 'interviews.errors.location', path: ['location'] });
    if (v.mode === 'video' && !v.video_url) ctx.addIssue({ code: 'custom', message: 'interviews.errors.videoUrl', path: ['video_url'] });
    if (v.attendees.length === 0) ctx.addIssue({ code: 'custom', message: 'interviews.errors.attendees', path: ['attendees'] });
    return { ...v, start: start as Date, end: end as Date };
  });
export type InterviewForm = z.output<typeof InterviewSchema>;

/** Cancelling an interview says why: the candidate and the panel are told. */
export const CancelInterviewSchema = z.object({
  reason: z.string({ message: 'interviews.errors.reasonRequired' }).trim().min(3, 'interviews.errors.reasonRequired').max(500, 'interviews.errors.reasonTooLong'),
});
