/** The `package.json` key a backend package declares itself under. */
export const MANIFEST_KEY = 'npu-first';

/**
 * What a backend package declares in its `package.json`:
 * ```json
 * "npu-first": { "specificationVersion": "v1", "plugin": "./dist/plugin.js" }
 * ```
 * `plugin` is a path inside the package whose default export is a `BackendPlugin`.
 */
export interface BackendManifest {
  readonly specificationVersion: string;
  readonly plugin: string;
}

/** Reads the manifest from parsed `package.json` contents; a string reason when it is malformed. */
export function readManifest(pkg: Record<string, unknown>): BackendManifest | string | undefined {
  const raw = pkg[MANIFEST_KEY];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null)
    return `"${MANIFEST_KEY}" in package.json must be an object`;
  const { specificationVersion, plugin } = raw as Record<string, unknown>;
  if (typeof plugin !== 'string' || plugin === '')
    return `"${MANIFEST_KEY}.plugin" must name the plugin entry file`;
  if (typeof specificationVersion !== 'string')
    return `"${MANIFEST_KEY}.specificationVersion" is missing`;
  return { specificationVersion, plugin };
}
