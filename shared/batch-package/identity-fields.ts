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

type Frame = { readonly value: unknown; readonly path: string; readonly depth: number };

export type JsonShapeProblem = { readonly kind: 'identity' | 'depth'; readonly path: string };

/**
 * Walks parsed JSON without recursion and reports the first identity-like key or the first
 * place nested deeper than `maxDepth`.
 */
export function findJsonShapeProblem(root: unknown, maxDepth: number): JsonShapeProblem | undefined {
  const stack: Frame[] = [{ value: root, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as Frame;
    if (value === null || typeof value !== 'object') {
      continue;
    }
    if (depth >= maxDepth) {
      return { kind: 'depth', path: path || '(top level)' };
    }
    if (Array.isArray(value)) {
      // Only containers can hold a field name: a frame per number or string would cost a path each.
      value.forEach((v, i) => {
        if (v !== null && typeof v === 'object') {
          stack.push({ value: v, path: `${path}[${i}]`, depth: depth + 1 });
        }
      });
      continue;
    }
    for (const [key, v] of Object.entries(value)) {
      const here = path ? `${path}.${key}` : key;
      if (isIdentityLikeKey(key)) {
        return { kind: 'identity', path: here };
      }
      stack.push({ value: v, path: here, depth: depth + 1 });
    }
  }
  return undefined;
}
