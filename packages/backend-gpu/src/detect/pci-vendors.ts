/** PCI vendor ids of GPU makers, as sysfs writes them. */
export const GPU_VENDORS: Readonly<Record<string, string>> = {
  '0x10de': 'NVIDIA',
  '0x1002': 'AMD',
  '0x8086': 'Intel',
  '0x1af4': 'virtio (virtual GPU)',
  '0x1234': 'QEMU (emulated display)',
  '0x15ad': 'VMware (virtual GPU)',
};
