import { readFixtureText, streamLine } from '@birdstream/test-utils';

/** A minimal valid filtered-stream post message. */
export function post(id: string, text = `post ${id}`) {
  return {
    data: { id, text, edit_history_tweet_ids: [id] },
    matching_rules: [{ id: '1166916266197536768', tag: 'test' }],
  };
}

/** A framed post line (`JSON\r\n`). */
export function postLine(id: string, text?: string): string {
  return streamLine(post(id, text));
}

/** The real recorded operational-disconnect message (twarc, 2021), framed. */
export function operationalDisconnectLine(): string {
  const recorded = JSON.parse(
    readFixtureText('stream/twarc-csv/msg_04_operational_disconnect_error.json'),
  ) as {
    errors: unknown[];
  };
  return streamLine({ errors: recorded.errors });
}
