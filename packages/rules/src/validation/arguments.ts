/**
 * Checks of operator values (`sample:15`, `lang:en`, `point_radius:[…]`).
 * Each returns `undefined` when the value is fine, else what is wrong.
 */

/** What is wrong with an operator's value. */
export interface ArgumentIssue {
  code: 'invalid-argument' | 'argument-out-of-range';
  message: string;
}

/** Checks one operator's argument: the issue with it, or `undefined` when it is valid. */
export type ArgumentCheck = (value: string) => ArgumentIssue | undefined;

/**
 * The `lang:` codes X documents for filtered stream rules (BCP 47, spec §3.6).
 * Note X's historical codes: `iw` for Hebrew, `in` for Indonesian.
 */
export const LANGUAGE_CODES: readonly string[] = [
  'am',
  'ar',
  'hy',
  'eu',
  'bn',
  'bg',
  'ca',
  'hr',
  'cs',
  'da',
  'nl',
  'en',
  'et',
  'fi',
  'fr',
  'de',
  'ka',
  'el',
  'gu',
  'iw',
  'hi',
  'hu',
  'in',
  'it',
  'ja',
  'kn',
  'ko',
  'lv',
  'lt',
  'ml',
  'mr',
  'no',
  'fa',
  'pl',
  'pt',
  'ro',
  'ru',
  'sr',
  'zh-CN',
  'sk',
  'sl',
  'es',
  'sv',
  'ta',
  'te',
  'th',
  'zh-TW',
  'tr',
  'uk',
  'ur',
  'vi',
];

const LANGUAGES = new Map(LANGUAGE_CODES.map((code) => [code.toLowerCase(), code]));

function invalid(message: string): ArgumentIssue {
  return { code: 'invalid-argument', message };
}

function outOfRange(message: string): ArgumentIssue {
  return { code: 'argument-out-of-range', message };
}

/** Any value but an empty one. */
export const nonEmpty =
  (operator: string): ArgumentCheck =>
  (value) =>
    value.trim() === '' ? invalid(`${operator} needs a value`) : undefined;

/** A username (1–15 letters, digits or `_`) or a numeric user id. */
export const username =
  (operator: string): ArgumentCheck =>
  (value) =>
    /^[A-Za-z0-9_]{1,15}$/.test(value) || /^[0-9]{1,19}$/.test(value)
      ? undefined
      : invalid(
          `${operator} takes a username without @ (1 to 15 letters, digits or _) or a numeric user id, got '${value}'`,
        );

/** A post or conversation id. */
export const postId =
  (operator: string): ArgumentCheck =>
  (value) =>
    /^[0-9]{1,19}$/.test(value)
      ? undefined
      : invalid(`${operator} takes a numeric post id of 1 to 19 digits, got '${value}'`);

/** A whole number within `[min, max]`. */
export const integerIn =
  (operator: string, min: number, max: number): ArgumentCheck =>
  (value) => {
    if (!/^[0-9]+$/.test(value)) {
      return invalid(`${operator} takes a whole number from ${min} to ${max}, got '${value}'`);
    }
    const n = Number(value);
    return n < min || n > max
      ? outOfRange(`${operator} must be between ${min} and ${max}, got ${value}`)
      : undefined;
  };

/** A count `N` or a range `N..M` (`followers_count:1000..10000`). */
export const countRange =
  (operator: string): ArgumentCheck =>
  (value) => {
    const match = /^([0-9]+)(?:\.\.([0-9]+))?$/.exec(value);
    if (!match) {
      return invalid(
        `${operator} takes a count such as 1000 or a range such as 1000..10000, got '${value}'`,
      );
    }
    if (match[2] !== undefined && Number(match[1]) > Number(match[2])) {
      return outOfRange(
        `${operator} range ${value} is empty: the lower bound is above the upper bound`,
      );
    }
    return undefined;
  };

/** `lang:` codes (case-insensitive). */
export const language: ArgumentCheck = (value) =>
  LANGUAGES.has(value.toLowerCase())
    ? undefined
    : outOfRange(
        `lang: does not support '${value}'; use a documented code such as en, es, ja or zh-CN (LANGUAGE_CODES in @birdstream/rules lists them all)`,
      );

/** `context:domain.entity` or `context:domain.*`. */
export const contextPair: ArgumentCheck = (value) =>
  /^[0-9]+\.(?:[0-9]+|\*)$/.test(value)
    ? undefined
    : invalid(
        `context: takes domain_id.entity_id or domain_id.* (such as 10.799022225751871488), got '${value}'`,
      );

/** A two-letter ISO 3166-1 country code. */
export const countryCode: ArgumentCheck = (value) =>
  /^[A-Za-z]{2}$/.test(value)
    ? undefined
    : invalid(`place_country: takes a two-letter ISO country code such as US, got '${value}'`);

/** `embedding_threshold:` between 0 and 1. */
export const threshold: ArgumentCheck = (value) => {
  if (!/^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/.test(value)) {
    return invalid(
      `embedding_threshold: takes a decimal number from 0 to 1 such as 0.3, got '${value}'`,
    );
  }
  const n = Number(value);
  return n < 0 || n > 1
    ? outOfRange(`embedding_threshold: must be between 0 and 1, got ${value}`)
    : undefined;
};

const MAX_GEO_MILES = 25;
const KM_PER_MILE = 1.609344;
const EARTH_RADIUS_MILES = 3958.8;
const NUMBER = /^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)$/;

function coordinates(operator: string, parts: string[], roles: string[]): number[] | ArgumentIssue {
  const values: number[] = [];
  for (const [index, part] of parts.entries()) {
    if (!NUMBER.test(part)) {
      return invalid(
        `${operator} ${roles[index]} must be a number in decimal degrees, got '${part}'`,
      );
    }
    const n = Number(part);
    const isLatitude = roles[index]!.includes('latitude');
    const limit = isLatitude ? 90 : 180;
    if (Math.abs(n) > limit) {
      return outOfRange(`${operator} ${roles[index]} must be within ±${limit}, got ${part}`);
    }
    values.push(n);
  }
  return values;
}

/** `point_radius:[lon lat radius]`, radius in mi or km, under 25 miles. */
export const pointRadius: ArgumentCheck = (value) => {
  const parts = value.trim().split(/\s+/);
  if (parts.length !== 3) {
    return invalid(
      `point_radius: takes [longitude latitude radius] such as [2.355128 48.861118 16km], got [${value}]`,
    );
  }
  const coords = coordinates('point_radius:', parts.slice(0, 2), ['longitude', 'latitude']);
  if (!Array.isArray(coords)) return coords;
  const radius = /^([0-9]+(?:\.[0-9]+)?)(mi|km)$/.exec(parts[2]!);
  if (!radius) {
    return invalid(
      `point_radius: radius must be a number followed by mi or km such as 16km, got '${parts[2]}'`,
    );
  }
  const miles = radius[2] === 'km' ? Number(radius[1]) / KM_PER_MILE : Number(radius[1]);
  if (miles > MAX_GEO_MILES) {
    return outOfRange(`point_radius: radius must be less than 25mi (40km), got ${parts[2]}`);
  }
  return undefined;
};

function haversineMiles(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** `bounding_box:[west south east north]`, each side under 25 miles. */
export const boundingBox: ArgumentCheck = (value) => {
  const parts = value.trim().split(/\s+/);
  if (parts.length !== 4) {
    return invalid(
      `bounding_box: takes [west_long south_lat east_long north_lat] such as [-105.301758 39.964069 -105.178505 40.09455], got [${value}]`,
    );
  }
  const coords = coordinates('bounding_box:', parts, [
    'west longitude',
    'south latitude',
    'east longitude',
    'north latitude',
  ]);
  if (!Array.isArray(coords)) return coords;
  const [west, south, east, north] = coords as [number, number, number, number];
  if (south > north) {
    return outOfRange('bounding_box: south latitude must not be above the north latitude');
  }
  const middle = (south + north) / 2;
  const width = haversineMiles(middle, west, middle, east);
  const height = haversineMiles(south, west, north, west);
  if (width > MAX_GEO_MILES || height > MAX_GEO_MILES) {
    return outOfRange(
      `bounding_box: width and height must be less than 25mi, got about ${Math.round(width)}mi by ${Math.round(height)}mi`,
    );
  }
  return undefined;
};
