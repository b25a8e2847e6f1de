import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Fixture sysfs trees modelled on real machines, with the kernel's layout and symlinks
 * (`class/accel/accel0` → the device's `accel/accel0`, whose `device` link leads to the bus
 * device and its `driver` link). Only the attribute files detection reads are present.
 */
export const FIXTURE_ROOTS = {
  /** Intel Core Ultra 7 155H laptop: NPU 8086:7d1d at PCI 0000:00:0b.0, driver intel_vpu. */
  intel: join(here, 'sysfs-intel-core-ultra-meteor-lake'),
  /** AMD Ryzen 7 7840U laptop: NPU 1022:1502 at PCI 0000:c4:00.1, driver amdxdna. */
  amd: join(here, 'sysfs-amd-ryzen-ai-phoenix'),
  /** Rockchip RK3588 board, mainline kernel: NPU core fdab0000.npu, driver rocket. */
  rockchip: join(here, 'sysfs-rockchip-rk3588'),
  /** A machine without accelerators, like the development machines. */
  none: join(here, 'sysfs-none'),
} as const;
