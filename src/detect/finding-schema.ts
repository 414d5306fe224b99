import { z } from 'zod';

/** The five artifact classes, in registry (and report) order: the one list every other place derives from. */
export const DETECTOR_IDS = ['gray-haze', 'gray-rectangles', 'grid-pattern', 'border-lines', 'conv-squares'] as const;
export type DetectorId = (typeof DETECTOR_IDS)[number];

export const detectorIdSchema = z.enum(DETECTOR_IDS).meta({ id: 'detectorId' });

export const regionSchema = z
  .object({
    x: z.number().min(0),
    y: z.number().min(0),
    width: z.number().min(0),
    height: z.number().min(0),
    label: z.string().optional().describe('Short human label, e.g. "right edge, 3 px in" or "haze 41%".'),
  })
  .describe('An axis-aligned box in pixel coordinates of the analysed image.');

export const fixSchema = z
  .object({
    text: z.string(),
    flags: z.string().optional().describe('A copy-paste `artifact-scan render` flag string, where one applies.'),
    adjust: z
      .enum(['tv-weight', 'tiled-size'])
      .optional()
      .describe('A value that depends on the run, which the report computes (src/detect/fix-params.ts): tv-weight, a TV weight above the one used; tiled-size, an output size whose both sides are multiples of the network stride.'),
  })
  .describe('A recommended change.');

export const findingSchema = z
  .strictObject({
    id: detectorIdSchema,
    severity: z.number().min(0).max(1).describe("0..1, higher is worse; monotone in the artifact's strength and comparable across sizes."),
    detected: z.boolean().describe('severity > the calibrated threshold (the comparison the gate makes; src/detect/normalise.ts).'),
    regions: z.array(regionSchema),
    measurements: z.record(z.string(), z.unknown()).describe('The evidence a person can check (periods, ratios, sides, fractions...).'),
    fixes: z.array(fixSchema),
  })
  .describe('What a detector measures on one image or one group average.')
  .meta({ id: 'finding' });

/** An axis-aligned box in pixel coordinates of the analysed image. */
export type Region = z.infer<typeof regionSchema>;
/** A recommended change. `flags` is a copy-paste `artifact-scan render` flag string where one applies. */
export type Fix = z.infer<typeof fixSchema>;
/** What a detector measures on one image or one group average (JSON schema v1 "finding"). */
export type Finding = z.infer<typeof findingSchema>;
