import { z } from 'zod';
import { Media } from './media.js';
import { Place } from './place.js';
import { Poll } from './poll.js';
import { wireObject } from './primitives.js';
import { Topic } from './topic.js';
import { Tweet } from './tweet.js';
import { User } from './user.js';

/** The objects that `expansions` pull in, referenced by id from `data`. */
export const Includes = wireObject({
  tweets: z.array(Tweet).optional(),
  users: z.array(User).optional(),
  media: z.array(Media).optional(),
  places: z.array(Place).optional(),
  polls: z.array(Poll).optional(),
  topics: z.array(Topic).optional(),
  /** OpenAPI 2.167 name of `tweets`. */
  posts: z.array(Tweet).optional(),
});
export type Includes = z.infer<typeof Includes>;
