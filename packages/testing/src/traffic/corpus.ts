/**
 * The words the emulator's posts are made of. Every post is about one topic;
 * the topic's keywords, hashtags and emoji are what filtered-stream rules
 * match, so rules written from `EMULATOR_TOPICS` see steady traffic.
 */

/** Languages of generated posts (BCP-47, as in `lang` and the `lang:` operator). */
export type PostLanguage = 'en' | 'es' | 'pt' | 'fr' | 'de' | 'ja' | 'ko' | 'ar';

export const LANGUAGE_WEIGHTS: readonly (readonly [PostLanguage, number])[] = [
  ['en', 50],
  ['es', 11],
  ['ja', 10],
  ['pt', 8],
  ['fr', 7],
  ['de', 6],
  ['ko', 5],
  ['ar', 3],
];

/** One topic of conversation: what rules can match. */
export interface EmulatorTopic {
  /** Lowercase keywords that appear in the topic's posts (in several languages). */
  readonly keywords: readonly string[];
  /** Hashtags (without `#`) added to some of the topic's posts. */
  readonly hashtags: readonly string[];
  /** Emoji added to some of the topic's posts. */
  readonly emoji: readonly string[];
}

/**
 * The topics of generated posts, with words to write rules from. For example
 * `coffee OR #CoffeeTime` or `from:…` match a steady share of the traffic;
 * about one post in eight is about each topic.
 */
export const EMULATOR_TOPICS = {
  coffee: {
    keywords: ['coffee', 'espresso', 'café', 'kaffee', 'コーヒー', '커피', 'قهوة'],
    hashtags: ['coffee', 'CoffeeTime', 'café'],
    emoji: ['☕', '🥐', '🫖'],
  },
  cats: {
    keywords: ['cat', 'cats', 'gato', 'chat', 'katze', 'gata', '猫', '고양이'],
    hashtags: ['cats', 'CatsOfX', '猫'],
    emoji: ['🐈', '🐱', '😹', '🐈‍⬛'],
  },
  football: {
    keywords: ['football', 'goal', 'fútbol', 'golazo', 'fußball', 'futebol', 'サッカー', 'هدف'],
    hashtags: ['football', 'fútbol', 'WorldCup'],
    emoji: ['⚽', '🥅', '🏆'],
  },
  space: {
    keywords: ['rocket', 'launch', 'moon', 'telescope', 'cohete', 'fusée', 'ロケット'],
    hashtags: ['space', 'astronomy', '宇宙'],
    emoji: ['🚀', '🌕', '🔭', '✨'],
  },
  music: {
    keywords: ['album', 'concert', 'song', 'álbum', 'concierto', 'アルバム', '콘서트'],
    hashtags: ['music', 'NowPlaying', 'concierto'],
    emoji: ['🎵', '🎸', '🎧', '🎤'],
  },
  weather: {
    keywords: ['rain', 'snow', 'lluvia', 'pleut', 'regen', 'chuva', '雨', '비'],
    hashtags: ['rain', 'weather'],
    emoji: ['🌧️', '☀️', '❄️', '⛈️'],
  },
  code: {
    keywords: ['bug', 'deploy', 'typescript', 'rust', 'parser', 'バグ'],
    hashtags: ['TypeScript', 'RustLang', 'programming', '100DaysOfCode'],
    emoji: ['💻', '🐛', '🦀', '⌨️', '👩🏽‍💻'],
  },
  food: {
    keywords: ['ramen', 'pizza', 'tacos', 'crêpe', 'currywurst', 'ラーメン', '라면'],
    hashtags: ['ramen', 'foodie', 'pizza'],
    emoji: ['🍜', '🍕', '🌮', '🥟'],
  },
} as const satisfies Record<string, EmulatorTopic>;

export type TopicName = keyof typeof EMULATOR_TOPICS;
export const TOPIC_NAMES = Object.keys(EMULATOR_TOPICS) as TopicName[];

type Sentences = Partial<Record<PostLanguage, readonly string[]>>;

/** What people say about each topic, per language. */
export const SENTENCES: Record<TopicName, Sentences> = {
  coffee: {
    en: [
      "Third coffee of the day and it's not even 10am",
      'Honest question: is oat milk in coffee a crime?',
      "The new café on 5th makes the best espresso I've had in years",
    ],
    es: [
      'Primer café del día y ya soy otra persona',
      '¿Alguien más no funciona sin café por la mañana?',
    ],
    fr: ['Un café et je suis prête à affronter la journée'],
    de: ['Ohne Kaffee geht bei mir morgens gar nichts'],
    pt: ['Nada como um café quentinho numa manhã fria'],
    ja: ['朝のコーヒーがないと一日が始まらない'],
    ko: ['아침에 커피 없으면 아무것도 못 해요'],
    ar: ['قهوة الصباح هي أفضل جزء من اليوم'],
  },
  cats: {
    en: [
      'My cat just knocked my phone off the table and stared at me like I was the problem',
      'Adopted a second cat today. The first one has not forgiven me yet',
      'Cats are just tiny landlords who never fix anything',
    ],
    es: ['Mi gato decidió que mi teclado es su cama'],
    fr: ['Mon chat a encore volé ma place sur le canapé'],
    de: ['Meine Katze schläft seit drei Stunden auf meiner Tastatur'],
    pt: ['Minha gata resolveu dormir em cima do notebook de novo'],
    ja: ['猫がキーボードの上で寝てて仕事ができない'],
    ko: ['고양이가 또 키보드 위에서 자고 있어요'],
  },
  football: {
    en: [
      'What a goal! That free kick in the 89th minute',
      "Football is back this weekend and I'm not ready emotionally",
      'That referee decision will be argued about for years',
    ],
    es: ['¡Qué golazo! El fútbol nos regala noches así'],
    fr: ['Quel match ce soir, le football français est de retour'],
    de: ['Was für ein Spiel! Fußball ist einfach das Beste'],
    pt: ['Que golaço! O futebol brasileiro é outra coisa'],
    ja: ['サッカー日本代表、今日の試合最高だった！'],
    ar: ['يا له من هدف رائع في مباراة الليلة'],
  },
  space: {
    en: [
      'Watching the rocket launch live from the beach right now',
      'The moon looks unreal tonight, go outside',
      'Reading about the new space telescope images and feeling very small',
    ],
    es: ['Viendo el lanzamiento del cohete en directo'],
    fr: ['La fusée a décollé ! Moment incroyable à regarder en direct'],
    ja: ['ロケットの打ち上げ、ライブで見てた。感動した'],
  },
  music: {
    en: [
      'This album has been on repeat for three days straight',
      'Got tickets for the concert in June!!',
      'Why does every song sound better on a rainy night',
    ],
    es: [
      'Este álbum es una obra maestra, lo digo y lo repito',
      'Ya tengo entradas para el concierto',
    ],
    fr: ["Ce concert était magique, j'en ai encore des frissons"],
    pt: ['Esse álbum novo tá tocando sem parar aqui em casa'],
    ja: ['新しいアルバム、ずっと聴いてる'],
    ko: ['콘서트 티켓 예매 성공했어요!!'],
  },
  weather: {
    en: [
      'Rain again. Fourth day in a row',
      "It's 35 degrees and my fan just gave up",
      'Snow in April? Really?',
    ],
    es: ['Lluvia otra vez en Madrid, qué novedad'],
    fr: ['Il pleut à Paris, quelle surprise'],
    de: ['Schon wieder Regen in Hamburg. Überraschung'],
    pt: ['Chuva em São Paulo e o trânsito parou'],
    ja: ['雨の日はやっぱり家でゆっくりしたい'],
    ko: ['비가 너무 많이 와요 오늘'],
    ar: ['الجو حار جدا اليوم'],
  },
  code: {
    en: [
      'Spent two hours on a bug that turned out to be a missing await',
      'TypeScript strict mode found three real bugs in my side project today',
      'Friday deploy. What could possibly go wrong',
      "Rewrote the parser in Rust and it's 40x faster",
    ],
    es: ['Pasé toda la tarde buscando un bug y era una coma'],
    fr: ['Faire un deploy un vendredi soir, quelle idée géniale'],
    de: ['Der Bug war ein fehlendes Semikolon. Natürlich.'],
    ja: ['バグの原因がタイポだった…二時間返して'],
  },
  food: {
    en: [
      'Ramen for lunch, ramen for dinner, no regrets',
      'Homemade pizza night: the dough actually rose this time',
      'Found a truck selling tacos near the office and my life has changed',
    ],
    es: ['Tacos al pastor a las dos de la mañana, la mejor decisión'],
    fr: ['Rien ne vaut une crêpe au beurre salé après une longue journée'],
    de: ['Currywurst und Pommes, mehr brauche ich nicht'],
    pt: ['Pão de queijo saindo do forno agora, e depois pizza'],
    ja: ['ラーメン食べたい。深夜だけど食べたい'],
    ko: ['라면 먹고 싶은 밤이에요'],
  },
};

/** Second lines people add after a line break. */
export const TAILS: Partial<Record<PostLanguage, readonly string[]>> = {
  en: ['anyway', 'that is all', 'thoughts?', 'no context needed', 'send help', 'lol'],
  es: ['en fin', 'jajaja', '¿opiniones?'],
  pt: ['enfim', 'kkkkk', 'alguém mais?'],
  fr: ['bref', 'voilà', 'des avis ?'],
  de: ['naja', 'egal', 'Meinungen?'],
  ja: ['以上です', 'まじで', '笑'],
  ko: ['ㅋㅋㅋ', '진짜로'],
  ar: ['بصراحة'],
};

/** Emoji that show up whatever the topic (some are flags, skin tones and ZWJ sequences). */
export const COMMON_EMOJI = [
  '😂',
  '❤️',
  '🙏',
  '😭',
  '🔥',
  '👀',
  '🥲',
  '👍🏽',
  '🇯🇵',
  '🇧🇷',
  '✨',
  '🙌',
];

/** Display names (some with emoji, accents, CJK) and the ASCII handle roots they go with. */
export const NAMES: readonly (readonly [string, string])[] = [
  ['Maya Chen', 'mayachen'],
  ['José Martínez', 'jose_mtz'],
  ['Zoë Dubois', 'zoedubois'],
  ['佐藤 花子', 'hanako_sato'],
  ['김민준', 'minjun_kim'],
  ['Ana Beatriz 🌻', 'anabeatriz'],
  ['Lukas Müller', 'lukasmueller'],
  ['Aisha Rahman', 'aisharahman'],
  ['Björn Larsson', 'bjornlarsson'],
  ['Chloé 🌙', 'chloe_moon'],
  ['Kenji ☕', 'kenji_coffee'],
  ['Priya | dev', 'dev_priya'],
  ['The Daily Cat 🐈', 'dailycat'],
  ['Mateus ⚽', 'mateus_fut'],
  ['نور', 'noor_'],
  ['Ingrid Østergaard', 'ingrid_o'],
  ['Olamide Adeyemi', 'olamide'],
  ['Sofía Núñez', 'sofinunez'],
  ['François Lefèvre', 'flefevre'],
  ['Rustacean 🦀', 'rustacean'],
  ['山田 太郎', 'taro_yamada'],
  ['Emma Wilson', 'emmawilson'],
  ['Night Sky Watch 🔭', 'nightskywatch'],
  ['Łukasz Nowak', 'lukasz_nowak'],
];

export const LOCATIONS = [
  'Tokyo, Japan',
  'São Paulo, Brasil',
  'Paris',
  'Berlin',
  'Seoul',
  'Lagos, Nigeria',
  'NYC',
  'Madrid, España',
  'Montréal, QC',
  'Cairo',
  '🌍',
  'somewhere over the rainbow',
  '',
];

export const DESCRIPTIONS = [
  'coffee, code & cats ☕🐈',
  'Engineer. Opinions my own.\nShe/her',
  'サッカーと音楽が好き',
  'Fotógrafa 📷 | São Paulo',
  'Building things on the internet',
  'Just here for the memes',
  'Astronomy nerd 🔭 #space',
  'Música, café y libros',
  '',
];

export const SOURCES = [
  'Twitter for iPhone',
  'Twitter for Android',
  'Twitter Web App',
  'TweetDeck Web App',
];

/** Real places (ids as X uses them) with approximate bounding boxes `[west, south, east, north]`. */
export const PLACES = [
  {
    id: '01a9a39529b27f36',
    full_name: 'Manhattan, NY',
    name: 'Manhattan',
    country: 'United States',
    country_code: 'US',
    place_type: 'city',
    bbox: [-74.026675, 40.683935, -73.910408, 40.877483],
  },
  {
    id: 'a0583a9994e6bf1b',
    full_name: 'Malawi',
    name: 'Malawi',
    country: 'Malawi',
    country_code: 'MW',
    place_type: 'country',
    bbox: [32.6718934, -17.1276504, 35.92038, -9.3670837],
  },
  {
    id: '5d0b5b2a5e9c8c3a',
    full_name: 'Shinjuku-ku, Tokyo',
    name: 'Shinjuku-ku',
    country: 'Japan',
    country_code: 'JP',
    place_type: 'city',
    bbox: [139.672886, 35.6745, 139.7425, 35.7197],
  },
  {
    id: '09f6a7707f18e0b1',
    full_name: 'Paris, France',
    name: 'Paris',
    country: 'France',
    country_code: 'FR',
    place_type: 'city',
    bbox: [2.224122, 48.815574, 2.469703, 48.902156],
  },
  {
    id: '68e019afec7d0ba5',
    full_name: 'São Paulo, Brasil',
    name: 'São Paulo',
    country: 'Brasil',
    country_code: 'BR',
    place_type: 'city',
    bbox: [-46.826039, -24.008814, -46.365052, -23.356792],
  },
  {
    id: '3078869807f9dd36',
    full_name: 'Berlin, Deutschland',
    name: 'Berlin',
    country: 'Deutschland',
    country_code: 'DE',
    place_type: 'city',
    bbox: [13.088304, 52.338079, 13.760909, 52.675323],
  },
  {
    id: '3d4c8b6e2f1a0b9c',
    full_name: 'Seoul, Republic of Korea',
    name: 'Seoul',
    country: 'Republic of Korea',
    country_code: 'KR',
    place_type: 'city',
    bbox: [126.76, 37.41, 127.18, 37.7],
  },
  {
    id: '206b8a2d6ec5a1d7',
    full_name: 'Madrid, España',
    name: 'Madrid',
    country: 'España',
    country_code: 'ES',
    place_type: 'city',
    bbox: [-3.888954, 40.312012, -3.517952, 40.643611],
  },
] as const;

/** Context annotations per topic: `[domainId, domainName, entityId, entityName]`. */
export const CONTEXT: Record<TopicName, readonly [string, string, string, string]> = {
  coffee: ['65', 'Interests and Hobbies Vertical', '834828264786898945', 'Drinks'],
  cats: ['65', 'Interests and Hobbies Vertical', '852262932607926273', 'Pets'],
  football: ['11', 'Sport', '847901453736804352', 'Football'],
  space: ['66', 'Interests and Hobbies Category', '847888632711061504', 'Space'],
  music: ['54', 'Musician', '1090732022148091904', 'Music'],
  weather: ['29', 'Events [Entity Service]', '1374395932581134339', 'Weather'],
  code: ['66', 'Interests and Hobbies Category', '848920371311001600', 'Technology'],
  food: ['65', 'Interests and Hobbies Vertical', '825047692124442624', 'Food'],
};

/** Poll questions and their options. */
export const POLLS: readonly (readonly [string, readonly string[]])[] = [
  ['Tabs or spaces?', ['Tabs', 'Spaces']],
  ['Best time for coffee?', ['Morning ☕', 'Afternoon', 'Always']],
  ['¿Quién gana hoy?', ['Local', 'Empate', 'Visitante']],
  ['猫派？犬派？', ['猫 🐈', '犬 🐕']],
];
