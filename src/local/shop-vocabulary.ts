// The words the shop demo data is made of: names, cities, streets and the product catalogue.
// They travel to PostgreSQL as array parameters, so no word is ever spliced into SQL text.

// Names start with an ASCII capital on purpose: lower() and initcap() treat non-ASCII letters
// differently under the C and ICU/glibc collations, and the data must not depend on that.
export const FIRST_NAMES = [
  'Anna',
  'Lena',
  'Mia',
  'Emma',
  'Hannah',
  'Sophie',
  'Laura',
  'Lea',
  'Julia',
  'Sarah',
  'Marie',
  'Johanna',
  'Clara',
  'Paula',
  'Sabine',
  'Petra',
  'Ursula',
  'Monika',
  'Käthe',
  'Chloé',
  'Giulia',
  'Maximilian',
  'Alexander',
  'Paul',
  'Leon',
  'Lukas',
  'Felix',
  'Jonas',
  'Elias',
  'Noah',
  'Ben',
  'Finn',
  'Tobias',
  'Jan',
  'Niklas',
  'Moritz',
  'Thomas',
  'Michael',
  'Andreas',
  'Stefan',
  'Jürgen',
  'Günter',
  'Jörg',
  'Björn',
  'Sören',
  'Luca',
  'Mateo',
  'Piotr',
  'Lars',
] as const;

export const LAST_NAMES = [
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Wagner',
  'Becker',
  'Schulz',
  'Hoffmann',
  'Schäfer',
  'Koch',
  'Bauer',
  'Richter',
  'Klein',
  'Wolf',
  'Schröder',
  'Neumann',
  'Schwarz',
  'Zimmermann',
  'Braun',
  'Krüger',
  'Hartmann',
  'Lange',
  'Schmitt',
  'Werner',
  'Krause',
  'Meier',
  'Lehmann',
  'Huber',
  'Gruber',
  'Jansen',
  'de Vries',
  'Dubois',
  'Rossi',
  'Bianchi',
  'García',
  'Nowak',
  'Kowalski',
  'Novak',
  'Larsen',
  'Yılmaz',
] as const;

export const EMAIL_DOMAINS = ['gmail.com', 'web.de', 'gmx.de', 't-online.de', 'outlook.com', 'yahoo.de', 'posteo.de', 'icloud.com'] as const;

/** German mobile prefixes without the trunk 0 (`151` → `+49 151 …` or `0151/…`). */
export const MOBILE_PREFIXES = ['151', '152', '157', '159', '160', '162', '163', '170', '171', '172', '173', '174', '175', '176', '177', '178', '179'] as const;

export const STREETS = [
  'Hauptstraße',
  'Bahnhofstraße',
  'Gartenstraße',
  'Schulstraße',
  'Dorfstraße',
  'Bergstraße',
  'Lindenstraße',
  'Goethestraße',
  'Schillerstraße',
  'Mozartstraße',
  'Friedrichstraße',
  'Ringstraße',
  'Kirchweg',
  'Rosenweg',
  'Waldweg',
  'Am Markt',
  'Kastanienallee',
  'Berliner Allee',
  'Marktplatz',
  'Uhlandstraße',
] as const;

export interface City {
  readonly name: string;
  readonly country: string;
  readonly lat: number;
  readonly lon: number;
  readonly postalMin: number;
  readonly postalMax: number;
  readonly postalDigits: number;
  /** Dialling code with the trunk 0, as written in `(030) 123-456`. */
  readonly areaCode: string;
}

// Ordered by how many customers live there: the generator favours the front of the list,
// so most customers are German and a few live elsewhere in the EU.
export const CITIES: readonly City[] = [
  { name: 'Berlin', country: 'DE', lat: 52.52, lon: 13.405, postalMin: 10115, postalMax: 14199, postalDigits: 5, areaCode: '030' },
  { name: 'Hamburg', country: 'DE', lat: 53.5511, lon: 9.9937, postalMin: 20095, postalMax: 22769, postalDigits: 5, areaCode: '040' },
  { name: 'München', country: 'DE', lat: 48.1351, lon: 11.582, postalMin: 80331, postalMax: 81929, postalDigits: 5, areaCode: '089' },
  { name: 'Köln', country: 'DE', lat: 50.9375, lon: 6.9603, postalMin: 50667, postalMax: 51149, postalDigits: 5, areaCode: '0221' },
  { name: 'Frankfurt am Main', country: 'DE', lat: 50.1109, lon: 8.6821, postalMin: 60306, postalMax: 60599, postalDigits: 5, areaCode: '069' },
  { name: 'Stuttgart', country: 'DE', lat: 48.7758, lon: 9.1829, postalMin: 70173, postalMax: 70629, postalDigits: 5, areaCode: '0711' },
  { name: 'Düsseldorf', country: 'DE', lat: 51.2277, lon: 6.7735, postalMin: 40210, postalMax: 40629, postalDigits: 5, areaCode: '0211' },
  { name: 'Leipzig', country: 'DE', lat: 51.3397, lon: 12.3731, postalMin: 4103, postalMax: 4357, postalDigits: 5, areaCode: '0341' },
  { name: 'Dortmund', country: 'DE', lat: 51.5136, lon: 7.4653, postalMin: 44135, postalMax: 44388, postalDigits: 5, areaCode: '0231' },
  { name: 'Essen', country: 'DE', lat: 51.4556, lon: 7.0116, postalMin: 45127, postalMax: 45359, postalDigits: 5, areaCode: '0201' },
  { name: 'Bremen', country: 'DE', lat: 53.0793, lon: 8.8017, postalMin: 28195, postalMax: 28779, postalDigits: 5, areaCode: '0421' },
  { name: 'Dresden', country: 'DE', lat: 51.0504, lon: 13.7373, postalMin: 1067, postalMax: 1328, postalDigits: 5, areaCode: '0351' },
  { name: 'Hannover', country: 'DE', lat: 52.3759, lon: 9.732, postalMin: 30159, postalMax: 30669, postalDigits: 5, areaCode: '0511' },
  { name: 'Nürnberg', country: 'DE', lat: 49.4521, lon: 11.0767, postalMin: 90402, postalMax: 90491, postalDigits: 5, areaCode: '0911' },
  { name: 'Münster', country: 'DE', lat: 51.9607, lon: 7.6261, postalMin: 48143, postalMax: 48167, postalDigits: 5, areaCode: '0251' },
  { name: 'Freiburg im Breisgau', country: 'DE', lat: 47.999, lon: 7.8421, postalMin: 79098, postalMax: 79117, postalDigits: 5, areaCode: '0761' },
  { name: 'Wien', country: 'AT', lat: 48.2082, lon: 16.3738, postalMin: 1010, postalMax: 1230, postalDigits: 4, areaCode: '01' },
  { name: 'Amsterdam', country: 'NL', lat: 52.3676, lon: 4.9041, postalMin: 1011, postalMax: 1109, postalDigits: 4, areaCode: '020' },
  { name: 'Bruxelles', country: 'BE', lat: 50.8503, lon: 4.3517, postalMin: 1000, postalMax: 1210, postalDigits: 4, areaCode: '02' },
  { name: 'Paris', country: 'FR', lat: 48.8566, lon: 2.3522, postalMin: 75001, postalMax: 75020, postalDigits: 5, areaCode: '01' },
];

export interface CatalogueEntry {
  readonly category: 'Electronics' | 'Books' | 'Garden' | 'Toys' | 'Grocery' | 'Fashion';
  readonly noun: string;
  /** Price range in EUR; every price ends up within 1–500. */
  readonly minPrice: number;
  readonly maxPrice: number;
}

export const CATALOGUE: readonly CatalogueEntry[] = [
  { category: 'Electronics', noun: 'Wireless Headphones', minPrice: 29, maxPrice: 249 },
  { category: 'Electronics', noun: 'Bluetooth Speaker', minPrice: 19, maxPrice: 199 },
  { category: 'Electronics', noun: 'USB-C Charger', minPrice: 9, maxPrice: 49 },
  { category: 'Electronics', noun: 'Smartwatch', minPrice: 49, maxPrice: 449 },
  { category: 'Electronics', noun: 'Tablet', minPrice: 99, maxPrice: 499 },
  { category: 'Electronics', noun: 'Mechanical Keyboard', minPrice: 39, maxPrice: 199 },
  { category: 'Electronics', noun: 'Power Bank', minPrice: 14, maxPrice: 79 },
  { category: 'Books', noun: 'Crime Novel', minPrice: 8, maxPrice: 25 },
  { category: 'Books', noun: 'Cookbook', minPrice: 12, maxPrice: 45 },
  { category: 'Books', noun: 'Travel Guide', minPrice: 10, maxPrice: 30 },
  { category: 'Books', noun: "Children's Book", minPrice: 6, maxPrice: 20 },
  { category: 'Books', noun: 'Graphic Novel', minPrice: 12, maxPrice: 40 },
  { category: 'Garden', noun: 'Garden Hose', minPrice: 15, maxPrice: 79 },
  { category: 'Garden', noun: 'Pruning Shears', minPrice: 9, maxPrice: 49 },
  { category: 'Garden', noun: 'Raised Bed', minPrice: 39, maxPrice: 299 },
  { category: 'Garden', noun: 'Lawn Mower', minPrice: 129, maxPrice: 499 },
  { category: 'Garden', noun: 'Plant Pot', minPrice: 3, maxPrice: 39 },
  { category: 'Toys', noun: 'Building Blocks', minPrice: 9, maxPrice: 119 },
  { category: 'Toys', noun: 'Jigsaw Puzzle', minPrice: 7, maxPrice: 39 },
  { category: 'Toys', noun: 'Board Game', minPrice: 15, maxPrice: 59 },
  { category: 'Toys', noun: 'Plush Bear', minPrice: 8, maxPrice: 45 },
  { category: 'Toys', noun: 'Model Railway', minPrice: 49, maxPrice: 399 },
  { category: 'Grocery', noun: 'Coffee Beans', minPrice: 6, maxPrice: 29 },
  { category: 'Grocery', noun: 'Olive Oil', minPrice: 5, maxPrice: 24 },
  { category: 'Grocery', noun: 'Dark Chocolate', minPrice: 1, maxPrice: 9 },
  { category: 'Grocery', noun: 'Green Tea', minPrice: 3, maxPrice: 19 },
  { category: 'Grocery', noun: 'Wildflower Honey', minPrice: 4, maxPrice: 18 },
  { category: 'Fashion', noun: 'Rain Jacket', minPrice: 39, maxPrice: 249 },
  { category: 'Fashion', noun: 'Sneakers', minPrice: 39, maxPrice: 189 },
  { category: 'Fashion', noun: 'Wool Scarf', minPrice: 14, maxPrice: 69 },
  { category: 'Fashion', noun: 'Jeans', minPrice: 29, maxPrice: 129 },
  { category: 'Fashion', noun: 'T-Shirt', minPrice: 9, maxPrice: 39 },
];

export const PRODUCT_ADJECTIVES = ['Classic', 'Premium', 'Compact', 'Essential', 'Deluxe', 'Everyday', 'Nordic', 'Urban', 'Eco', 'Pro'] as const;
