/** IdP ingress quirks, one file per vendor; see each rule's citation. */
export { listedValuesOfRemove, parseBooleanString, referenceFromString, unwrapSingleValue } from './entra.js';
export { isIdEcho } from './okta.js';
