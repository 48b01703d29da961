// How alike two field names are (a CSV column and a contract property): case, separators, abbreviations and synonyms.

/** Abbreviations and common (also German) words of office exports, each to one canonical English word. */
const canonical: Record<string, string> = {
  no: 'number',
  nr: 'number',
  num: 'number',
  nbr: 'number',
  nummer: 'number',
  amt: 'amount',
  betrag: 'amount',
  qty: 'quantity',
  menge: 'quantity',
  cust: 'customer',
  kunde: 'customer',
  kunden: 'customer',
  client: 'customer',
  inv: 'invoice',
  rechnung: 'invoice',
  rechnungs: 'invoice',
  desc: 'description',
  descr: 'description',
  beschreibung: 'description',
  addr: 'address',
  adresse: 'address',
  dt: 'date',
  datum: 'date',
  ref: 'reference',
  tel: 'phone',
  ph: 'phone',
  telefon: 'phone',
  mail: 'email',
  org: 'organization',
  organisation: 'organization',
  cat: 'category',
  kategorie: 'category',
  curr: 'currency',
  cur: 'currency',
  waehrung: 'currency',
  währung: 'currency',
  bezahlt: 'paid',
  erfasst: 'recorded',
  recorded: 'recorded',
  created: 'recorded',
  preis: 'price',
  artikel: 'article',
  item: 'article',
  name: 'name',
  id: 'id',
  identifier: 'id',
  ident: 'id',
  zip: 'postcode',
  plz: 'postcode',
  postal: 'postcode',
  ort: 'city',
  stadt: 'city',
  land: 'country',
  status: 'status',
  issued: 'date',
};

const canon = (word: string) => canonical[word] ?? word;

/** "Rechnungsnr" → ["rechnungs", "nr"]: a lowercase compound split into two known words, or undefined. */
function splitCompound(word: string): string[] | undefined {
  for (let i = word.length - 2; i >= 2; i -= 1) {
    const left = word.slice(0, i);
    const right = word.slice(i);
    if (canonical[left] !== undefined && canonical[right] !== undefined) return [left, right];
  }
  return undefined;
}

/** The canonical words of a field name: "invoice_no", "InvoiceNo", "Invoice No." and "Rechnungsnr" all give invoice number. */
export function nameWords(name: string): string[] {
  const spaced = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase();
  const words = spaced.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return words.flatMap((word) => (splitCompound(word) ?? [word]).map(canon));
}

/** Dice coefficient of the two strings' character pairs (0..1), for names alike in spelling only. */
function bigramSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const pairs = new Map<string, number>();
  for (let i = 0; i < a.length - 1; i += 1) {
    const pair = a.slice(i, i + 2);
    pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
  }
  let shared = 0;
  for (let i = 0; i < b.length - 1; i += 1) {
    const pair = b.slice(i, i + 2);
    const left = pairs.get(pair) ?? 0;
    if (left > 0) {
      shared += 1;
      pairs.set(pair, left - 1);
    }
  }
  return (2 * shared) / (a.length - 1 + (b.length - 1));
}

/**
 * 1 for the same name after normalising (case, separators, abbreviations, synonyms); otherwise the share of words
 * both names have, or 0.8 × their spelling similarity, whichever is higher.
 */
export function nameSimilarity(a: string, b: string): number {
  const left = nameWords(a);
  const right = nameWords(b);
  if (left.length === 0 || right.length === 0) return 0;
  const joinedLeft = left.join('');
  const joinedRight = right.join('');
  if (joinedLeft === joinedRight) return 1;
  const rightSet = new Set(right);
  const shared = new Set(left.filter((w) => rightSet.has(w))).size;
  const words = (2 * shared) / (new Set(left).size + rightSet.size);
  return Math.max(words, 0.8 * bigramSimilarity(joinedLeft, joinedRight));
}
