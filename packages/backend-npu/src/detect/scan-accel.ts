import { readdir, readFile, readlink, realpath } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** One device of the kernel's compute-accelerator class, as sysfs describes it. */
export interface AccelDevice {
  /** `accel0`, the node under `/dev/accel/`. */
  readonly node: string;
  /** The bound kernel driver (`intel_vpu`, `amdxdna`, `rocket`…), or `null` when none is bound. */
  readonly driver: string | null;
  /** The bus address of the device: `0000:00:0b.0` (PCI) or `fdab0000.npu` (platform). */
  readonly busId: string;
  /** PCI vendor and device ids as 4 hex digits (`8086`, `7d1d`); absent for platform devices. */
  readonly pciVendor?: string;
  readonly pciDevice?: string;
  /** Devicetree `compatible` strings of a platform device (`rockchip,rk3588-rknn-core`). */
  readonly compatible: readonly string[];
}

/** What a scan of `<root>/class/accel` found. */
export interface AccelScan {
  /** The directory read, e.g. `/sys/class/accel`. */
  readonly dir: string;
  /** `false` when the directory does not exist (kernel without the accel class, or not Linux). */
  readonly present: boolean;
  readonly devices: readonly AccelDevice[];
}

/**
 * Lists `<root>/class/accel/accel*` the way the kernel lays them out: each entry's `device`
 * link leads to the bus device, whose `driver` link names the bound driver and whose
 * `vendor`/`device` files (PCI) or `uevent` `OF_COMPATIBLE_*` lines (platform) identify it.
 * Reads only small attribute files; never opens the device node.
 */
export async function scanAccel(sysfsRoot: string): Promise<AccelScan> {
  const dir = join(sysfsRoot, 'class', 'accel');
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return { dir, present: false, devices: [] };
  }
  const nodes = entries.filter((e) => /^accel\d+$/.test(e)).sort(byNumber);
  const devices = await Promise.all(nodes.map((node) => readAccelDevice(join(dir, node), node)));
  return { dir, present: true, devices };
}

async function readAccelDevice(entry: string, node: string): Promise<AccelDevice> {
  const device = join(entry, 'device');
  const driverLink = await readlink(join(device, 'driver')).catch(() => null);
  const busPath = await realpath(device).catch(() => device);
  const vendor = hexId(await readText(join(device, 'vendor')));
  const deviceId = hexId(await readText(join(device, 'device')));
  const uevent = (await readText(join(device, 'uevent'))) ?? '';
  const compatible = uevent
    .split('\n')
    .filter((line) => /^OF_COMPATIBLE_\d+=/.test(line))
    .map((line) => line.slice(line.indexOf('=') + 1));
  return {
    node,
    driver: driverLink ? basename(driverLink) : null,
    busId: basename(busPath),
    ...(vendor ? { pciVendor: vendor } : {}),
    ...(deviceId ? { pciDevice: deviceId } : {}),
    compatible,
  };
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

/** `0x8086` → `8086`. */
function hexId(text: string | undefined): string | undefined {
  const match = text?.match(/^0x([0-9a-f]{4})$/i);
  return match ? (match[1] as string).toLowerCase() : undefined;
}

function byNumber(a: string, b: string): number {
  return Number(a.slice(5)) - Number(b.slice(5));
}
