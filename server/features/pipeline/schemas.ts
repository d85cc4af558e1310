import { LOCALES } from '../../core/i18n.js';
import { z } from 'zod';
import { TEMPLATE_KEYS, unknownVariables } from './templates.js';

export const NOTE_MAX = 10_000;
export const COMMENT_MAX = 2_000;
export const BULK_MAX = 200;

export const REJECTION_REASONS = ['profile', 'experience', 'other_candidate', 'availability', 'after_interview', 'cancelled', 'other'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** Which rejection mail to send, if any; `auto` picks "after interview" when the candidate had one. */
export const REJECTION_MAILS = ['none', 'auto', 'rejection', 'rejection_after_interview'] as const;
export type RejectionMail = (typeof REJECTION_MAILS)[number];

/** When the rejection mail leaves: now (after its undo window), or once the post is filled. */
export const MAIL_TIMINGS = ['now', 'filled'] as const;
export type MailTiming = (typeof MAIL_TIMINGS)[number];

const id = (message = 'errors.choice') => z.coerce.number({ message }).int(message).positive(message).max(1e12, message);
const optionalText = (max: number, message = 'errors.tooLong') => z.string().trim().max(max, message).default('');
const checkbox = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (Array.isArray(v) ? v.includes('1') || v.includes('on') : v === '1' || v === 'on'));
const idList = (max: number) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.string().regex(/^\d{1,12}$/, 'errors.choice').transform(Number)).max(max, 'pipeline.errors.tooMany'));

export const RETURN_TO = ['board', 'list', 'candidate', 'all'] as const;

export const MoveSchema = z.object({
  stage_id: id(),
  expected_stage_id: id(),
  comment: optionalText(COMMENT_MAX, 'pipeline.errors.commentTooLong'),
  send_mail: checkbox,
  back: z.enum(RETURN_TO).catch('candidate').default('candidate'),
});

export const RejectSchema = z
  .object({
    expected_stage_id: id(),
    reason: z.enum(REJECTION_REASONS, { message: 'pipeline.errors.reasonRequired' }),
    reason_text: optionalText(COMMENT_MAX, 'pipeline.errors.commentTooLong'),
    mail: z.enum(REJECTION_MAILS, { message: 'errors.choice' }),
    timing: z.enum(MAIL_TIMINGS, { message: 'errors.choice' }).default('now'),
    back: z.enum(RETURN_TO).catch('candidate').default('candidate'),
  })
  .refine((v) => v.reason !== 'other' || v.reason_text.length > 0, { message: 'pipeline.errors.reasonTextRequired', path: ['reason_text'] });

export const NoteSchema = z.object({
  body: z.string().trim().min(1, 'pipeline.errors.noteRequired').max(NOTE_MAX, 'pipeline.errors.noteTooLong'),
  mentions: idList(50),
});

/** Bulk selections carry "applicationId:expectedStageId" so a stale list is detected. */
const selection = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .pipe(
    z
      .array(
        z
          .string()
          .regex(/^\d{1,12}:\d{1,12}$/, 'errors.choice')
          .transform((s) => {
            const [applicationId, expectedStageId] = s.split(':').map(Number);
            return { applicationId, expectedStageId };
          }),
      )
      .min(1, 'pipeline.errors.noSelection')
      .max(BULK_MAX, 'pipeline.errors.tooMany'),
  );

export const BulkSchema = z
  .object({
    ids: selection,
    action: z.enum(['move', 'reject'], { message: 'errors.choice' }),
    stage: z.string().trim().max(60, 'errors.choice').default(''),
    reason: z.union([z.literal(''), z.enum(REJECTION_REASONS)]).optional(),
    reason_text: optionalText(COMMENT_MAX, 'pipeline.errors.commentTooLong'),
    mail: z.enum(REJECTION_MAILS).catch('none').default('none'),
    timing: z.enum(MAIL_TIMINGS, { message: 'errors.choice' }).default('now'),
  })
  .superRefine((v, ctx) => {
    if (v.action === 'move' && !v.stage) ctx.addIssue({ code: 'custom', message: 'pipeline.errors.stageRequired', path: ['stage'] });
    if (v.action === 'reject' && !v.reason) ctx.addIssue({ code: 'custom', message: 'pipeline.errors.reasonRequired', path: ['reason'] });
    if (v.action === 'reject' && v.reason === 'other' && !v.reason_text) ctx.addIssue({ code: 'custom', message: 'pipeline.errors.reasonTextRequired', path: ['reason_text'] });
  });
export type BulkInput = z.output<typeof BulkSchema>;

export const StageNameSchema = z.object({
  name: z.string().trim().min(1, 'errors.required').max(60, 'pipeline.errors.stageNameTooLong'),
  anonymised: checkbox,
});

export const StageOrderSchema = z.object({ direction: z.enum(['up', 'down'], { message: 'errors.choice' }) });

export const AnonymisationSchema = z.object({ anonymised: checkbox });

export const TemplateKeySchema = z.enum(TEMPLATE_KEYS);
/** Which language's copy of a template the editor shows (French unless ?langue=en). */
export const TemplateLanguageQuery = z.object({ langue: z.enum(LOCALES).default('fr') });

export const TemplateSchema = z
  .object({
    subject: z.string().trim().min(1, 'errors.required').max(200, 'pipeline.errors.subjectTooLong'),
    body: z.string().trim().min(1, 'errors.required').max(NOTE_MAX, 'pipeline.errors.templateTooLong'),
    intent: z.enum(['save', 'preview', 'reset']).catch('save').default('save'),
  })
  .superRefine((v, ctx) => {
    if (unknownVariables(v.subject).length) ctx.addIssue({ code: 'custom', message: 'pipeline.errors.unknownVariable', path: ['subject'] });
    if (unknownVariables(v.body).length) ctx.addIssue({ code: 'custom', message: 'pipeline.errors.unknownVariable', path: ['body'] });
  });

const dateParam = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => !Number.isNaN(Date.parse(s)))
  .optional()
  .catch(undefined);

/** Query strings of the lists: anything malformed is ignored rather than refused. */
export const ListQuerySchema = z.object({
  etape: z.string().trim().max(60).optional().catch(undefined),
  offre: z.coerce.number().int().positive().max(1e12).optional().catch(undefined),
  du: dateParam,
  au: dateParam,
  q: z.string().trim().max(200).optional().catch(undefined),
  note: z.enum(['avec', 'sans']).optional().catch(undefined),
  /** Knock-out criterion of the posting's questions: not met (flagged) or met. */
  critere: z.enum(['non_rempli', 'rempli']).optional().catch(undefined),
  /** One answer to one question: "questionId:answer" (yes/no and choice questions). */
  reponse: z.string().max(120).regex(/^\d{1,12}:.+$/s).optional().catch(undefined),
  tri: z.enum(['date', 'nom', 'etape', 'offre']).catch('date').default('date'),
  ordre: z.enum(['asc', 'desc']).catch('desc').default('desc'),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});
export type ListQuery = z.output<typeof ListQuerySchema>;
