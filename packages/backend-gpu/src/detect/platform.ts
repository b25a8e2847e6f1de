/** `linux-x64`, `win32-x64`, `darwin-arm64`… */
export type PlatformKey = `${string}-${string}`;

export function currentPlatform(): PlatformKey {
  return `${process.platform}-${process.arch}`;
}

const NAMES: Readonly<Record<string, string>> = {
  linux: 'Linux',
  win32: 'Windows',
  darwin: 'macOS',
};

/** `Linux x64`, for messages. */
export function describePlatform(key: string): string {
  const [os = key, arch = ''] = key.split('-');
  return `${NAMES[os] ?? os} ${arch}`.trim();
}
