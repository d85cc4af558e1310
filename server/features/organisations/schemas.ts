import { z } from 'zod';
import { httpsUrl, postalCode } from '../../core/validate.js';

const text = (max: number) => z.string().trim().min(1, 'errors.required').max(max, 'errors.tooLong');

export const RegionSchema = z.object({ name: text(80) });

export const OrganisationSchema = z.object({
  name: text(120),
  department: text(80),
  territory: text(300),
  population: z
    .string()
    .trim()
    .min(1, 'errors.required')
    .regex(/^\d[\d\s\u202f\u00a0]*$/, 'errors.number')
    .transform((v) => Number(v.replace(/[\s\u202f\u00a0]/g, '')))
    .pipe(z.number().int().min(0, 'errors.number').max(20_000_000, 'errors.number')),
  presentation: z.string().trim().max(4000, 'errors.tooLong').default(''),
  street_address: z.string().trim().max(200, 'errors.tooLong').default(''),
  postal_code: postalCode,
  city: z.string().trim().max(120, 'errors.tooLong').default(''),
  website_url: httpsUrl,
  logo_url: httpsUrl,
  email: z
    .string()
    .trim()
    .max(254, 'errors.email')
    .refine((v) => v === '' || z.email().safeParse(v).success, 'errors.email')
    .default(''),
});

export const NewOrganisationSchema = OrganisationSchema.extend({
  region_id: z.coerce.number({ message: 'errors.choice' }).int().positive('errors.choice'),
});

/** ACI size classes by population: 1 < 40,000; 2 = 40-80,000; 3 = 80-175,000; 4 > 175,000. */
export function sizeClass(population: number): 1 | 2 | 3 | 4 {
  if (population < 40_000) return 1;
  if (population < 80_000) return 2;
  if (population <= 175_000) return 3;
  return 4;
}

export const RemoveMemberSchema = z.object({
  role: z.enum(['bureau', 'coordinator', 'case_manager'], { message: 'errors.choice' }),
});
