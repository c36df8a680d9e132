import { z } from 'zod';
import { Count, IdString, openEnum, wireObject } from './primitives.js';

/** One choice of a poll. */
export const PollOption = wireObject({
  position: Count,
  label: z.string(),
  votes: Count,
});
export type PollOption = z.infer<typeof PollOption>;

/** A poll attached to a post (`includes.polls`), joined by `attachments.poll_ids`. */
export const Poll = wireObject({
  id: IdString,
  options: z.array(PollOption),
  duration_minutes: Count.optional(),
  /** ISO 8601. */
  end_datetime: z.string().optional(),
  voting_status: openEnum(['open', 'closed']).optional(),
});
export type Poll = z.infer<typeof Poll>;
