import { attribute, complex, multiValued, type SchemaDefinition } from './attribute.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** RFC 7643 §4.1: the core User schema as Roster serves it. */
export const userSchema: SchemaDefinition = {
  id: USER_SCHEMA,
  name: 'User',
  description: 'An account member, provisioned by an identity provider or created in the console.',
  attributes: [
    attribute('userName', 'string', {
      required: true,
      uniqueness: 'server',
      description: 'Unique identifier for the member within the account, typically an email address. Compared case-insensitively.',
    }),
    complex(
      'name',
      [
        attribute('formatted', 'string', { description: 'The full name, formatted for display.' }),
        attribute('familyName', 'string', { description: 'The family name.' }),
        attribute('givenName', 'string', { description: 'The given name.' }),
        attribute('middleName', 'string', { description: 'The middle name(s).' }),
        attribute('honorificPrefix', 'string', { description: 'The honorific prefix(es), e.g. "Ms.".' }),
        attribute('honorificSuffix', 'string', { description: 'The honorific suffix(es), e.g. "III".' }),
      ],
      { description: "The components of the member's name." },
    ),
    attribute('displayName', 'string', { description: 'The name of the member, suitable for display.' }),
    attribute('nickName', 'string', { description: 'The casual way to address the member.' }),
    attribute('profileUrl', 'reference', { referenceTypes: ['external'], description: "A URI of the member's online profile." }),
    attribute('title', 'string', { description: "The member's title, such as \"Vice President\"." }),
    attribute('userType', 'string', { description: 'The relationship between the organization and the member.' }),
    attribute('preferredLanguage', 'string', { description: 'The preferred written or spoken language, e.g. "en-US".' }),
    attribute('locale', 'string', { description: 'The default location for localisation, e.g. "en-US".' }),
    attribute('timezone', 'string', { description: 'The time zone in IANA format, e.g. "Europe/Zurich".' }),
    attribute('active', 'boolean', { description: 'Whether the member can sign in. false deactivates the member and frees its seat.' }),
    attribute('password', 'string', {
      mutability: 'writeOnly',
      returned: 'never',
      caseExact: true,
      description: 'Accepted for compatibility and discarded: Roster never stores or returns it.',
    }),
    multiValued('emails', 'Email addresses of the member.', { types: ['work', 'home', 'other'] }),
    multiValued('phoneNumbers', 'Phone numbers, written as "<country_prefix> <telephone_number>", e.g. "+41 441234567".', {
      types: ['work', 'home', 'mobile', 'fax', 'pager', 'other'],
    }),
    multiValued('ims', 'Instant messaging addresses.', { types: ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo'] }),
    multiValued('photos', 'URLs of photos of the member.', { valueType: 'reference', types: ['photo', 'thumbnail'] }),
    complex(
      'addresses',
      [
        attribute('formatted', 'string', { description: 'The full mailing address, formatted for display.' }),
        attribute('streetAddress', 'string', { description: 'The full street address component.' }),
        attribute('locality', 'string', { description: 'The city or locality component.' }),
        attribute('region', 'string', { description: 'The state or region component.' }),
        attribute('postalCode', 'string', { description: 'The zip code or postal code component.' }),
        attribute('country', 'string', { description: 'The country name component, ISO 3166-1 alpha-2.' }),
        attribute('type', 'string', { canonicalValues: ['work', 'home', 'other'], description: 'A label indicating the function of the address.' }),
        attribute('primary', 'boolean', { description: 'Indicates the preferred mailing address.' }),
      ],
      { multiValued: true, description: 'Physical mailing addresses.' },
    ),
    multiValued('groups', 'The teams the member belongs to. Read-only: change team membership through /Groups.', {
      mutability: 'readOnly',
      extra: [attribute('$ref', 'reference', { referenceTypes: ['Group'], mutability: 'readOnly', description: 'The URI of the team.' })],
    }),
    multiValued('entitlements', 'Entitlements of the member.'),
    multiValued('roles', 'Roles of the member.'),
    multiValued('x509Certificates', 'X.509 certificates of the member.', { valueType: 'binary' }),
  ],
};
