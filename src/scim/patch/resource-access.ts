/** Reads and writes one attribute of a resource, wherever it lives (core or extension object). */
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';

/** The stored value of `name` in the core resource or in the extension object `extension`. */
export function readAttribute(resource: JsonObject, extension: string | undefined, name: string): JsonValue | undefined {
  const container = extension === undefined ? resource : resource[extension];
  if (!isJsonObject(container) || !Object.hasOwn(container, name)) return undefined;
  return container[name];
}

/**
 * Stores `value` under `name` (`undefined` deletes it). An extension object is created when
 * needed and deleted once empty ("removing its last sub-attribute removes the emptied
 * extension", style.md §7).
 */
export function writeAttribute(resource: JsonObject, extension: string | undefined, name: string, value: JsonValue | undefined): void {
  if (extension === undefined) {
    setOrDelete(resource, name, value);
    return;
  }
  const existing = resource[extension];
  const container: JsonObject = isJsonObject(existing) ? existing : {};
  setOrDelete(container, name, value);
  if (Object.keys(container).length === 0) delete resource[extension];
  else resource[extension] = container;
}

function setOrDelete(container: JsonObject, name: string, value: JsonValue | undefined): void {
  if (value === undefined) delete container[name];
  else container[name] = value;
}
