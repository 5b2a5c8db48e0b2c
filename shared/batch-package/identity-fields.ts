/**
 * Batch manifests carry pseudonymous ids only. Any field whose name suggests identity — a name,
 * an account, a device serial, a location, a phone number, an e-mail or postal address — is
 * refused by name, before the schema runs, so the error says which field it was.
 */
const EXACT = new Set([
  'name',
  'firstname',
  'lastname',
  'fullname',
  'surname',
  'givenname',
  'familyname',
  'customername',
  'username',
  'displayname',
  'speaker',
  'speakername',
  'account',
  'accountid',
  'accountnumber',
  'iban',
  'bic',
  'cardnumber',
  'pan',
  'serial',
  'serialnumber',
  'deviceserial',
  'deviceid',
  'imei',
  'mac',
  'macaddress',
  'location',
  'lat',
  'latitude',
  'lon',
  'lng',
  'longitude',
  'gps',
  'geo',
  'geolocation',
  'coordinates',
  'city',
  'country',
  'postcode',
  'postalcode',
  'zip',
  'zipcode',
  'phone',
  'phonenumber',
  'mobile',
  'msisdn',
  'tel',
  'telephone',
  'email',
  'emailaddress',
  'mail',
  'address',
  'streetaddress',
  'street',
  'ip',
  'ipaddress',
  'dob',
  'dateofbirth',
  'birthdate',
  'ssn',
  'nationalid',
  'passport',
  'customerid',
  'userid',
]);
const PARTS = [
  'email',
  'phone',
  'address',
  'serial',
  'account',
  'latitude',
  'longitude',
  'location',
  'passport',
  'customer',
  'birth',
];

export function isIdentityLikeKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return EXACT.has(k) || PARTS.some((p) => k.includes(p));
}

/**
 * A container on the walk's stack. Its path is kept as a link to its parent and is spelt out only
 * for the one place a problem is reported: a manifest of 10,000 clips has a hundred thousand
 * members, and a string per member would cost more than the check.
 */
type Frame = {
  readonly value: object;
  readonly parent: Frame | null;
  readonly key: string | number;
  readonly depth: number;
};

export type JsonShapeProblem = { readonly kind: 'identity' | 'depth'; readonly path: string };

function pathOf(frame: Frame | null, key?: string): string {
  const parts: string[] = key === undefined ? [] : [`.${key}`];
  for (let f = frame; f?.parent; f = f.parent) {
    parts.push(typeof f.key === 'number' ? `[${f.key}]` : `.${f.key}`);
  }
  const path = parts.reverse().join('');
  return path.startsWith('.') ? path.slice(1) : path;
}

/**
 * Walks parsed JSON without recursion and reports the first identity-like key or the first
 * place nested deeper than `maxDepth`. Each distinct key is judged once per walk: a manifest
 * repeats the same few names in every clip.
 */
export function findJsonShapeProblem(root: unknown, maxDepth: number): JsonShapeProblem | undefined {
  if (root === null || typeof root !== 'object') {
    return undefined;
  }
  const judged = new Map<string, boolean>();
  const identityLike = (key: string): boolean => {
    let verdict = judged.get(key);
    if (verdict === undefined) {
      verdict = isIdentityLikeKey(key);
      judged.set(key, verdict);
    }
    return verdict;
  };
  const stack: Frame[] = [{ value: root, parent: null, key: '', depth: 0 }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    if (frame.depth >= maxDepth) {
      return { kind: 'depth', path: pathOf(frame) || '(top level)' };
    }
    const { value, depth } = frame;
    if (Array.isArray(value)) {
      value.forEach((v: unknown, i) => {
        if (v !== null && typeof v === 'object') {
          stack.push({ value: v, parent: frame, key: i, depth: depth + 1 });
        }
      });
      continue;
    }
    for (const key in value) {
      if (!Object.hasOwn(value, key)) {
        continue;
      }
      if (identityLike(key)) {
        return { kind: 'identity', path: pathOf(frame, key) };
      }
      const v = (value as Record<string, unknown>)[key];
      // Only containers can hold a field name, or nest: no frame for a number or a string.
      if (v !== null && typeof v === 'object') {
        stack.push({ value: v, parent: frame, key, depth: depth + 1 });
      }
    }
  }
  return undefined;
}
