import { z } from 'zod';
import { videoUrl } from '../interviews/schemas.js';
import { parisToUtc } from '../interviews/time.js';

const MAX_SLOTS_PER_BATCH = 60;
export const MIN_SLOT_MINUTES = 15;

const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter((s) => s !== ''));

const time = z.string().trim().regex(/^\d{2}:\d{2}$/, 'interviews.errors.time');

/**
 * Several days at once, one time range, slots of a duration with a break between them
 * ("Tuesday and Thursday 14:00–18:00, 45 min each, 15 min between"). The output is the list
 * of UTC slots; the service checks them against the clock and the poll's other slots.
 */
export const SlotBatchSchema = z
  .object({
    dates: list.pipe(z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'interviews.errors.date')).min(1, 'scheduling.errors.dates').max(10, 'scheduling.errors.tooManyDates')),
    from: time,
    to: time,
    duration: z.coerce.number({ message: 'scheduling.errors.duration' }).int('scheduling.errors.duration').max(480, 'scheduling.errors.duration'),
    gap: z.coerce.number({ message: 'scheduling.errors.gap' }).int('scheduling.errors.gap').min(0, 'scheduling.errors.gap').max(240, 'scheduling.errors.gap').default(0),
    mode: z.enum(['place', 'video'], { message: 'errors.choice' }),
    location: z.string().trim().max(300, 'errors.tooLong').default(''),
    video_url: videoUrl.default(''),
  })
  .transform((v, zctx) => {
    let issues = 0;
    const ctx = { addIssue: (issue: { code: 'custom'; message: string; path: string[] }) => (issues++, zctx.addIssue(issue)) };
    if (v.duration < MIN_SLOT_MINUTES) ctx.addIssue({ code: 'custom', message: 'scheduling.errors.tooShort', path: ['duration'] });
    if (v.mode === 'place' && !v.location) ctx.addIssue({ code: 'custom', message: 'interviews.errors.location', path: ['location'] });
    if (v.mode === 'video' && !v.video_url) ctx.addIssue({ code: 'custom', message: 'interviews.errors.videoUrl', path: ['video_url'] });
    const slots: { start: Date; end: Date }[] = [];
    for (const date of [...new Set(v.dates)].sort()) {
      const from = parisToUtc(date, v.from);
      const to = parisToUtc(date, v.to);
      if (!from) {
        ctx.addIssue({ code: 'custom', message: 'interviews.errors.date', path: ['dates'] });
        continue;
      }
      if (!to) {
        ctx.addIssue({ code: 'custom', message: 'interviews.errors.time', path: ['to'] });
        continue;
      }
      if (to <= from) {
        ctx.addIssue({ code: 'custom', message: 'interviews.errors.endBeforeStart', path: ['to'] });
        continue;
      }
      if (v.duration < MIN_SLOT_MINUTES) continue;
      let start = from.getTime();
      while (start + v.duration * 60_000 <= to.getTime()) {
        slots.push({ start: new Date(start), end: new Date(start + v.duration * 60_000) });
        start += (v.duration + v.gap) * 60_000;
      }
      if (slots.length > MAX_SLOTS_PER_BATCH) break;
    }
    if (issues === 0 && v.duration >= MIN_SLOT_MINUTES && slots.length === 0) ctx.addIssue({ code: 'custom', message: 'scheduling.errors.rangeTooShort', path: ['to'] });
    if (slots.length > MAX_SLOTS_PER_BATCH) ctx.addIssue({ code: 'custom', message: 'scheduling.errors.tooManySlots', path: ['duration'] });
    return { ...v, slots };
  });
export type SlotBatch = z.output<typeof SlotBatchSchema>;

export const PollSettingsSchema = z.object({
  quorum: z.coerce.number({ message: 'scheduling.errors.quorum' }).int('scheduling.errors.quorum').min(1, 'scheduling.errors.quorum').max(30, 'scheduling.errors.quorum'),
  chair_required: z
    .union([z.literal('1'), z.literal('')])
    .optional()
    .transform((v) => v === '1'),
  deadline_hours: z.coerce.number({ message: 'scheduling.errors.deadline' }).int('scheduling.errors.deadline').min(0, 'scheduling.errors.deadline').max(336, 'scheduling.errors.deadline'),
});
export type PollSettings = z.output<typeof PollSettingsSchema>;

export const ANSWERS = ['yes', 'maybe', 'no'] as const;
export type Answer = (typeof ANSWERS)[number];

/** answer_<slotId> = yes | maybe | no; any other field is ignored, a bad value refused. */
export const AnswersSchema = z
  .record(z.string(), z.unknown())
  .transform((body, ctx) => {
    let bad = false;
    const answers = new Map<number, Answer>();
    for (const [key, value] of Object.entries(body)) {
      const m = /^answer_(\d{1,12})$/.exec(key);
      if (!m) continue;
      if (typeof value !== 'string' || !(ANSWERS as readonly string[]).includes(value)) {
        ctx.addIssue({ code: 'custom', message: 'scheduling.errors.answer', path: ['_form'] });
        bad = true;
        continue;
      }
      answers.set(Number(m[1]), value as Answer);
    }
    if (answers.size === 0 && !bad) ctx.addIssue({ code: 'custom', message: 'scheduling.errors.noAnswer', path: ['_form'] });
    return answers;
  });

export const InviteCandidatesSchema = z.object({
  applications: list.pipe(z.array(z.string().regex(/^\d{1,12}$/, 'errors.choice').transform(Number)).min(1, 'scheduling.errors.noCandidate').max(100, 'errors.choice')),
});

export const ChooseSlotSchema = z.object({
  slot_id: z.string({ message: 'scheduling.errors.pickSlot' }).regex(/^\d{1,12}$/, 'scheduling.errors.pickSlot').transform(Number),
});

/** Tokens of signed links (base64url of 32 random bytes). */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
