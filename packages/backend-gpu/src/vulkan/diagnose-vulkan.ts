import { basename, dirname, join } from 'node:path';
import type { Env } from '../detect/machine-roots.js';
import { findSharedLibrary } from '../detect/shared-libraries.js';
import { icdLibrary } from '../detect/vulkan-icds.js';
import type { VulkanLook } from '../detect/vulkan-look.js';

/** Why Vulkan found no GPU, and what a person can do about it. */
export interface VulkanDiagnosis {
  readonly problem: string;
  readonly fix: string;
}

/** What the engine said (and the machine shows) after Vulkan found no GPU. */
export interface VulkanEvidence {
  /** The engine's relevant output lines (Dawn's warnings, the Vulkan loader's errors). */
  readonly output: readonly string[];
  /** The Vulkan loader library and the dynamic loader's error loading it, when tried. */
  readonly runtimeLibrary?: { readonly name: string; readonly error?: string };
  readonly look: VulkanLook;
  readonly env: Env;
}

const NO_SUCH_FILE = /cannot open shared object file|could not be found|image not found/i;

/**
 * Explains a "no GPU" answer from an engine that runs on Vulkan (llama.cpp's Vulkan build, Dawn
 * under ONNX Runtime's WebGPU), most specific first: the Vulkan loader is missing; a driver's
 * library does not load; the NVIDIA driver is there but Vulkan shows no NVIDIA device; only a
 * software rasteriser is installed. `undefined` when the evidence fits none of these.
 */
export async function diagnoseVulkan(
  evidence: VulkanEvidence,
): Promise<VulkanDiagnosis | undefined> {
  return (
    (await missingLoader(evidence)) ??
    (await unloadableDriver(evidence)) ??
    (await nvidiaWithoutDevice(evidence)) ??
    softwareOnly(evidence)
  );
}

async function missingLoader({ output, runtimeLibrary, look, env }: VulkanEvidence) {
  const dawn = output.map((l) => /Couldn't load Vulkan: (.*)$/.exec(l)?.[1]).find(Boolean);
  const dlopen = runtimeLibrary?.error;
  const detail = dawn ?? (dlopen && /vulkan/i.test(runtimeLibrary.name) ? dlopen : undefined);
  if (!detail) return undefined;
  const nvidiaIcd = look.icds.find((i) => i.name === 'nvidia');
  const needs = nvidiaIcd
    ? `; the NVIDIA Vulkan driver (${nvidiaIcd.manifest}) is installed and needs it`
    : '';
  if (process.platform === 'win32') {
    return {
      problem: `the Vulkan loader vulkan-1.dll is not installed (${detail})`,
      fix: "install or update the GPU vendor's driver, which ships it",
    };
  }
  const soname = 'libvulkan.so.1';
  const where = await findSharedLibrary(soname, env);
  const looked = where.path
    ? `${where.path} exists but does not load`
    : `not in ${where.searched.length} library folders: LD_LIBRARY_PATH, /etc/ld.so.conf's, ${where.searched.slice(-2).join(', ')}…`;
  return {
    problem: `the Vulkan loader ${soname} is not installed (${detail}; ${looked})`,
    fix: `install it (Debian/Ubuntu: apt install libvulkan1; Fedora/RHEL: dnf install vulkan-loader; Arch: pacman -S vulkan-icd-loader)${needs}`,
  };
}

async function unloadableDriver({ output, look }: VulkanEvidence) {
  const index = output.findIndex((l) => /Failed loading library associated with ICD JSON/.test(l));
  if (index < 0) return undefined;
  const library = /ICD JSON (\S+?)\.?(?:\s|$)/.exec(output[index] ?? '')?.[1] ?? 'its library';
  const error = output
    .slice(0, index)
    .reverse()
    .map((l) => l.replace(/^(?:error|warning):\s*/i, ''))
    .find((l) => NO_SUCH_FILE.test(l) || /undefined symbol|ELF/.test(l));
  const why = error ? ` (${error})` : '';
  if (!/nvidia/i.test(library)) {
    return {
      problem: `the Vulkan driver library ${library} is installed but the Vulkan loader cannot load it${why}`,
      fix: 'reinstall that driver, or remove its ICD manifest',
    };
  }
  const glvnd = /libGLdispatch|libGLX\.so/.test(error ?? '') ? ' with libglvnd (libglvnd0)' : '';
  return {
    problem: `the NVIDIA Vulkan ICD is installed but the Vulkan loader cannot load its library ${library}${why}`,
    fix: `install the graphics part of the NVIDIA driver ${nvidiaRelease(look)}(Debian/Ubuntu: ${nvidiaGlPackage(look)}${glvnd}); in a container set NVIDIA_DRIVER_CAPABILITIES=all (or include graphics) so that the NVIDIA Container Toolkit mounts it`,
  };
}

async function nvidiaWithoutDevice({ look }: VulkanEvidence) {
  if (!look.nvidia.seenAt) return undefined;
  const icd = look.icds.find((i) => i.name === 'nvidia');
  const version = look.nvidia.driverVersion ? ` ${look.nvidia.driverVersion}` : '';
  if (!icd) {
    const folders = [...new Set(look.icds.map((i) => dirname(i.manifest)))];
    return {
      problem: `the NVIDIA kernel driver${version} is loaded but its Vulkan driver is not installed (no nvidia_icd.json${folders.length > 0 ? ` in ${folders.join(', ')}` : " in the Vulkan loader's icd.d folders"})`,
      fix: `install the graphics part of the NVIDIA driver ${nvidiaRelease(look)}(Debian/Ubuntu: ${nvidiaGlPackage(look)}); in a container set NVIDIA_DRIVER_CAPABILITIES=all (or include graphics)`,
    };
  }
  const library = (await icdLibrary(icd)) ?? 'its library';
  const dev = look.roots.dev;
  return {
    problem: `the NVIDIA Vulkan ICD is installed (${icd.manifest}) but Vulkan lists no NVIDIA device`,
    fix: `check that this user can open ${join(dev, 'nvidiactl')} and ${join(dev, 'nvidia0')}, and that ${basename(library)} belongs to the same driver release as the kernel module${version} (nvidia-smi must work); in a container set NVIDIA_DRIVER_CAPABILITIES=all`,
  };
}

function softwareOnly({ look }: VulkanEvidence): VulkanDiagnosis | undefined {
  const software = look.icds.filter((i) => i.kind === 'software').map((i) => i.label);
  if (software.length === 0 || look.icds.some((i) => i.kind === 'standalone')) return undefined;
  if (look.renderNodes.length > 0 && look.icds.some((i) => i.kind === 'drm')) return undefined;
  return {
    problem: `the only Vulkan driver that can run here is ${software.join(', ')}, a CPU rasteriser`,
    fix: "install the GPU's Vulkan driver (NVIDIA: the driver's Vulkan ICD; AMD/Intel: mesa-vulkan-drivers with a DRM render node)",
  };
}

function nvidiaRelease(look: VulkanLook): string {
  return look.nvidia.driverVersion ? `${look.nvidia.driverVersion} ` : '';
}

function nvidiaGlPackage(look: VulkanLook): string {
  const major = look.nvidia.driverVersion?.split('.')[0];
  return major ? `libnvidia-gl-${major}` : 'libnvidia-gl-<major version>';
}
